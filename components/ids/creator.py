"""Ids and options of the creator page /influencers/<influencer_id> (pages/creator.py, callbacks/creator.py)."""

from urllib.parse import quote, unquote

PATH_PREFIX = "/influencers/"  # the page's address is PATH_PREFIX + the URL-quoted influencer id

HEADER = "creator-header"
NOT_FOUND = "creator-not-found"
BODY = "creator-body"
KPIS = "creator-kpis"
VERDICT = "creator-verdict"
CONTRACT = "creator-contract"
CONTRACT_SCOPE = "creator-contract-scope"  # what the contract covers (the whole period)
TIME_SALE = "creator-time-sale"  # graph: weekly revenue and spend by sale date
TIME_COHORT = "creator-time-cohort"  # graph: the same by post (each post's window)
TIME_NOTE = "creator-time-note"
TIME_TABS = "creator-time-tabs"
POSTS = "creator-posts"
POSTS_NOTE = "creator-posts-note"
AUDIENCE = "creator-audience"
REGIONS_CHART = "creator-regions"

PDF_BUTTON = "creator-pdf"
PDF_DOWNLOAD = "creator-pdf-download"
PDF_STATUS = "creator-pdf-status"

POST_LINK_CLASS = "hk-post-link"  # each post's link (browser tests find them by it)


def post_item(post_id: str) -> dict:
    """The id of one post's item in the posts list (pattern-matching: `{"type": "creator-post", "post": id}`)."""
    return {"type": "creator-post", "post": str(post_id)}


def creator_id_of(pathname: str | None) -> str | None:
    """The influencer id of a creator page's path (URL-decoded), None for any other path."""
    if not pathname or not pathname.startswith(PATH_PREFIX):
        return None
    return unquote(pathname[len(PATH_PREFIX) :].rstrip("/")) or None


def creator_href(influencer_id: str, search: str | None = "") -> str:
    """The creator page's address for an influencer id (quoted: an id may hold any character)."""
    return PATH_PREFIX + quote(str(influencer_id), safe="") + (search or "")
