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


def format_value(value: float | None, unit: str | None = "", decimals: int = 1) -> str:
    """45.0 with unit '%' -> '45.0%'; 2000 with '£' -> '£2,000'; None -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{int(decimals)}f}"
    unit = (unit or "").strip()
    if unit == "%":
        return f"{text}%"
    if unit.startswith("£"):
        rest = unit[1:].strip()
        return f"£{text}" + (f" {rest}" if rest else "")
    return f"{text} {unit}" if unit else text
