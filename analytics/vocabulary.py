"""The product's small vocabularies, one table each (pure data; imports nothing of the project).

A status, a polarity, a direction of travel ... is stored as a code (``amber``, ``higher``,
``improving``). Everything a reader sees of a code — its word, its symbol, its colour, the
words the public reads, its place in a report — is a column of its row here, and every
module that shows, sorts or filters codes reads these tables instead of keeping a list of
its own: :mod:`analytics.labels` (words for pages and exports), the status engine's
category order (:mod:`analytics.status.rag`), the Board's exceptions
(:mod:`analytics.board`), the reports, the framework workbook's choices and the public site.
(Model: pudl's ``metadata/codes.py``, a table per coded column.)

A table's row order is the order its codes are stored in (the engine's integer codes and the
categories of its frames); ``order`` is where a row stands in a report, worst first.

Colour never carries meaning alone: every coloured code has a word and a symbol too. The
fills are the Okabe-Ito palette, which colour-blind readers can tell apart; each fill has
one text colour, chosen to meet WCAG AA (4.5:1) on it (tests/test_contrast.py checks every
pair of every table).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- colours ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colour:
    """A fill and the text colour drawn on it (at least 4.5:1)."""

    fill: str
    ink: str


# Okabe-Ito, plus two greys. Near-black text meets AA on every fill but the blue (white on
# the green, the vermilion and the grey gave 3.4, 3.9 and 4.0:1).
GREEN = Colour("#009E73", "#000000")
ORANGE = Colour("#E69F00", "#000000")
VERMILION = Colour("#D55E00", "#000000")
SKY_BLUE = Colour("#56B4E9", "#000000")
BLUE = Colour("#0072B2", "#FFFFFF")  # 5.2:1
PURPLE = Colour("#CC79A7", "#000000")
GREY = Colour("#7F7F7F", "#000000")
LIGHT_GREY = Colour("#CCCCCC", "#000000")


# --- indicator status (red / amber / green) ---------------------------------------------------


@dataclass(frozen=True)
class Status:
    """One status an indicator's value can have in a period."""

    code: str
    order: int  # place in reports and counts: worst first
    word: str  # as officers and the Board read it
    public_word: str  # as the public reads it (the site, the annual report)
    symbol: str
    colour: Colour
    badge: str  # Streamlit's named colour (.streamlit/config.toml sets it to ``colour``)
    govuk_tag: str  # the public site's GOV.UK tag class
    exception: bool  # reported to the Board as an exception
    judged: bool  # judged against a target (on, just off or off target)
    off_target: bool  # the target was missed

    @property
    def label(self) -> str:
        """Symbol and word: '✔ Green'."""
        return f"{self.symbol} {self.word}"

    @property
    def public_label(self) -> str:
        """Symbol and the public's word: '✔ On target'."""
        return f"{self.symbol} {self.public_word}"


# fmt: off
STATUS_TABLE: tuple[Status, ...] = (  # stored order: the engine's codes 0..5
    Status("green", 3, "Green", "On target", "✔", GREEN, "green", "govuk-tag--green",
           exception=False, judged=True, off_target=False),
    Status("amber", 1, "Amber", "Just off target", "◆", ORANGE, "orange", "govuk-tag--yellow",
           exception=True, judged=True, off_target=True),
    Status("red", 0, "Red", "Off target", "✖", VERMILION, "red", "govuk-tag--red",
           exception=True, judged=True, off_target=True),
    Status("missing", 2, "Missing", "No figure yet", "?", GREY, "gray", "govuk-tag--grey",
           exception=True, judged=False, off_target=False),
    Status("no_target", 4, "No target", "No target set", "–", SKY_BLUE, "blue",
           "govuk-tag--blue", exception=False, judged=False, off_target=False),
    Status("no_new_data", 5, "No new data", "No new data", "…", LIGHT_GREY, "violet",
           "govuk-tag--grey", exception=False, judged=False, off_target=False),
)
# fmt: on
STATUS_BY_CODE = {s.code: s for s in STATUS_TABLE}
STATUSES = tuple(s.code for s in STATUS_TABLE)  # stored order
STATUS_ORDER = tuple(s.code for s in sorted(STATUS_TABLE, key=lambda s: s.order))  # worst first
EXCEPTION_STATUSES = tuple(s for s in STATUS_ORDER if STATUS_BY_CODE[s].exception)
JUDGED_STATUSES = tuple(s.code for s in STATUS_TABLE if s.judged)  # green, amber, red
OFF_TARGET_STATUSES = tuple(s for s in STATUS_ORDER if STATUS_BY_CODE[s].off_target)


# --- direction of travel -------------------------------------------------------------------


@dataclass(frozen=True)
class Direction:
    code: str
    word: str
    public_word: str
    symbol: str

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.word}"


