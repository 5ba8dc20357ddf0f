"""The optional audience files: who watches a creator (age band, gender) and where (city, state).

Two roles of warehouse/sources.py, both optional: `audience_demographics` (influencer_id, shares by
age band and/or gender: seed1's audience_demographics.csv, the YouTube Analytics API's ageGroup /
gender / viewerPercentage, Instagram's audience_gender_age keys such as "F.18-24") and
`audience_geography` (influencer_id, shares by city, state or country: seed1's
geographic_distribution.csv, YouTube's city / province, Instagram's audience_city). Rules
(docs/data.md, "Audience files"; docs/metrics.md, "Audience segments"):

- a share is a number, optionally followed by "%"; a file is read in percent (0–100) when any of
  its shares carries "%" or exceeds 1, else as fractions (0–1); stored as a fraction;
- errors (name file, row, column, value): a share that is not a number, negative, or above 100 %
  (above 1 in a file of fractions); a demographics row naming neither an age band nor a gender; a
  second row for the same creator, platform and cell (an export pasted twice must not count twice);
- warnings: a creator's demographic rows (joint age × gender cells, or ages alone, or genders alone)
  summing outside 100 % ± SUM_TOLERANCE_PCT points; a creator's places summing above
  100 % + SUM_TOLERANCE_PCT (below 100 % is normal: exports list the top places only); audience
  rows of creators the influencer list does not have.

Tables (present after every import, empty without the file):
- audience_demographics: influencer_id, platform (NULL when the file has none), age_band, gender
  (either may be NULL: a row of one dimension only), share (fraction of the creator's audience);
- audience_geography: influencer_id, platform, region, region_kind ("city", "state" or "country"),
  share (fraction), state (the Indian state or union territory a city or state names,
  warehouse/regions.py; NULL when unmatched or a country).
"""

from __future__ import annotations

from warehouse import regions
from warehouse.errors import MAX_SHOWN, Problem
from warehouse.sources import SourceFile, line_of
from warehouse.validate import Findings, present

SUM_TOLERANCE_PCT = 5.0  # points either side of 100 % before a creator's shares are warned about
REGION_KINDS = ("city", "state", "country")  # most specific first: a row's region is the first present

# Gender words as written in exports -> the label shown; anything else is kept as written (trimmed).
GENDER_SQL = """CASE lower(trim({col}))
    WHEN 'm' THEN 'Male' WHEN 'male' THEN 'Male' WHEN 'men' THEN 'Male' WHEN 'man' THEN 'Male'
    WHEN 'f' THEN 'Female' WHEN 'female' THEN 'Female' WHEN 'women' THEN 'Female' WHEN 'woman' THEN 'Female'
    WHEN 'u' THEN 'Other' WHEN 'user_specified' THEN 'Other' WHEN 'other' THEN 'Other'
    WHEN 'non-binary' THEN 'Other' WHEN 'unknown' THEN 'Other'
    ELSE NULLIF(trim({col}), '') END"""
# "age18-24" (YouTube Analytics API) -> "18-24"; "65-" -> "65+"; "18 - 24" -> "18-24".
AGE_SQL = """NULLIF(regexp_replace(regexp_replace(regexp_replace(lower(trim({col})), '^age\\s*', ''),
    '\\s*-\\s*', '-', 'g'), '^(\\d+)-$', '\\1+'), '')"""


def _number_sql(col: str) -> str:
    """The share as written, without spaces and a trailing "%", as a DOUBLE (NULL when unreadable)."""
    return f"TRY_CAST(regexp_replace(trim({col}), '\\s*%$', '') AS DOUBLE)"


def _percent_file(connection, source: SourceFile) -> bool:
    """Whether a file's shares are in percent: any value carries "%" or exceeds 1."""
    (percent,) = connection.execute(
        f"""SELECT COALESCE(bool_or(trim(share) LIKE '%\\%' ESCAPE '\\' OR {_number_sql("share")} > 1), false)
            FROM {source.table}"""
    ).fetchone()
    return bool(percent)


def _age_sql(source: SourceFile) -> str:
    if "age_band" in source.columns:
        return AGE_SQL.format(col="age_band")
    if "gender_age" in source.columns:  # Instagram: "F.18-24"
        return AGE_SQL.format(col="split_part(gender_age, '.', 2)")
    return "NULL"


