"""Words and symbols for codes, shared by pages and reports (pure)."""

from __future__ import annotations

import math

POLARITY = {"higher": "▲ higher is better", "lower": "▼ lower is better", "none": "– data only"}

FREQUENCY = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "annual": "Annual",
    "biennial": "Biennial (survey)",
}

MEASURE_TYPE = {"snapshot": "Snapshot", "cumulative": "Cumulative in year"}

STATUS_RULE = {
    "pct_tolerance": "Amber within {pct:g}% of target",
    "abs_tolerance": "Amber within {abs:g} of target",
    "ideal_minimum": "Green at ideal target, amber to minimum standard {min:g}",
    "improved_last_year": "Amber if off target but improved on same period last year",
    "data_only": "Data only: no status",
}

LAA_STATUS = {
    "designated": "LAA designated",
    "statutory": "LAA statutory (education)",
    "reward": "LAA reward (stretch)",
    "local": "Local",
}


def rule_text(
    rule: str, pct: float | None = None, abs_band: float | None = None, minimum: float | None = None
) -> str:
    """The status rule in words, e.g. 'Amber within 5% of target'."""

    def num(value, default=0.0):
        return (
            default if value is None or (isinstance(value, float) and math.isnan(value)) else value
        )

    return STATUS_RULE.get(rule, rule).format(
        pct=num(pct, 5.0), abs=num(abs_band), min=num(minimum)
    )


def format_number(value: float | None, unit: str | None = "", decimals: int = 1) -> str:
    """A value in its unit and decimals ('45.0%', '£2,000'); blank or NaN -> '–'.

    The formatting itself is the status engine's, so screen, reasons and exports agree.
    """
    from analytics.status import format_value

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_value(float(value), int(decimals), unit or "")


# Status words and symbols: colour never carries meaning alone.
STATUS = {
    "green": "✔ Green",
    "amber": "◆ Amber",
    "red": "✖ Red",
    "missing": "? Missing",
    "no_target": "– No target",
    "no_new_data": "… No new data",
}
STATUS_ORDER = ("red", "amber", "missing", "green", "no_target", "no_new_data")
EXCEPTION_STATUSES = ("red", "amber", "missing")

# A palette colour-blind readers can tell apart (Okabe-Ito), plus a word or symbol always.
STATUS_COLOUR = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "missing": "#7F7F7F",
    "no_target": "#56B4E9",
    "no_new_data": "#CCCCCC",
}
STATUS_TEXT_COLOUR = {
    "green": "#FFFFFF",
    "amber": "#000000",
    "red": "#FFFFFF",
    "missing": "#FFFFFF",
    "no_target": "#000000",
    "no_new_data": "#000000",
}

# Streamlit's named palette colours for each status (``:red-badge[...]``); .streamlit/config.toml
# sets those names to the Okabe-Ito colours above, so badges match the charts and exports.
STATUS_BADGE = {
    "green": "green",
    "amber": "orange",
    "red": "red",
    "missing": "gray",
    "no_target": "blue",
    "no_new_data": "violet",
}

DIRECTION = {"improving": "▲ Improving", "worsening": "▼ Worsening", "no_change": "► No change"}

CHANGE = {
    "new_exception": "New exception",
    "recovered": "Recovered",
    "worsened": "Worsened",
    "improved": "Improved",
}

ACTION_STATUS = {
    "completed": "✔ Completed",
    "green": "● On schedule",
    "amber": "◆ Up to a month behind",
    "red": "✖ More than a month behind",
    "reprogrammed": "↻ Reprogrammed with approval",
}
ACTION_COLOUR = {
    "completed": "#0072B2",
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "reprogrammed": "#CC79A7",
}

# Streamlit's named colours for the action statuses (badges); see STATUS_BADGE.
ACTION_BADGE = {
    "completed": "blue",
    "green": "green",
    "amber": "orange",
    "red": "red",
    "reprogrammed": "violet",
}


def status_label(status: object) -> str:
    return STATUS.get(str(status), "–") if status is not None else "–"


def direction_label(direction: object) -> str:
    if direction is None or (isinstance(direction, float) and math.isnan(direction)):
        return "–"
    return DIRECTION.get(str(direction), "–")


def text_or_dash(value: object) -> str:
    """Text for a table cell: blanks and NaN become a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = str(value).strip()
    return text or "–"


# Scrutiny recommendations: the executive's response, implementation, and the tracker's RAG.
RESPONSE = {
    "accepted": "✔ Accepted",
    "partly_accepted": "◐ Partly accepted",
    "rejected": "✖ Rejected",
}
RESPONSE_COLOUR = {"accepted": "#009E73", "partly_accepted": "#56B4E9", "rejected": "#D55E00"}
RESPONSE_TEXT_COLOUR = {"accepted": "#FFFFFF", "partly_accepted": "#000000", "rejected": "#FFFFFF"}
IMPLEMENTATION = {
    "not_started": "○ Not started",
    "in_progress": "◔ In progress",
    "implemented": "● Implemented",
    "not_implemented": "✖ Not implemented",
    "superseded": "↷ Superseded",
}
RECOMMENDATION_RAG = {
    "green": "✔ Green: implemented and closed",
    "amber": "◆ Amber: progress acceptable",
    "red": "✖ Red: overdue or progress unacceptable",
    "awaiting": "… Awaiting response",
    "closed": "■ Closed",
}
RECOMMENDATION_COLOUR = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "awaiting": "#CCCCCC",
    "closed": "#7F7F7F",
}
RECOMMENDATION_TEXT_COLOUR = {
    "green": "#FFFFFF",
    "amber": "#000000",
    "red": "#FFFFFF",
    "awaiting": "#000000",
    "closed": "#FFFFFF",
}
