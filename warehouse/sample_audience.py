"""The sample's audiences and buyers' places (warehouse/sample.py, `audience=True`; `hkdash sample`
writes them unless --no-audience), in the layouts the importer reads (docs/metrics.md, "Audience
files" and "Regions of sales and audiences"):

- audience_demographics.csv (seed1's layout): influencer_id, platform, age_group, gender,
  views_percentage — the 12 age band × gender cells of a creator, summing to 100.00 %. The age mix
  follows the creator's category (AGE_MIX: parents watch Parenting, the young watch Bodybuilding),
  the women's share the category's women creators' share, nudged towards the creator's own gender;
- geographic_distribution.csv (seed1's layout): influencer_id, city, views_percentage — a creator's
  top AUDIENCE_CITIES cities (of warehouse/regions.py's CITIES, so each counts in its state), its home
  city first, summing to 55–80 % (exports list the top places only);
- a `state` column in tracking_data: the buyer's state of each sale, drawn from the creator's own
  mix — half where its audience lives (its cities' states, by share), half India's online-shopping
  mix (STATE_WEIGHTS) — so the /audience page's audience-against-buyers comparison has something to
  find; UNPLACED_SHARE of sales carry no state (an order without an address), as real exports do.

AUDIENCE_SHARE of creators have audience files (an export is not available for everyone: the pages
say who is left out). Each part draws from its own random stream, so the other files and every
figure built from them are identical with or without the audience.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa

from warehouse import regions
from warehouse.sample import CATEGORIES, PLATFORMS, SCHEMAS, Creators, _rng, draw

STREAM_AUDIENCE, STREAM_REGIONS = 8, 9  # after warehouse.sample's streams 1–7

AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64")
# Expected audience share of each age band by creator category (each row sums to 1).
AGE_MIX = {
    "Fitness": (0.05, 0.38, 0.34, 0.14, 0.06, 0.03),
    "Bodybuilding": (0.07, 0.45, 0.31, 0.11, 0.04, 0.02),
    "Nutrition": (0.03, 0.26, 0.36, 0.21, 0.09, 0.05),
    "Health": (0.02, 0.18, 0.32, 0.25, 0.14, 0.09),
    "Wellness": (0.02, 0.20, 0.35, 0.24, 0.12, 0.07),
    "Lifestyle": (0.06, 0.38, 0.33, 0.14, 0.06, 0.03),
    "Beauty": (0.06, 0.42, 0.32, 0.13, 0.05, 0.02),
    "Parenting": (0.01, 0.10, 0.44, 0.33, 0.09, 0.03),
    "Sports": (0.10, 0.40, 0.29, 0.13, 0.05, 0.03),
    "Doctor": (0.01, 0.14, 0.30, 0.27, 0.17, 0.11),
}
AGE_CONCENTRATION = 60.0  # Dirichlet concentration around AGE_MIX: creators of a category differ a little
GENDER_NUDGE = 0.12  # a woman creator's audience has this much more women than her category's mean

# Cities an audience export lists, with India's rough share of online shoppers (relative weights).
CITY_WEIGHTS = {
    "Delhi": 16.0,
    "Mumbai": 14.0,
    "Bangalore": 12.0,
    "Hyderabad": 8.0,
    "Pune": 7.0,
    "Chennai": 7.0,
    "Kolkata": 6.0,
    "Ahmedabad": 5.0,
    "Jaipur": 4.0,
    "Lucknow": 4.0,
    "Gurgaon": 3.0,
    "Noida": 3.0,
    "Chandigarh": 2.0,
    "Kochi": 2.0,
    "Indore": 2.0,
    "Surat": 2.0,
    "Guwahati": 1.5,
    "Patna": 1.5,
    "Bhubaneswar": 1.5,
    "Ludhiana": 1.5,
}
AUDIENCE_CITIES = 8
HOME_SHARE = (0.15, 0.35)  # the home city's share of the audience (uniform)
LISTED_SHARE = (0.55, 0.80)  # the listed cities' total share (uniform)
AUDIENCE_SHARE = 0.85

# Buyers' states: India's rough mix of online orders (relative weights), the half of a creator's
# buyers that does not follow its audience.
STATE_WEIGHTS = {
    "Maharashtra": 16.0,
    "Delhi": 10.0,
    "Karnataka": 10.0,
    "Uttar Pradesh": 10.0,
    "Tamil Nadu": 8.0,
    "Telangana": 6.0,
    "Gujarat": 6.0,
    "West Bengal": 6.0,
    "Haryana": 4.0,
    "Rajasthan": 4.0,
    "Kerala": 4.0,
    "Madhya Pradesh": 3.0,
    "Punjab": 3.0,
    "Andhra Pradesh": 3.0,
    "Bihar": 2.0,
    "Odisha": 2.0,
    "Assam": 1.5,
    "Jharkhand": 1.0,
    "Uttarakhand": 1.0,
    "Chhattisgarh": 1.0,
    "Chandigarh": 0.5,
    "Goa": 0.5,
    "Himachal Pradesh": 0.5,
    "Jammu and Kashmir": 0.5,
}
AUDIENCE_PULL = 0.5  # share of a creator's buyers distributed like its audience's states
UNPLACED_SHARE = 0.02  # sales without a state

STATES = tuple(STATE_WEIGHTS)
CITIES = tuple(CITY_WEIGHTS)
SCHEMAS.update(
    {
        "audience_demographics": pa.schema(
            [
                ("influencer_id", pa.string()),
                ("platform", pa.string()),
                ("age_group", pa.string()),
                ("gender", pa.string()),
                ("views_percentage", pa.float64()),
            ]
        ),
        "geographic_distribution": pa.schema(
            [("influencer_id", pa.string()), ("city", pa.string()), ("views_percentage", pa.float64())]
        ),
    }
)
TRACKING_WITH_STATE = SCHEMAS["tracking_data"].append(pa.field("state", pa.dictionary(pa.int32(), pa.string())))


def _percent_cells(shares: np.ndarray, total: float = 100.0) -> np.ndarray:
    """Shares (fractions of `total` %) as 2-decimal percentages summing exactly to round(total, 2):
    the rounding difference goes to the largest cell."""
    cells = np.round(shares * total, 2)
    cells[np.argmax(cells)] += round(round(total, 2) - cells.sum(), 2)
    return np.round(cells, 2)


def _city_states() -> np.ndarray:
    """(city,): index into STATES of each of CITIES' state (warehouse/regions.py reads them so)."""
    state_of = dict(regions.names())
    return np.array([STATES.index(state_of[city]) for city in CITIES])


