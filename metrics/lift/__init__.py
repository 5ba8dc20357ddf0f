"""Measured incrementality: the estimator (method) and the selection's figures (view)."""

from metrics.lift.view import (
    LEVELS,
    METHOD_ASSUMED,
    METHOD_MEASURED,
    NO_POST,
    NO_POST_WHY,
    NOT_DISTINGUISHABLE,
    creator_lift,
    indistinguishable_note,
    interval_verdict,
    interval_words,
    lift_event,
    lift_status,
    lift_table,
    lift_totals,
    no_post_words,
    top_posts,
)

__all__ = [
    "LEVELS",
    "METHOD_ASSUMED",
    "METHOD_MEASURED",
    "NO_POST",
    "NO_POST_WHY",
    "NOT_DISTINGUISHABLE",
    "creator_lift",
    "indistinguishable_note",
    "interval_verdict",
    "interval_words",
    "lift_event",
    "lift_status",
    "lift_table",
    "lift_totals",
    "no_post_words",
    "top_posts",
]