DIRECTION_TABLE: tuple[Direction, ...] = (  # stored order: the engine's codes 0..2
    Direction("improving", "Improving", "Getting better", "▲"),
    Direction("no_change", "No change", "No real change", "►"),
    Direction("worsening", "Worsening", "Getting worse", "▼"),
)
DIRECTION_BY_CODE = {d.code: d for d in DIRECTION_TABLE}
DIRECTIONS = tuple(d.code for d in DIRECTION_TABLE)


# --- polarity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Polarity:
    code: str
    sign: int  # +1: a higher value is better; -1: lower; 0: neither
    label: str  # on pages and in the framework's tables
    phrase: str  # inside a sentence or a message
    public_sentence: str  # the public site's indicator page
    open_data_word: str  # the site's CSV files


# fmt: off
POLARITY_TABLE: tuple[Polarity, ...] = (
    Polarity("higher", 1, "▲ higher is better", "higher is better", "A higher figure is better.",
             "higher"),
    Polarity("lower", -1, "▼ lower is better", "lower is better", "A lower figure is better.",
             "lower"),
    Polarity("none", 0, "– data only", "no polarity",
             "This indicator is for information: no figure is better or worse.", "neither"),
)
# fmt: on
POLARITY_BY_CODE = {p.code: p for p in POLARITY_TABLE}
POLARITIES = tuple(p.code for p in POLARITY_TABLE)


# --- how often an indicator is reported, and how it is measured ---------------------------------


@dataclass(frozen=True)
class Frequency:
    code: str
    label: str
    public_phrase: str  # 'Reported every quarter'


FREQUENCY_TABLE: tuple[Frequency, ...] = (
    Frequency("monthly", "Monthly", "every month"),
    Frequency("quarterly", "Quarterly", "every quarter"),
    Frequency("annual", "Annual", "once a year"),
    Frequency("biennial", "Biennial (survey)", "every two years (from a survey)"),
)
FREQUENCY_BY_CODE = {f.code: f for f in FREQUENCY_TABLE}
FREQUENCIES = tuple(f.code for f in FREQUENCY_TABLE)


@dataclass(frozen=True)
class Coded:
    """A code and its label, for the vocabularies that have nothing more."""

    code: str
    label: str


MEASURE_TYPE_TABLE: tuple[Coded, ...] = (
    Coded("snapshot", "Snapshot"),
    Coded("cumulative", "Cumulative in year"),
)
MEASURE_TYPES = tuple(m.code for m in MEASURE_TYPE_TABLE)


@dataclass(frozen=True)
class LaaStatus:
    code: str
    label: str
    flag: str  # beside the code in the Board's tables ('' for a local indicator)


LAA_STATUS_TABLE: tuple[LaaStatus, ...] = (
    LaaStatus("designated", "LAA designated", "LAA"),
    LaaStatus("statutory", "LAA statutory (education)", "LAA statutory"),
    LaaStatus("reward", "LAA reward (stretch)", "LAA reward"),
    LaaStatus("local", "Local", ""),
)
LAA_STATUSES = tuple(s.code for s in LAA_STATUS_TABLE)


# --- how a county figure is made from its districts' (the county's LAA, analytics.county) ----


@dataclass(frozen=True)
class AggregationRule:
    """How a county indicator's figure is made from its districts' figures."""

    code: str
    label: str
    sentence: str  # the rule in words, for the page, the pack and the framework's help
    needs_numerator: bool  # a district's return must give the numerator
    needs_denominator: bool  # ... and the denominator
    needs_population: bool  # the districts' populations (the framework's Populations sheet)
    from_districts: bool  # False: measured at county level only


# fmt: off
AGGREGATION_RULE_TABLE: tuple[AggregationRule, ...] = (
    AggregationRule("sum", "Sum", "the districts' figures added up (counts: homes built, "
                    "incidents)", False, False, False, True),
    AggregationRule("ratio", "Ratio", "the districts' numerators added up over their "
                    "denominators added up, never the mean of their percentages", True, True,
                    False, True),
    AggregationRule("rate_per_population", "Rate per population", "the districts' events "
                    "added up over their populations added up, times the rate's multiplier",
                    False, False, True, True),
    AggregationRule("county_only", "County only", "measured at county level (a survey sampled "
                    "across the county): each district shows the county's figure", False, False,
                    False, False),
)
# fmt: on
AGGREGATION_RULE_BY_CODE = {r.code: r for r in AGGREGATION_RULE_TABLE}
AGGREGATION_RULES = tuple(r.code for r in AGGREGATION_RULE_TABLE)


# --- status rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusRule:
    code: str
    template: str  # the rule in words; {pct}, {abs} and {min} are the indicator's settings


STATUS_RULE_TABLE: tuple[StatusRule, ...] = (  # stored order: the engine's codes 0..4
    StatusRule("pct_tolerance", "Amber within {pct:g}% of target"),
    StatusRule("abs_tolerance", "Amber within {abs:g} of target"),
    StatusRule("ideal_minimum", "Green at ideal target, amber to minimum standard {min:g}"),
    StatusRule("improved_last_year", "Amber if off target but improved on same period last year"),
    StatusRule("data_only", "Data only: no status"),
)
STATUS_RULES = tuple(r.code for r in STATUS_RULE_TABLE)


