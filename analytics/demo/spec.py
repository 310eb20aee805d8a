"""The demo partnership, as data: a fictional district LSP in a two-tier county.

Wyvern Vale is invented; its theme groups are named like the blocks of the Worcestershire
LAA 2008-11, its indicators are real National Indicators plus local ones, and its numbers
are generated (deterministically) around plausible baselines.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTNERSHIP = {
    "partnership_code": "WVP",
    "name": "Wyvern Vale Partnership",
    "tier": "district",
    "parent_name": "Wyvernshire Partnership",
    "area_name": "Wyvern Vale District",
}

# The demo's sign-in accounts, one per role: email, name, role, theme groups (a theme lead's).
DEMO_PASSWORD = "wyvern-vale-demo"
DEMO_ACCOUNTS = (
    ("admin@wyvernvale.example", "Alex Admin", "admin", ()),
    ("officer@wyvernvale.example", "Olu Officer", "officer", ()),
    ("lead@wyvernvale.example", "Lee Lead", "theme_lead",
     ("Communities that are safe and feel safe",)),
    ("board@wyvernvale.example", "Bea Board", "board", ()),
    ("scrutiny@wyvernvale.example", "Sam Scrutiny", "scrutiny", ()),
    # more theme leads, for the collection's web form (issue 23)
    ("environment.lead@wyvernvale.example", "Eve Environment", "theme_lead",
     ("A better environment for today and tomorrow",)),
    ("stronger.lead@wyvernvale.example", "Sol Stronger", "theme_lead",
     ("Stronger communities",)),
)  # fmt: skip

# Where each theme group's return reminders go besides its leads' accounts (the Themes
# sheet's contact_email), and its chair's address (overdue returns are escalated to it).
THEME_EMAILS = {
    "safe": ("community.safety@wyvernvale.example", "chair.safer@wyvernvale.example"),
    "env": ("environment@wyvernvale.example", None),
    "econ": ("economy@wyvernvale.example", "chair.economy@wyvernvale.example"),
    "health": ("health.improvement@wyvernvale.example", "chair.health@wyvernvale.example"),
    "cyp": ("children@wyvernvale.example", None),
    "strong": ("partnership@wyvernvale.example", None),
}

# The collection (issue 23): every quarter signed off; each locked the day after the Board
# that saw it, and 2010/11 Q4 once the year-end Board has seen it (30 September 2011), so a
# rehearsal of the summer of 2011 (LSP_TODAY=2011-07-20) still has Health's return to chase.
Q4_2010_LOCKS_ON = "2011-09-30"
BOARD_ACCEPTED_ONLY = True

# key, name, short name, chair, lead officer
THEMES = (
    ("safe", "Communities that are safe and feel safe", "Safer communities",
     "Wyvernshire Constabulary", "Community Safety Manager"),
    ("env", "A better environment for today and tomorrow", "Better environment",
     "Wyvern Vale District Council", "Head of Environmental Services"),
    ("econ", "Economic success that is shared by all", "Economic success",
     "Wyvern Vale Chamber of Commerce", "Economic Development Manager"),
    ("health", "Improving health and well-being", "Health and well-being",
     "Wyvernshire Primary Care Trust", "Health Improvement Lead"),
    ("cyp", "Meeting the needs of children and young people", "Children and young people",
     "Wyvernshire County Council", "Children's Services Locality Manager"),
    ("strong", "Stronger communities", "Stronger communities",
     "Wyvern Vale CVS", "Partnership Manager"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    theme: str
    baseline: float  # 2007/08 outturn (for cumulative: the year's total)
    step: float  # planned improvement a year, in the better direction
    skill: float  # share of the planned improvement actually delivered (1 = on plan)
    noise: float  # quarter-to-quarter noise, in units
    unit: str = ""
    decimals: int = 1
    frequency: str = "quarterly"
    measure_type: str = "snapshot"
    title: str | None = None  # None: the catalogue title
    polarity: str | None = None  # None: the catalogue polarity
    laa_status: str = "local"
    lead: str = ""
    status_rule: str | None = None
    amber_tolerance_pct: float | None = None
    amber_tolerance_abs: float | None = None
    minimum_standard: float | None = None
    dot_threshold: float | None = None
    data_source: str = ""
    cap: float | None = None  # upper bound (100 for percentages)


Ind = DemoIndicator
POLICE, COUNCIL, COUNTY, PCT = (
    "Wyvernshire Constabulary",
    "Wyvern Vale District Council",
    "Wyvernshire County Council",
    "Wyvernshire Primary Care Trust",
)

INDICATORS: tuple[DemoIndicator, ...] = (
    # Communities that are safe and feel safe
    Ind("NI 16", "safe", 14.8, 0.6, 0.8, 0.3, "rate per 1,000 population", 2, "quarterly",
      "cumulative", laa_status="designated", lead=POLICE, data_source="iQuanta"),
    Ind("NI 15", "safe", 0.9, 0.05, 1.2, 0.04, "rate per 1,000 population", 2, "quarterly",
      "cumulative", lead=POLICE, data_source="iQuanta"),
    Ind("NI 20", "safe", 5.6, 0.3, 0.4, 0.15, "rate per 1,000 population", 2, "quarterly",
      "cumulative", laa_status="designated", lead=POLICE),
    Ind("NI 32", "safe", 24.0, 1.5, 0.7, 1.8, "%", 1, laa_status="reward",
      lead="Domestic Abuse Forum"),
    Ind("NI 30", "safe", 95.0, 4.0, 1.3, 0.0, "offences", 0, "annual",
        lead="Wyvernshire Probation"),
    Ind("NI 47", "safe", 42.0, 2.0, 0.6, 0.0, "number", 0, "annual", laa_status="designated",
      lead=COUNTY, status_rule="improved_last_year"),
    Ind("NI 17", "safe", 21.0, 1.0, 1.0, 0.0, "%", 0, "biennial", laa_status="local",
      lead=COUNCIL, data_source="Place Survey"),
    Ind("L-SC-01", "safe", 3100, 120, 0.9, 60, "incidents", 0, "quarterly", "cumulative",
      "Anti-social behaviour incidents reported to the police", "lower", lead=POLICE,
      status_rule="abs_tolerance", amber_tolerance_abs=150, dot_threshold=20),
    Ind("L-SC-02", "safe", 3.6, 0.0, 1.0, 0.5, "incidents a month", 1, "quarterly", "snapshot",
      "Hate incidents reported (data only)", "none", lead="Community Cohesion Group"),
    # A better environment for today and tomorrow
    Ind("NI 191", "env", 640.0, 15.0, 0.8, 4.0, "kg per household", 0, "quarterly", "cumulative",
      laa_status="designated", lead=COUNCIL, data_source="WasteDataFlow"),
    Ind("NI 192", "env", 36.0, 2.0, 1.1, 1.2, "%", 1, laa_status="reward", lead=COUNCIL,
      data_source="WasteDataFlow", cap=100),
    Ind("NI 195", "env", 11.0, 1.0, 0.9, 1.0, "%", 0, lead=COUNCIL, status_rule="ideal_minimum",
      minimum_standard=12.0),
    Ind("NI 196", "env", 2.0, 0.0, 1.0, 0.0, "grade (1 best)", 0, "annual", lead=COUNCIL,
      status_rule="abs_tolerance", amber_tolerance_abs=1.0),
    Ind("NI 186", "env", 8.4, 0.25, 0.9, 0.0, "tonnes per capita", 2, "annual",
      laa_status="reward", lead="Climate Change Group", data_source="DECC"),
    Ind("NI 188", "env", 1.0, 1.0, 0.7, 0.0, "level (0-4)", 0, "annual", laa_status="designated",
      lead=COUNCIL),
    Ind("L-EN-01", "env", 410, 20, 0.5, 12, "incidents", 0, "quarterly", "cumulative",
      "Fly-tipping incidents cleared", "lower", lead=COUNCIL),
    # Economic success that is shared by all
    Ind("NI 152", "econ", 9.6, 0.2, -2.5, 0.12, "%", 1, laa_status="designated",
      lead="Jobcentre Plus", data_source="DWP benefits data"),
    Ind("NI 151", "econ", 76.5, 0.5, -1.2, 0.3, "%", 1, laa_status="designated",
      lead="Jobcentre Plus", data_source="Annual Population Survey", cap=100),
    Ind("NI 153", "econ", 27.0, 0.5, -1.0, 0.3, "%", 1, lead="Jobcentre Plus"),
    Ind("NI 154", "econ", 310, 20, 0.6, 0.0, "homes", 0, "annual", laa_status="designated",
      lead=COUNCIL, data_source="Housing flows reconciliation"),
    Ind("NI 155", "econ", 95, 10, 0.9, 4, "homes", 0, "quarterly", "cumulative",
      laa_status="designated", lead=COUNCIL),
    Ind("NI 157a", "econ", 62.0, 3.0, 1.2, 4.0, "%", 1, lead=COUNCIL, cap=100),
    Ind("NI 171", "econ", 52.0, 1.5, 0.3, 0.0, "per 10,000 adults", 1, "annual",
      lead="Business Link", data_source="ONS business demography"),
    Ind("NI 166", "econ", 455.0, 12.0, 0.7, 0.0, "£ per week", 0, "annual", lead="Wyvernshire LEP",
      data_source="ASHE"),
    # Improving health and well-being
    Ind("NI 39", "health", 1280.0, 25.0, -0.6, 18.0, "rate per 100,000", 0, laa_status="designated",
      lead=PCT, data_source="Hospital Episode Statistics"),
    Ind("NI 123", "health", 720.0, 30.0, 1.1, 15.0, "rate per 100,000", 0, "quarterly",
        "cumulative",
      laa_status="reward", lead=PCT),
    Ind("NI 8", "health", 21.0, 1.0, 0.5, 0.0, "%", 1, "annual", laa_status="designated",
      lead="Wyvern Vale Sports Partnership", data_source="Active People Survey", cap=100),
    Ind("NI 120", "health", 560.0, 8.0, 1.0, 0.0, "rate per 100,000", 0, "annual", lead=PCT,
      data_source="ONS mortality"),
    Ind("NI 136", "health", 2900.0, 60.0, 0.9, 25.0, "rate per 100,000", 0, lead=COUNTY),
    Ind("L-HW-01", "health", 412000, 8000, 1.0, 2500, "visits", 0, "quarterly", "cumulative",
      "Attendances at district leisure centres", "higher", lead=COUNCIL),
    Ind("L-HW-02", "health", 0.0, 30.0, 0.8, 3.0, "referrals", 0, "quarterly", "cumulative",
      "GP exercise referral scheme completions", "higher", lead=PCT),
    # Meeting the needs of children and young people
    Ind("NI 117", "cyp", 6.1, 0.3, 0.4, 0.25, "%", 1, laa_status="designated",
      lead="Connexions Wyvernshire", cap=100),
    Ind("NI 111", "cyp", 1650.0, 60.0, 1.3, 20.0, "rate per 100,000", 0, "quarterly", "cumulative",
      laa_status="designated", lead="Youth Offending Service"),
    Ind("NI 112", "cyp", 32.0, 1.5, 0.5, 0.0, "rate per 1,000", 1, "annual",
      laa_status="designated", lead=PCT),
    Ind("NI 56", "cyp", 17.0, 0.3, 0.6, 0.0, "%", 1, "annual", laa_status="designated", lead=PCT),
    Ind("NI 75", "cyp", 49.0, 2.0, 0.9, 0.0, "%", 1, "annual", laa_status="statutory",
      lead=COUNTY, data_source="DCSF", cap=100),
    Ind("NI 73", "cyp", 73.0, 1.5, 0.6, 0.0, "%", 0, "annual", laa_status="statutory",
      lead=COUNTY, data_source="DCSF", cap=100),
    Ind("L-CY-01", "cyp", 5200, 200, 1.1, 120, "attendances", 0, "quarterly", "cumulative",
      "Young people attending youth clubs and positive activities", "higher", lead=COUNCIL),
    # Stronger communities
    Ind("NI 1", "strong", 78.0, 1.0, 1.4, 0.0, "%", 0, "biennial", laa_status="designated",
      lead=COUNCIL, data_source="Place Survey", cap=100),
    Ind("NI 4", "strong", 29.0, 1.0, 0.4, 0.0, "%", 0, "biennial", laa_status="designated",
      lead=COUNCIL, data_source="Place Survey", cap=100),
    Ind("NI 6", "strong", 26.0, 1.0, 0.8, 0.0, "%", 0, "biennial", laa_status="designated",
      lead="Wyvern Vale CVS", data_source="Place Survey", cap=100),
    Ind("NI 5", "strong", 81.0, 1.0, 0.9, 0.0, "%", 0, "biennial", lead=COUNCIL,
      data_source="Place Survey", cap=100),
    Ind("NI 14", "strong", 31.0, 2.0, 0.8, 1.5, "%", 1, lead=COUNCIL, cap=100),
    Ind("L-ST-01", "strong", 46, 5, 1.2, 6, "groups", 0, "quarterly", "snapshot",
      "Community groups supported by the CVS", "higher", lead="Wyvern Vale CVS"),
    Ind("L-ST-02", "strong", 1400, 100, 0.7, 60, "volunteer hours", 0, "quarterly", "cumulative",
      "Volunteer hours brokered by the volunteer centre", "higher", lead="Wyvern Vale CVS"),
)  # fmt: skip

FIRST_YEAR = 2008  # 2008/09
YEARS = 3  # 2008/09, 2009/10, 2010/11

# The Local Area Agreement's reward (stretch) targets: the share of each year's planned
# improvement that is the stretch, so the level expected without it is baseline + (1 - share)
# x the improvement. The demo records no grant amount (the report says so).
STRETCH_SHARE = {"NI 32": 0.5, "NI 192": 0.4, "NI 186": 0.25, "NI 123": 0.4}
SURVEY_YEARS = "2008/09,2010/11"
MISSING_RETURN = ("health", "2010/11 Q4")
CORRECTED_RETURN = ("econ", "2009/10 Q2")

# Targets refreshed mid-way: (code, year, set_on, factor on the original step, reason)
REFRESHED = (
    ("NI 152", "2009/10", "2009-10-14", -1.0,
     "LAA refresh: renegotiated with Government Office in light of the recession"),
    ("NI 151", "2009/10", "2009-10-14", 0.0,
     "LAA refresh: employment target held at baseline during the recession"),
    ("NI 155", "2010/11", "2010-07-01", 0.6,
     "Reduced after the Homes and Communities Agency funding round"),
)  # fmt: skip

# Custom quarterly profile for cumulative targets (share of the annual target by quarter end)
PROFILES = {"NI 155": (0.10, 0.30, 0.55, 1.0), "L-HW-01": (0.27, 0.55, 0.78, 1.0)}
PLACEHOLDER = ("L-HW-02", "2008/09")  # no baseline until the scheme had run a year

COMPARATOR_CODES = ("NI 16", "NI 152", "NI 151", "NI 192", "NI 191", "NI 117", "NI 39", "NI 8",
                    "NI 56", "NI 75")  # fmt: skip
