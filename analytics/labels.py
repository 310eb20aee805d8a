"""Words and symbols for codes, shared by pages and reports (pure).

Each mapping here is code -> what a reader sees, read from the vocabulary's tables
(:mod:`analytics.vocabulary`), which also hold the codes' order, colours and which of them
are exceptions."""

from __future__ import annotations

import math

from analytics import vocabulary as V

POLARITY = {p.code: p.label for p in V.POLARITY_TABLE}
FREQUENCY = V.labels_of(V.FREQUENCY_TABLE)
MEASURE_TYPE = V.labels_of(V.MEASURE_TYPE_TABLE)
STATUS_RULE = {r.code: r.template for r in V.STATUS_RULE_TABLE}
LAA_STATUS = V.labels_of(V.LAA_STATUS_TABLE)


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


# Status words and symbols: colour never carries meaning alone.
STATUS = V.labels_of(V.STATUS_TABLE)
# the same statuses in the words the public reads (the site, the annual report)
PUBLIC_STATUS = {s.code: s.public_label for s in V.STATUS_TABLE}
STATUS_COLOUR = V.fills_of(V.STATUS_TABLE)
STATUS_TEXT_COLOUR = V.inks_of(V.STATUS_TABLE)
# Streamlit's named palette colours for each status (``:red-badge[...]``); .streamlit/config.toml
# sets those names to the status colours, so badges match the charts and exports.
STATUS_BADGE = {s.code: s.badge for s in V.STATUS_TABLE}

DIRECTION = V.labels_of(V.DIRECTION_TABLE)

# What loading a return would do to each value (the Returns preview, `lsp import`): ASCII
# and symbols every font here has (a full-width plus, U+FF0B, showed as a missing glyph).
RETURN_CHANGE = {
    "new": "+ new",
    "changed": "✎ changed",
    "unchanged": "= unchanged",
    "new indicator": "+ new indicator",
}

# How an indicator's status moved between two quarters (analytics.status.changes)
CHANGE = V.labels_of(V.STATUS_CHANGE_TABLE)

ACTION_STATUS = V.labels_of(V.ACTION_STATUS_TABLE)
ACTION_COLOUR = V.fills_of(V.ACTION_STATUS_TABLE)
ACTION_TEXT_COLOUR = V.inks_of(V.ACTION_STATUS_TABLE)
ACTION_BADGE = {s.code: s.badge for s in V.ACTION_STATUS_TABLE}  # see STATUS_BADGE


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
RESPONSE = V.labels_of(V.RESPONSE_TABLE)
RESPONSE_COLOUR = V.fills_of(V.RESPONSE_TABLE)
RESPONSE_TEXT_COLOUR = V.inks_of(V.RESPONSE_TABLE)
IMPLEMENTATION = V.labels_of(V.IMPLEMENTATION_TABLE)
RECOMMENDATION_RAG = V.labels_of(V.RECOMMENDATION_RAG_TABLE)
RECOMMENDATION_COLOUR = V.fills_of(V.RECOMMENDATION_RAG_TABLE)
RECOMMENDATION_TEXT_COLOUR = V.inks_of(V.RECOMMENDATION_RAG_TABLE)