# --- what changed between two quarters (analytics.status.changes) ---------------------------

STATUS_CHANGE_TABLE: tuple[Coded, ...] = (
    Coded("new_exception", "New exception"),
    Coded("recovered", "Recovered"),
    Coded("worsened", "Worsened"),
    Coded("improved", "Improved"),
)
STATUS_CHANGES = tuple(c.code for c in STATUS_CHANGE_TABLE)


# --- data quality -----------------------------------------------------------------------------

DQ_FLAG_TABLE: tuple[Coded, ...] = (
    Coded("ok", ""),
    Coded("provisional", "Provisional"),
    Coded("estimate", "Estimate"),
    Coded("concern", "Data concern"),
)
DQ_FLAGS = tuple(f.code for f in DQ_FLAG_TABLE)


# --- action-plan milestones -------------------------------------------------------------------


@dataclass(frozen=True)
class ActionStatus:
    code: str
    order: int  # worst first
    word: str
    symbol: str
    colour: Colour
    badge: str  # Streamlit's named colour
    late: bool  # behind schedule: shown to the Board and the scrutiny committee

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.word}"


# fmt: off
ACTION_STATUS_TABLE: tuple[ActionStatus, ...] = (  # stored order: the engine's codes 0..4
    ActionStatus("completed", 4, "Completed", "✔", BLUE, "blue", late=False),
    ActionStatus("reprogrammed", 2, "Reprogrammed with approval", "↻", PURPLE, "violet",
                 late=False),
    ActionStatus("green", 3, "On schedule", "●", GREEN, "green", late=False),
    ActionStatus("amber", 1, "Up to a month behind", "◆", ORANGE, "orange", late=True),
    ActionStatus("red", 0, "More than a month behind", "✖", VERMILION, "red", late=True),
)
# fmt: on
ACTION_STATUS_BY_CODE = {s.code: s for s in ACTION_STATUS_TABLE}
ACTION_STATUSES = tuple(s.code for s in ACTION_STATUS_TABLE)
ACTION_STATUS_ORDER = tuple(
    s.code for s in sorted(ACTION_STATUS_TABLE, key=lambda s: s.order)
)  # worst first
LATE_ACTION_STATUSES = tuple(s for s in ACTION_STATUS_ORDER if ACTION_STATUS_BY_CODE[s].late)


# --- scrutiny recommendations -----------------------------------------------------------------


@dataclass(frozen=True)
class Marked:
    """A code shown with a symbol and a word, and a colour where it has one."""

    code: str
    word: str
    symbol: str
    colour: Colour | None = None

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.word}"


RESPONSE_TABLE: tuple[Marked, ...] = (  # the executive's response to a recommendation
    Marked("accepted", "Accepted", "✔", GREEN),
    Marked("partly_accepted", "Partly accepted", "◐", SKY_BLUE),
    Marked("rejected", "Rejected", "✖", VERMILION),
)
RESPONSES = tuple(r.code for r in RESPONSE_TABLE)

IMPLEMENTATION_TABLE: tuple[Marked, ...] = (
    Marked("not_started", "Not started", "○"),
    Marked("in_progress", "In progress", "◔"),
    Marked("implemented", "Implemented", "●"),
    Marked("not_implemented", "Not implemented", "✖"),
    Marked("superseded", "Superseded", "↷"),
)
IMPLEMENTATION_STATUSES = tuple(i.code for i in IMPLEMENTATION_TABLE)

# The tracker's RAG of a recommendation (analytics.scrutiny.tracker.tracker_rag), worst first.
RECOMMENDATION_RAG_TABLE: tuple[Marked, ...] = (
    Marked("red", "Red: overdue or progress unacceptable", "✖", VERMILION),
    Marked("amber", "Amber: progress acceptable", "◆", ORANGE),
    Marked("awaiting", "Awaiting response", "…", LIGHT_GREY),
    Marked("green", "Green: implemented and closed", "✔", GREEN),
    Marked("closed", "Closed", "■", GREY),
)
RECOMMENDATION_RAGS = tuple(r.code for r in RECOMMENDATION_RAG_TABLE)


# --- helpers over any table -------------------------------------------------------------------


def labels_of(table) -> dict[str, str]:
    """Code -> label (symbol and word where the table has them), in the table's order."""
    return {row.code: row.label for row in table}


def fills_of(table) -> dict[str, str]:
    """Code -> fill colour, for the rows that have one."""
    return {row.code: row.colour.fill for row in table if getattr(row, "colour", None)}


def inks_of(table) -> dict[str, str]:
    """Code -> text colour on the fill, for the rows that have one."""
    return {row.code: row.colour.ink for row in table if getattr(row, "colour", None)}
