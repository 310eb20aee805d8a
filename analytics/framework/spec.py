"""The framework workbook's sheets and columns, as data.

The template writer, the reader and the README all read these specs, so a column is
described once. ``kind`` says how a cell is read:

- ``text``: any text; ``code``: an indicator or action code (trimmed, upper-cased 'NI' prefix)
- ``number``: a number (``45%``, ``1,234`` and ``£2,000`` are read as numbers)
- ``int``: a whole number; ``bool``: yes/no; ``choice``: one of ``choices``
- ``year``: a financial year written ``2009/10``; ``period``: ``2009/10`` or ``2009/10 Q2``
- ``date``: a date (an Excel date, or text ``2009-06-30`` / ``30/06/2009``)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.vocabulary import (
    AGGREGATION_RULES,
    FREQUENCIES,
    LAA_STATUSES,
    MEASURE_TYPES,
    POLARITIES,
    STATUS_RULES,
)

TIERS = ("county", "district", "unitary")
RATIO_TYPES = ("proportion", "rate")
COMPARATORS = ("county", "england", "neighbours")
REWARD_ADJUSTMENTS = ("withdrawn", "reduced")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class SheetSpec:
    name: str
    purpose: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required_sheet: bool = False
    example_rows: tuple[tuple[object, ...], ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


PARTNERSHIP = SheetSpec(
    name="Partnership",
    purpose="Who this framework belongs to (one row).",
    columns=(
        Column("partnership_code", "text", True, "Short code, e.g. WYV", width=16),
        Column("name", "text", True, "e.g. Wyvern Vale Partnership", width=34),
        Column("tier", "choice", True, "county, district or unitary", TIERS),
        Column("parent_name", "text", False, "The county partnership, in two-tier areas", width=34),
        Column("area_name", "text", False, "The place, e.g. Wyvern Vale District", width=28),
        Column(
            "reward_grant_total",
            "number",
            False,
            "Performance Reward Grant the reward targets can earn in full, £ (split equally "
            "between them); blank if not known",
            width=16,
        ),
        Column(
            "reward_threshold_pct",
            "number",
            False,
            "Reward: nothing is paid below this % of the stretch (blank: 60, the Local PSA rule)",
        ),
        Column(
            "reward_capital_pct",
            "number",
            False,
            "Reward: the % of the grant paid as capital, the rest revenue (blank: 30)",
        ),
        *(
            SPC_COLUMNS := (
                Column(
                    "spc_run_length",
                    "int",
                    False,
                    "SPC: points in a trend or shift, 6 or 7 (blank: 7)",
                ),
                Column(
                    "spc_screening",
                    "bool",
                    False,
                    "SPC: leave outlying moving ranges out of the limits, yes or no (blank: yes)",
                ),
                Column(
                    "spc_fix_after_points",
                    "int",
                    False,
                    "SPC: fix the limits after this many points, 12 or more (blank: not fixed)",
                ),
            )
        ),  # fmt: skip
    ),
    key=("partnership_code",),
)

THEMES = SheetSpec(
    name="Themes",
    purpose="The theme groups (thematic partnerships) that send returns.",
    columns=(
        Column("theme", "text", True, "The theme group's name, as used on other sheets", width=44),
        Column("short_name", "text", False, "A short label for charts", width=18),
        Column("chair", "text", False, "Chair (partner organisation)", width=26),
        Column("lead_officer", "text", False, "Officer who sends the return", width=22),
        Column("contact_email", "text", False, "Where the return template goes", width=30),
        Column(
            "chair_email",
            "text",
            False,
            "The chair's e-mail: an overdue return is escalated "
            "to the chair as well as the performance officer",
            width=30,
        ),
    ),
    key=("theme",),
    required_sheet=True,
)

INDICATORS = SheetSpec(
    name="Indicators",
    purpose=(
        "One row per indicator. An NI code (NI 191, NI 157a) takes its title and polarity from "
        "the National Indicator catalogue unless you fill them in here."
    ),
    columns=(
        Column("code", "code", True, "NI 191, or a local code such as L-SC-01", width=11),
        Column("title", "text", False, "Blank for an NI: the catalogue title is used", width=50),
        Column("theme", "text", True, "A theme from the Themes sheet", width=34),
        Column("polarity", "choice", False, "higher, lower or none (data only)", POLARITIES),
        Column("unit", "text", False, "%, number, rate per 1,000, £, days ...", width=12),
        Column("decimals", "int", False, "Decimal places shown and compared (default 1)"),
        Column("frequency", "choice", False, "monthly/quarterly/annual/biennial", FREQUENCIES),
        Column("measure_type", "choice", False, "snapshot, or cumulative in year", MEASURE_TYPES),
        Column("status_rule", "choice", False, "How RAG is decided (default pct)", STATUS_RULES),
        Column(
            "green_tolerance_pct",
            "number",
            False,
            "Green band, % of target: a miss within it is green (blank: the target must be met)",
        ),
        Column("amber_tolerance_pct", "number", False, "Amber band, % of target (default 5)"),
        Column("amber_tolerance_abs", "number", False, "Amber band in units (abs_tolerance)"),
        Column("minimum_standard", "number", False, "Amber floor (ideal_minimum rule)"),
        Column("dot_threshold", "number", False, "Change below this is 'no change'"),
        Column("is_laa", "bool", False, "yes if in the Local Area Agreement"),
        Column("laa_status", "choice", False, "designated, statutory, reward, local", LAA_STATUSES),
        Column("lead", "text", False, "Lead partner organisation", width=22),
        Column("lead_officer", "text", False, "Lead officer", width=20),
        Column("data_source", "text", False, "Where the figure comes from", width=24),
        Column("baseline_value", "number", False, "Baseline figure"),
        Column("baseline_period", "period", False, "Baseline period, e.g. 2007/08"),
        Column("survey_years", "text", False, "Biennial: years with a survey, 2008/09,2010/11"),
        *(
            Column(
                c.name,
                c.kind,
                False,
                c.help.replace("(blank: ", "(blank: the partnership's, ")
                .replace("7)", "else 7)")
                .replace("yes)", "else yes)")
                .replace("not fixed)", "else not fixed)"),
            )
            for c in SPC_COLUMNS
        ),  # fmt: skip
        Column(
            "ratio_type",
            "choice",
            False,
            "A value from a numerator and denominator: proportion (a percentage) or rate "
            "(blank: from the unit)",
            RATIO_TYPES,
        ),
        Column(
            "ratio_multiplier",
            "number",
            False,
            "value = numerator / denominator x this: 100 for a %, 1000 for a rate per 1,000 "
            "(blank: from the unit)",
        ),
        Column(
            "aggregation_rule",
            "choice",
            False,
            "County LAA indicators: how the county figure is made from the districts' "
            "(sum, ratio, rate_per_population, county_only; blank: not made from districts)",
            AGGREGATION_RULES,
        ),
        Column(
            "reward_share_pct",
            "number",
            False,
            "Reward targets: this target's share of the reward grant, % (blank: an equal share)",
        ),
        Column("notes", "text", False, "Anything else", width=30),
    ),
    key=("code",),
    required_sheet=True,
)

TARGETS = SheetSpec(
    name="Targets",
    purpose=(
        "Targets per financial year. A refreshed target is a second row for the same code and "
        "year with a later set_on date and a reason; every version is kept."
    ),
    columns=(
        Column("code", "code", True, "Indicator code", width=11),
        Column("year", "year", True, "Financial year, written 2009/10", width=10),
        Column("target_value", "number", False, "Annual target (blank: no target yet)"),
        Column("q1", "number", False, "Q1 profile (cumulative: to end of June)", width=10),
        Column("q2", "number", False, "Q2 profile (to end of September)", width=10),
        Column("q3", "number", False, "Q3 profile (to end of December)", width=10),
        Column("q4", "number", False, "Q4 profile (to end of March)", width=10),
        Column("is_placeholder", "bool", False, "yes until a baseline arrives"),
        Column(
            "target_without_stretch",
            "number",
            False,
            "Reward targets: the level expected without the stretch (target_value is the "
            "stretched one)",
        ),
        Column("set_on", "date", False, "Date agreed (default: today)", width=12),
        Column("reason", "text", False, "Why set or refreshed", width=36),
    ),
    key=("code", "year", "set_on"),
)

ACTIONS = SheetSpec(
    name="Actions",
    purpose="The delivery plan: one row per action.",
    columns=(
        Column("action_code", "code", True, "e.g. A-SC-01", width=11),
        Column("theme", "text", True, "A theme from the Themes sheet", width=34),
        Column("title", "text", True, "What will be done", width=50),
        Column("indicator_code", "code", False, "Indicator it supports", width=12),
        Column("lead_partner", "text", False, "Lead partner", width=22),
        Column("lead_officer", "text", False, "Lead officer", width=20),
        Column("start_date", "date", False, "Start", width=12),
        Column("due_date", "date", False, "Due", width=12),
    ),
    key=("action_code",),
)

MILESTONES = SheetSpec(
    name="Milestones",
    purpose=(
        "Milestones of each action. 'reprogrammed' = yes when the Board approved moving or "
        "suspending it; such a milestone is reported in a category of its own."
    ),
    columns=(
        Column("action_code", "code", True, "An action from the Actions sheet", width=11),
        Column("milestone_code", "code", True, "e.g. M1", width=10),
        Column("title", "text", True, "The milestone", width=46),
        Column("due_date", "date", True, "Due", width=12),
        Column("revised_due_date", "date", False, "Approved new date", width=12),
        Column("completed_on", "date", False, "Date completed", width=12),
        Column("percent_complete", "number", False, "0 to 100"),
        Column("reprogrammed", "bool", False, "yes: reprogrammed/suspended with approval"),
        Column("progress_note", "text", False, "Latest progress", width=40),
    ),
    key=("action_code", "milestone_code"),
)

COMPARATORS_SHEET = SheetSpec(
    name="Comparators",
    purpose="County, England and neighbour figures for the same indicator and period.",
    columns=(
        Column("code", "code", True, "Indicator code", width=11),
        Column("period", "period", True, "2009/10 or 2009/10 Q2", width=12),
        Column("comparator", "choice", True, "county, england or neighbours", COMPARATORS),
        Column("value", "number", True, "The comparator's figure"),
        Column("source", "text", False, "Where it comes from", width=30),
    ),
    key=("code", "period", "comparator"),
)

SPC_REBASES = SheetSpec(
    name="SPC rebases",
    purpose=(
        "Where an indicator's process limits restart (a change of definition, a new service): "
        "the first period of the new baseline and why."
    ),
    columns=(
        Column("code", "code", True, "Indicator code", width=11),
        Column("period", "period", True, "First period of the new baseline, 2009/10 Q2", width=12),
        Column("reason", "text", True, "Why the series restarts there", width=44),
    ),
    key=("code", "period"),
)

DISTRICTS = SheetSpec(
    name="Districts",
    purpose=(
        "A county's workbook: its district partnerships (the whole list; a district left off "
        "is no longer in the county). A district's own workbook names its county in "
        "parent_name."
    ),
    columns=(
        Column("district_code", "text", True, "The district partnership's code, e.g. WVP"),
        Column("name", "text", True, "Its name, e.g. Wyvern Vale Partnership", width=34),
    ),
    key=("district_code",),
)

POPULATIONS = SheetSpec(
    name="Populations",
    purpose=(
        "Populations per area and year, for indicators whose county figure is a rate per "
        "population: this partnership's own, and a county's for each of its districts."
    ),
    columns=(
        Column("partnership_code", "text", True, "The area's partnership code", width=16),
        Column("year", "year", True, "Financial year, written 2009/10", width=10),
        Column("population", "number", True, "Mid-year population estimate", width=12),
        Column("source", "text", False, "e.g. ONS mid-2009 estimate", width=28),
    ),
    key=("partnership_code", "year"),
)

CONTRIBUTIONS = SheetSpec(
    name="Contributions",
    purpose=(
        "A county's workbook: each district's contribution target to a county LAA target. "
        "The county's own target (Targets sheet) stays the one agreed with government."
    ),
    columns=(
        Column("code", "code", True, "The county's indicator code", width=11),
        Column("district_code", "text", True, "A district on the Districts sheet", width=14),
        Column("year", "year", True, "Financial year, written 2009/10", width=10),
        Column(
            "contribution_target",
            "number",
            True,
            "The district's target, in the indicator's unit (a count, or its own % or rate)",
        ),
        Column("set_on", "date", False, "Date agreed (default: today)", width=12),
        Column("reason", "text", False, "e.g. agreed at the LAA delivery group", width=30),
    ),
    key=("code", "district_code", "year"),
)

REWARD_ALLOCATIONS = SheetSpec(
    name="Reward allocations",
    purpose=(
        "A reward target's grant split between the partners responsible, according to their "
        "contribution (the shares of one target add up to 100)."
    ),
    columns=(
        Column("code", "code", True, "A reward target's code", width=11),
        Column("partner", "text", True, "The partner organisation", width=30),
        Column("share_pct", "number", True, "Its share of the target's grant, %"),
    ),
    key=("code", "partner"),
)

REWARD_ADJUSTMENTS_SHEET = SheetSpec(
    name="Reward adjustments",
    purpose=(
        "Government decisions that changed what the reward pays, with their date: withdrawn "
        "(nothing paid) or reduced (paid reduction_pct less)."
    ),
    columns=(
        Column("decided_on", "date", True, "Date of the decision", width=12),
        Column("adjustment", "choice", True, "withdrawn or reduced", REWARD_ADJUSTMENTS),
        Column("reduction_pct", "number", False, "Reduced: by this %, e.g. 50"),
        Column("note", "text", False, "e.g. LAA reward withdrawn in the Spending Review", width=44),
    ),
    key=("decided_on", "adjustment"),
)

BOARD_DATES = SheetSpec(
    name="Board dates",
    purpose="Partnership Board meetings (for 'what changed since the last Board').",
    columns=(
        Column("meeting_date", "date", True, "Date of the meeting", width=14),
        Column("title", "text", False, "e.g. Partnership Board", width=30),
    ),
    key=("meeting_date",),
)

REVIEW_DATES = SheetSpec(
    name="Review dates",
    purpose="Overview and Scrutiny six-monthly review meetings (for 'since the last review').",
    columns=(
        Column("meeting_date", "date", True, "Date of the review meeting", width=14),
        Column("title", "text", False, "e.g. Overview and Scrutiny Committee", width=34),
    ),
    key=("meeting_date",),
)

SHEETS: tuple[SheetSpec, ...] = (
    PARTNERSHIP,
    THEMES,
    INDICATORS,
    TARGETS,
    ACTIONS,
    MILESTONES,
    COMPARATORS_SHEET,
    SPC_REBASES,
    DISTRICTS,
    POPULATIONS,
    CONTRIBUTIONS,
    REWARD_ALLOCATIONS,
    REWARD_ADJUSTMENTS_SHEET,
    BOARD_DATES,
    REVIEW_DATES,
)

INDICATOR_DEFAULTS = {
    "decimals": 1,
    "frequency": "quarterly",
    "measure_type": "snapshot",
    "status_rule": "pct_tolerance",
    "amber_tolerance_pct": 5.0,
    "is_laa": False,
    "laa_status": "local",
    "unit": "",
}

SHEETS_BY_NAME: dict[str, SheetSpec] = {sheet.name: sheet for sheet in SHEETS}
