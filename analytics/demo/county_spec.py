"""The demo's county, as data: Wyvernshire Partnership, the county LSP that agreed the Local
Area Agreement 2008-11, and its four districts (Wyvern Vale, the demo partnership, and three
more, invented like it).

The county's LAA indicators are the real National Indicators Wyvern Vale also collects; each
says how the county figure is made from the districts' (the aggregation rule). The three new
districts keep a lean framework of their contributions to the LAA; Brindlecombe is the
district the county view shows holding most of the gaps (the Worcestershire assessment of
December 2009 red-flagged "differences in quality of life in Redditch").
"""

from __future__ import annotations

from dataclasses import dataclass

SEED = 2008  # the demo's (analytics.demo.build.SEED)

COUNTY = {
    "partnership_code": "WSP",
    "name": "Wyvernshire Partnership",
    "tier": "county",
    "area_name": "Wyvernshire",
    "reward_grant_total": 3_600_000,
    "reward_threshold_pct": 60,
    "reward_capital_pct": 30,
}

# (code, theme key, aggregation rule, multiplier when the unit does not say it)
COUNTY_INDICATORS: tuple[tuple[str, str, str, float | None], ...] = (
    ("NI 16", "safe", "rate_per_population", None),
    ("NI 20", "safe", "rate_per_population", None),
    ("NI 32", "safe", "county_only", None),
    ("NI 47", "safe", "sum", None),
    ("NI 192", "env", "ratio", None),
    ("NI 191", "env", "ratio", 1000.0),  # tonnes of residual waste per household, in kg
    ("NI 186", "env", "county_only", None),
    ("NI 188", "env", "county_only", None),
    ("NI 152", "econ", "ratio", None),
    ("NI 151", "econ", "county_only", None),
    ("NI 154", "econ", "sum", None),
    ("NI 155", "econ", "sum", None),
    ("NI 39", "health", "rate_per_population", None),
    ("NI 123", "health", "rate_per_population", None),
    ("NI 8", "health", "county_only", None),
    ("NI 117", "cyp", "ratio", None),
    ("NI 111", "cyp", "rate_per_population", None),
    ("NI 75", "cyp", "county_only", None),
    ("NI 73", "cyp", "county_only", None),
    ("NI 1", "strong", "county_only", None),
    ("NI 4", "strong", "county_only", None),
)

# The county's chairs of the LAA blocks (the theme names are Wyvern Vale's, the blocks').
COUNTY_CHAIRS = {
    "safe": ("Wyvernshire Community Safety Board", "County Community Safety Manager"),
    "env": ("Wyvernshire Waste Partnership", "County Waste Strategy Manager"),
    "econ": ("Wyvernshire Economic Partnership", "County Economic Development Manager"),
    "health": ("Wyvernshire Health and Well-being Board", "Director of Public Health"),
    "cyp": ("Children's Trust Board", "Head of Children's Services Strategy"),
    "strong": ("Wyvernshire Partnership Board", "LAA Manager"),
}

# The county types its own figure of every LAA indicator into its returns (what it sends to
# government): its county-only figures, and for the others the figure of its districts'
# returns as it adds them up, beside the one the product computes from them.
COUNTY_REPORTS = tuple(code for code, _, rule, _ in COUNTY_INDICATORS if rule != "county_only")
# Quarters where the county's typed figure differs from the districts' (a data-quality
# problem the reported-vs-computed column shows): (code, period, difference in units).
REPORTED_SLIPS = (("NI 192", "2010/11 Q3", 0.8), ("NI 16", "2010/11 Q4", -0.35))


@dataclass(frozen=True)
class District:
    code: str
    name: str
    area: str
    population: int  # 2008/09 mid-year estimate
    level: float  # its figures against Wyvern Vale's, better (>1) or worse, after polarity
    contribution: float  # its contribution targets against its own trend, >1: more stretching
    seed: int


# Wyvern Vale first (the demo partnership: its figures are its own), then the new three.
WYVERN_VALE_POPULATION = 78_500
DISTRICTS: tuple[District, ...] = (
    District("AGP", "Ashgrove Partnership", "Ashgrove District", 112_400, 1.04, 1.0, 11),
    District("BCP", "Brindlecombe Partnership", "Brindlecombe Borough", 81_300, 0.90, 1.0, 12),
    District("KHP", "Kestrel Heath Partnership", "Kestrel Heath District", 96_800, 1.02, 1.0, 13),
)
POPULATION_GROWTH = 0.006  # a year

# Denominators of the ratio indicators, per head of population (a quarter's tonnes of
# household waste collected; households; working-age people; 16-18 year olds).
DENOMINATOR_PER_HEAD = {"NI 192": 0.105, "NI 191": 0.43, "NI 152": 0.62, "NI 117": 0.038}

# The district themes: a lean framework of their LAA contributions, two theme groups.
DISTRICT_THEMES = (
    ("safer", "Safer and healthier communities", "Safer and healthier",
     ("NI 16", "NI 20", "NI 47", "NI 39", "NI 123")),
    ("place", "Environment, economy and young people", "Place and young people",
     ("NI 192", "NI 191", "NI 152", "NI 154", "NI 155", "NI 117", "NI 111")),
)  # fmt: skip

# The county's targets against the sum or the weighted level of the districts' contribution
# targets: 1.0 where they add up; NI 154 net additional homes is agreed with government at
# more than the districts have signed up to (the county view says so).
COUNTY_TARGET_OVER_CONTRIBUTIONS = {"NI 154": 1.06}

# Reward targets: the stretch share of the improvement (as Wyvern Vale's), the partners'
# allocations of each target's grant (%), and the government's decision.
REWARD_ALLOCATIONS = {
    "NI 192": (("Wyvernshire County Council (waste disposal)", 40.0),
               ("Ashgrove District Council", 18.0), ("Brindlecombe Borough Council", 12.0),
               ("Kestrel Heath District Council", 15.0), ("Wyvern Vale District Council", 15.0)),
    "NI 123": (("Wyvernshire Primary Care Trust", 100.0),),
}  # fmt: skip
REWARD_ADJUSTMENTS = (
    ("2010-10-20", "withdrawn", None,
     "Spending Review 2010: reward for the 2008-11 LAAs withdrawn by government"),
)  # fmt: skip

# The county's and the districts' officers among the demo accounts (password: the demo's):
# email, name, role, partnership code.
COUNTY_ACCOUNTS = (
    ("officer@wyvernshire.example", "Cass County", "officer", "WSP"),
    ("officer@brindlecombe.example", "Dev District", "officer", "BCP"),
)