def _gender_sql(source: SourceFile) -> str:
    if "gender" in source.columns:
        return GENDER_SQL.format(col="gender")
    if "gender_age" in source.columns:
        return GENDER_SQL.format(col="split_part(gender_age, '.', 1)")
    return "NULL"


def _region_sql(source: SourceFile) -> tuple[str, str]:
    """(region, region_kind) SQL: the most specific place column a row fills."""
    kinds = [kind for kind in REGION_KINDS if kind in source.columns]
    if not kinds:
        return "NULL", "NULL"
    region = "COALESCE(" + ", ".join(f"NULLIF(trim({k}), '')" for k in kinds) + ")"
    kind = "CASE " + " ".join(f"WHEN NULLIF(trim({k}), '') IS NOT NULL THEN '{k}'" for k in kinds) + " END"
    return region, kind


def _platform_sql(source: SourceFile) -> str:
    return "NULLIF(trim(platform), '')" if "platform" in source.columns else "NULL"


def _cells_sql(source: SourceFile) -> str:
    """Each staged row as (line, influencer_id, platform, cell key columns, share text, share number)."""
    line = line_of(source)
    number = _number_sql("share")
    if source.role == "audience_demographics":
        cells = f"{_age_sql(source)} AS age_band, {_gender_sql(source)} AS gender"
    else:
        region, kind = _region_sql(source)
        cells = f"{region} AS region, {kind} AS region_kind"
    return f"""SELECT {line} AS line, trim(influencer_id) AS influencer_id, {_platform_sql(source)} AS platform,
                      {cells}, share AS share_text, {number} AS share_number
               FROM {source.table}"""


def check_audience(connection, sources: dict[str, SourceFile], errors: Findings, warnings: Findings) -> None:
    """Check the audience files (module doc): errors and warnings name file, row, column and value.
    Runs after validate.check_values (which reports missing influencer ids and shares)."""
    for role in ("audience_demographics", "audience_geography"):
        source = sources.get(role)
        if source is not None:
            _check_file(connection, source, errors, warnings, sources.get("influencers"))


def _check_file(connection, source: SourceFile, errors: Findings, warnings: Findings, influencers) -> None:
    name = source.path.name
    percent = _percent_file(connection, source)
    top = 100.0 if percent else 1.0
    scale = "a percentage (0–100)" if percent else "a fraction (0–1; the file has no value above 1 and no %)"
    number = _number_sql("share")
    checks = [
        ("share", f"{present('share')} AND {number} IS NULL", "not a number (a share such as 12.5 or 12.5%)"),
        ("share", f"{number} < 0", "negative share"),
        ("share", f"{number} > {top}", f"share above 100 % (read as {scale})"),
    ]
    if source.role == "audience_demographics":
        if not ({"age_band", "gender", "gender_age"} & set(source.columns)):
            errors.add(Problem(name, 1, "age_band", None, "no age band or gender column (e.g. age_group, gender)"))
            return
        age, gender = _age_sql(source), _gender_sql(source)
        named = next(c for c in ("age_band", "gender", "gender_age") if c in source.columns)
        checks.append((named, f"{age} IS NULL AND {gender} IS NULL", "row names neither an age band nor a gender"))
    elif not ({"city", "state", "country"} & set(source.columns)):
        errors.add(Problem(name, 1, "city", None, "no city, state or country column"))
        return
    else:
        region, _ = _region_sql(source)
        checks.append(("share", f"{region} IS NULL", "row names no city, state or country"))
    for checked, condition, reason in checks:
        errors.add_query(connection, source, checked, condition, reason)
    _check_repeats(connection, source, errors)
    _warn_sums(connection, source, warnings, top)
    if influencers is not None:
        unknown = f"""{present("influencer_id")} AND trim(influencer_id) NOT IN
                      (SELECT trim(influencer_id) FROM {influencers.table} WHERE influencer_id IS NOT NULL)"""
        warnings.add_query(
            connection, source, "influencer_id", unknown, "not in the influencer list: its audience is not shown"
        )


def _key_columns(source: SourceFile) -> str:
    return "age_band, gender" if source.role == "audience_demographics" else "region"


