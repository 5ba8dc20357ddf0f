"""Indian states and union territories: the one rule that reads a place name (a sale's shipping
state, an audience file's state or city) as a region, so both sides of the audience-against-sales
comparison name a region the same way.

Rules (docs/metrics.md, "Regions of sales and audiences"):
- a name is compared by its key: lower case, "&" read as "and", dots dropped, runs of spaces and
  underscores as one space, trimmed, an "IN-" prefix (ISO 3166-2:IN) dropped;
- a key names a region when it is one of STATES' names, spellings or codes (ISO 3166-2:IN, old and
  2023 codes, and the codes Shopify and WooCommerce export), or one of CITIES (the largest cities, each
  counted in its state or union territory); for "City, State" (Instagram's audience_city) the whole
  key, then the part after the last comma, then the part before the first comma;
- anything else is unmatched: kept as written (spaces collapsed), listed on the page and in the
  import's warnings, never dropped or guessed.
"""

from __future__ import annotations

# Canonical name -> other spellings and codes (the canonical name itself always matches).
STATES: dict[str, tuple[str, ...]] = {
    "Andhra Pradesh": ("AP",),
    "Arunachal Pradesh": ("AR",),
    "Assam": ("AS",),
    "Bihar": ("BR",),
    "Chhattisgarh": ("CG", "CT", "Chattisgarh", "Chhatisgarh"),
    "Goa": ("GA",),
    "Gujarat": ("GJ",),
    "Haryana": ("HR",),
    "Himachal Pradesh": ("HP",),
    "Jharkhand": ("JH",),
    "Karnataka": ("KA",),
    "Kerala": ("KL",),
    "Madhya Pradesh": ("MP",),
    "Maharashtra": ("MH", "Maharastra"),
    "Manipur": ("MN",),
    "Meghalaya": ("ML",),
    "Mizoram": ("MZ",),
    "Nagaland": ("NL",),
    "Odisha": ("OD", "OR", "Orissa"),
    "Punjab": ("PB",),
    "Rajasthan": ("RJ",),
    "Sikkim": ("SK",),
    "Tamil Nadu": ("TN", "Tamilnadu"),
    "Telangana": ("TG", "TS"),
    "Tripura": ("TR",),
    "Uttar Pradesh": ("UP",),
    "Uttarakhand": ("UK", "UT", "Uttaranchal"),
    "West Bengal": ("WB",),
    "Andaman and Nicobar Islands": ("AN", "Andaman and Nicobar"),
    "Chandigarh": ("CH",),
    "Dadra and Nagar Haveli and Daman and Diu": ("DH", "DN", "DD", "Dadra and Nagar Haveli", "Daman and Diu"),
    "Delhi": ("DL", "NCT of Delhi", "National Capital Territory of Delhi", "New Delhi"),
    "Jammu and Kashmir": ("JK",),
    "Ladakh": ("LA",),
    "Lakshadweep": ("LD",),
    "Puducherry": ("PY", "Pondicherry"),
}
# The largest cities (and their old names), each in its state or union territory.
CITIES: dict[str, tuple[str, ...]] = {
    "Maharashtra": ("Mumbai", "Bombay", "Navi Mumbai", "Thane", "Pune", "Nagpur", "Nashik", "Aurangabad"),
    "Delhi": (),  # "Delhi" and "New Delhi" are its names already
    "Karnataka": ("Bengaluru", "Bangalore", "Mysuru", "Mysore", "Mangaluru", "Mangalore"),
    "Tamil Nadu": ("Chennai", "Madras", "Coimbatore", "Madurai"),
    "Telangana": ("Hyderabad", "Secunderabad", "Warangal"),
    "West Bengal": ("Kolkata", "Calcutta", "Howrah"),
    "Gujarat": ("Ahmedabad", "Surat", "Vadodara", "Baroda", "Rajkot"),
    "Rajasthan": ("Jaipur", "Jodhpur", "Udaipur", "Kota"),
    "Uttar Pradesh": ("Lucknow", "Kanpur", "Noida", "Ghaziabad", "Agra", "Varanasi", "Prayagraj", "Allahabad"),
    "Haryana": ("Gurugram", "Gurgaon", "Faridabad"),
    "Madhya Pradesh": ("Indore", "Bhopal", "Gwalior", "Jabalpur"),
    "Bihar": ("Patna",),
    "Kerala": ("Kochi", "Cochin", "Thiruvananthapuram", "Trivandrum", "Kozhikode", "Calicut"),
    "Andhra Pradesh": ("Visakhapatnam", "Vizag", "Vijayawada"),
    "Odisha": ("Bhubaneswar", "Cuttack"),
    "Assam": ("Guwahati",),
    "Punjab": ("Ludhiana", "Amritsar", "Jalandhar"),
    "Uttarakhand": ("Dehradun",),
    "Jharkhand": ("Ranchi", "Jamshedpur"),
    "Chhattisgarh": ("Raipur",),
    "Jammu and Kashmir": ("Srinagar", "Jammu"),
    "Himachal Pradesh": ("Shimla",),
    "Goa": ("Panaji", "Panjim"),
}

# A place name's key (module doc), as SQL over the text column or expression `{col}`.
KEY_SQL = (
    "regexp_replace(trim(regexp_replace(replace(replace(lower({col}), '&', ' and '), '.', ''), "
    "'[\\s_]+', ' ', 'g')), '^in-\\s*', '')"
)
# A name as shown when unmatched: as written, runs of spaces as one.
SHOWN_SQL = "NULLIF(trim(regexp_replace({col}, '\\s+', ' ', 'g')), '')"


def names() -> list[tuple[str, str]]:
    """Every (spelling, region) pair the module doc describes: names, codes and cities."""
    pairs = [(state, state) for state in STATES]
    pairs += [(alias, state) for state, aliases in STATES.items() for alias in aliases]
    pairs += [(city, state) for state, cities in CITIES.items() for city in cities]
    return pairs


def create_region_names(connection) -> None:
    """Temp table `region_names` (key, region): every spelling's key and its region (one per key)."""
    connection.execute("CREATE OR REPLACE TEMP TABLE region_spellings (spelling VARCHAR, region VARCHAR)")
    connection.executemany("INSERT INTO region_spellings VALUES (?, ?)", names())
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE region_names AS
            SELECT DISTINCT {KEY_SQL.format(col="spelling")} AS key, region FROM region_spellings"""
    )
    (clashes,) = connection.execute("SELECT count(*) - count(DISTINCT key) FROM region_names").fetchone()
    if clashes:  # a spelling naming two regions would make a place's region depend on join order
        raise AssertionError("warehouse/regions.py: a spelling names two regions")


def region_of_sql(col: str) -> str:
    """SQL of the region `{col}` names (module doc), or NULL when unmatched; needs `region_names`.
    `col` must not be a bare `region` or `key` (the lookup's own columns would shadow it)."""
    key = KEY_SQL.format(col=col)
    parts = (key, f"trim(regexp_extract({key}, ',([^,]*)$', 1))", f"trim(split_part({key}, ',', 1))")
    return (
        "COALESCE(" + ", ".join(f"(SELECT n.region FROM region_names n WHERE n.key = {part})" for part in parts) + ")"
    )