class Audiences:
    """The sample's audiences: which creators have them, their age × gender cells and their cities."""

    def __init__(self, seed: int, creators: Creators):
        rng = _rng(seed, STREAM_AUDIENCE)
        n = len(creators.ids)
        categories = list(CATEGORIES)
        self.creators = creators
        self.has = rng.random(n) < AUDIENCE_SHARE
        mix = np.array([AGE_MIX[categories[c]] for c in creators.category])
        self.age = np.array([rng.dirichlet(AGE_CONCENTRATION * m) for m in mix])  # (creator, band)
        women = np.array([CATEGORIES[categories[c]][1] for c in creators.category])
        nudge = np.where(np.array(creators.gender) == "Female", GENDER_NUDGE, -GENDER_NUDGE)
        self.women = (women + nudge + rng.normal(0, 0.05, n)).clip(0.05, 0.95)
        weights = np.array(list(CITY_WEIGHTS.values()))
        self.cities = np.zeros((n, len(CITIES)))  # (creator, city): share of the audience, 0 where unlisted
        for i in range(n):
            listed = rng.choice(len(CITIES), AUDIENCE_CITIES, replace=False, p=weights / weights.sum())
            home, total = rng.uniform(*HOME_SHARE), rng.uniform(*LISTED_SHARE)
            rest = rng.dirichlet(2 + 10 * weights[listed[1:]] / weights[listed[1:]].sum())  # each a few %
            self.cities[i, listed] = np.concatenate([[home], (total - home) * rest])

    def demographics(self) -> pa.Table:
        """audience_demographics.csv: 12 cells per creator with an audience, each summing to 100.00 %."""
        ids, platforms, ages, genders, values = [], [], [], [], []
        for i in np.flatnonzero(self.has):
            joint = np.outer(self.age[i], (1 - self.women[i], self.women[i])).ravel()
            cells = _percent_cells(joint)
            for k, value in enumerate(cells):
                ids.append(self.creators.ids[i].as_py())
                platforms.append(PLATFORMS[self.creators.platform[i]])
                ages.append(AGE_BANDS[k // 2])
                genders.append(("Male", "Female")[k % 2])
                values.append(float(value))
        columns = {"influencer_id": ids, "platform": platforms, "age_group": ages, "gender": genders}
        return pa.table({**columns, "views_percentage": values}, schema=SCHEMAS["audience_demographics"])

    def geography(self) -> pa.Table:
        """geographic_distribution.csv: each creator's listed cities, largest first."""
        ids, cities, values = [], [], []
        for i in np.flatnonzero(self.has):
            listed = np.flatnonzero(self.cities[i])
            listed = listed[np.argsort(-self.cities[i, listed], kind="stable")]
            cells = _percent_cells(self.cities[i, listed] / self.cities[i, listed].sum(), self.cities[i].sum() * 100)
            for city, value in zip(listed, cells):
                ids.append(self.creators.ids[i].as_py())
                cities.append(CITIES[city])
                values.append(float(value))
        return pa.table(
            {"influencer_id": ids, "city": cities, "views_percentage": values},
            schema=SCHEMAS["geographic_distribution"],
        )

    def state_cdf(self) -> np.ndarray:
        """(creator, state): cumulative distribution of a creator's buyers over STATES (module doc);
        a creator without an audience file buys like India."""
        national = np.array(list(STATE_WEIGHTS.values()))
        national = national / national.sum()
        own = self.cities @ np.eye(len(STATES))[_city_states()]  # each city's share into its state
        listed = own.sum(axis=1, keepdims=True)
        mixed = (
            np.where(listed > 0, AUDIENCE_PULL * own / np.where(listed > 0, listed, 1), 0)
            + np.where(listed > 0, 1 - AUDIENCE_PULL, 1) * national
        )
        cdf = np.cumsum(mixed, axis=1)
        cdf[:, -1] = 1.0
        return cdf


def with_states(seed: int, blocks: Iterable[pa.Table], audiences: Audiences) -> Iterator[pa.Table]:
    """tracking_data blocks (warehouse.sample.tracking_blocks) with the buyer's `state` column
    (TRACKING_WITH_STATE), drawn per row from its creator's mix; UNPLACED_SHARE of rows blank."""
    cdf = audiences.state_cdf()
    states = pa.array(STATES)
    for block, table in enumerate(blocks):
        rng = _rng(seed, STREAM_REGIONS, block)
        creator = table.column("influencer_id").combine_chunks().indices.to_numpy()
        state = draw(cdf[creator], rng.random(len(creator)))
        unplaced = pa.array(rng.random(len(creator)) < UNPLACED_SHARE)
        column = pa.DictionaryArray.from_arrays(
            pa.array(state, pa.int32(), mask=unplaced.to_numpy(zero_copy_only=False)), states
        )
        yield table.append_column(TRACKING_WITH_STATE.field("state"), column)
