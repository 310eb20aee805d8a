"""Words and symbols for codes, shared by pages and reports (pure)."""

from __future__ import annotations

import math

from analytics.status.reasons import format_value

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
    rule: str,
    pct: float | None = None,
    abs_band: float | None = None,
    minimum: float | None = None,
    green: float | None = None,
) -> str:
    """The status rule in words, e.g. 'Amber within 5% of target'; with a green band (``green``
    % of target, the framework's ``green_tolerance_pct``): 'Green on target or within 10% of
    it; amber if off target but improved on same period last year'."""

    def num(value, default=0.0):
        return (
            default if value is None or (isinstance(value, float) and math.isnan(value)) else value
        )

    text = STATUS_RULE.get(rule, rule).format(
        pct=num(pct, 5.0), abs=num(abs_band), min=num(minimum)
    )
    band = num(green, None)
    if band is None or band <= 0 or rule == "data_only":
        return text
    return f"Green on target or within {band:g}% of it; {text[0].lower()}{text[1:]}"


def format_number(value: float | None, unit: str | None = "", decimals: int = 1) -> str:
    """A value in its unit and decimals ('45.0%', '£2,000'); blank or NaN -> '–'.

    The formatting itself is the status engine's, so screen, reasons and exports agree.
    """
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
# the same statuses in the words the public reads (the site, the annual report)
PUBLIC_STATUS = {
    "green": "✔ On target",
    "amber": "◆ Just off target",
    "red": "✖ Off target",
    "missing": "? No figure yet",
    "no_target": "– No target set",
    "no_new_data": "… No new data",
}
STATUS_ORDER = ("red", "amber", "missing", "green", "no_target", "no_new_data")
EXCEPTION_STATUSES = ("red", "amber", "missing")

# A palette colour-blind readers can tell apart (Okabe-Ito), plus a word or symbol always.
# Text on a fill is near-black wherever that meets WCAG AA (4.5:1; white on the green, the
# vermilion and the grey gave 3.4, 3.9 and 4.0:1); tests/test_contrast.py checks every pair.
STATUS_COLOUR = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "missing": "#7F7F7F",
    "no_target": "#56B4E9",
    "no_new_data": "#CCCCCC",
}
STATUS_TEXT_COLOUR = {
    "green": "#000000",
    "amber": "#000000",
    "red": "#000000",
    "missing": "#000000",
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

# What loading a return would do to each value (the Returns preview, `lsp import`): ASCII
# and symbols every font here has (a full-width plus, U+FF0B, showed as a missing glyph).
RETURN_CHANGE = {
    "new": "+ new",
    "changed": "✎ changed",
    "unchanged": "= unchanged",
    "new indicator": "+ new indicator",
}

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
# the blue is dark enough for white text (5.2:1); black meets AA on the others
ACTION_TEXT_COLOUR = {
    "completed": "#FFFFFF",
    "green": "#000000",
    "amber": "#000000",
    "red": "#000000",
    "reprogrammed": "#000000",
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