def _check_repeats(connection, source: SourceFile, errors: Findings) -> None:
    """A second row for the same creator, platform and cell is an error, never summed."""
    keys = f"influencer_id, platform, {_key_columns(source)}"
    repeated = f"""SELECT line, share_text, first_line FROM (
            SELECT line, share_text, min(line) OVER (PARTITION BY {keys}) AS first_line FROM ({_cells_sql(source)})
            WHERE influencer_id IS NOT NULL)
        WHERE line > first_line"""
    (total,) = connection.execute(f"SELECT count(*) FROM ({repeated})").fetchone()
    if not total:
        return
    cell = "age band and gender" if source.role == "audience_demographics" else "place"
    for line, value, first in connection.execute(f"{repeated} ORDER BY line LIMIT {MAX_SHOWN}").fetchall():
        errors.add(
            Problem(
                source.path.name,
                int(line),
                "share",
                value,
                f"second row for the same creator, platform and {cell} (first on row {first})",
            ),
            0,
        )
    errors.total += total


def _warn_sums(connection, source: SourceFile, warnings: Findings, top: float) -> None:
    """Warn about each creator whose shares do not add up to about 100 % (module doc)."""
    tolerance = SUM_TOLERANCE_PCT / 100 * top
    if source.role == "audience_demographics":
        group = "CASE WHEN age_band IS NOT NULL AND gender IS NOT NULL THEN 'age × gender cells' "
        group += "WHEN age_band IS NOT NULL THEN 'age bands' ELSE 'genders' END"
        outside = f"abs(total - {top}) > {tolerance}"
    else:
        group = "'places'"
        outside = f"total > {top} + {tolerance}"
    rows = connection.execute(
        f"""SELECT first_line, influencer_id, what, total, count(*) OVER () FROM (
                SELECT influencer_id, platform, {group} AS what, sum(share_number) AS total, min(line) AS first_line
                FROM ({_cells_sql(source)}) WHERE influencer_id IS NOT NULL AND share_number IS NOT NULL
                GROUP BY ALL)
            WHERE {outside} ORDER BY first_line LIMIT {MAX_SHOWN}"""
    ).fetchall()
    unit = "%" if top == 100.0 else ""
    for line, creator, what, total, _count in rows:
        warnings.add(
            Problem(
                source.path.name,
                int(line),
                "share",
                f"{total:.2f}{unit}",
                f"{creator}'s {what} add up to {total / top * 100:.1f} %, not about 100 % "
                f"(± {SUM_TOLERANCE_PCT:g} points); shown as given, weighted as a share of their sum"
                if source.role == "audience_demographics"
                else f"{creator}'s places add up to {total / top * 100:.1f} %, more than 100 %",
            ),
            0,
        )
    if rows:
        warnings.total += rows[0][4]


def build_audience_tables(connection, sources: dict[str, SourceFile]) -> None:
    """Create audience_demographics and audience_geography (module doc) from the checked files."""
    demographics, geography = sources.get("audience_demographics"), sources.get("audience_geography")
    connection.execute(
        """CREATE TABLE audience_demographics (influencer_id VARCHAR, platform VARCHAR, age_band VARCHAR,
                                              gender VARCHAR, share DOUBLE)"""
    )
    connection.execute(
        """CREATE TABLE audience_geography (influencer_id VARCHAR, platform VARCHAR, region VARCHAR,
                                           region_kind VARCHAR, share DOUBLE, state VARCHAR)"""
    )
    regions.create_region_names(connection)
    state = f"CASE WHEN region_kind IN ('city', 'state') THEN {regions.region_of_sql('c.region')} END"
    for table, source, columns in (
        ("audience_demographics", demographics, "age_band, gender, share_number / {divisor}"),
        ("audience_geography", geography, f"region, region_kind, share_number / {{divisor}}, {state}"),
    ):
        if source is None:
            continue
        divisor = 100.0 if _percent_file(connection, source) else 1.0
        connection.execute(
            f"""INSERT INTO {table} SELECT influencer_id, platform, {columns.format(divisor=divisor)}
                FROM ({_cells_sql(source)}) c WHERE influencer_id IS NOT NULL AND share_number IS NOT NULL
                ORDER BY line"""
        )
