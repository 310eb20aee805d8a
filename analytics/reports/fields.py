"""An indicator's row as a report reads it: flags, lead, baseline, figures in their unit,
comparators, words for codes (pure; shared by every report's layout)."""

from __future__ import annotations

import pandas as pd

from analytics.formatting import format_value
from analytics.labels import CHANGE, DIRECTION, LAA_STATUS
from analytics.reports.document import Number
from analytics.reports.text import clean, is_blank
from analytics.vocabulary import DQ_FLAG_TABLE

DQ_WORDS = {f.code: f.label for f in DQ_FLAG_TABLE if f.label}


def decimals_of(row: pd.Series) -> int:
    return 1 if is_blank(row.get("decimals")) else int(row["decimals"])


def number(value: object, row: pd.Series) -> str:
    """A value with the indicator's unit and decimals; '–' when there is none."""
    if is_blank(value):
        return "–"
    return format_value(float(value), decimals_of(row), clean(row.get("unit")))


def table_number(value: object, row: pd.Series) -> str:
    """A value for a narrow table cell: only '%' and '£' are written with it; any other unit
    is given once beside the indicator's title (:func:`unit_note`)."""
    if is_blank(value):
        return "–"
    unit = clean(row.get("unit")).strip()
    return format_value(float(value), decimals_of(row), unit if unit in ("%", "£") else "")


def figure(value: object, row: pd.Series) -> Number:
    """A figure cell: a number in a workbook, :func:`table_number` text elsewhere."""
    v = None if is_blank(value) else float(value)
    return Number(v, decimals_of(row), clean(row.get("unit")), table_number(value, row))


def unit_note(row: pd.Series) -> str:
    """'Unit: rate per 1,000 population', or '' when the numbers carry their unit."""
    unit = clean(row.get("unit")).strip()
    if unit in ("%", "£") or unit.lower() in ("", "number", "count"):
        return ""
    return f"Unit: {unit}"


def comparators(row: pd.Series) -> list[str]:
    """['County 13.18', 'England 12.42'] for the comparators present."""
    return [
        f"{name} {table_number(row.get(key), row)}"
        for name, key in (("County", "county_value"), ("England", "england_value"))
        if not is_blank(row.get(key))
    ]


def laa_flag(row: pd.Series) -> str:
    """'LAA reward', 'LAA designated', 'LAA statutory (education)' or ''."""
    if bool(row.get("is_reward")) or row.get("laa_status") == "reward":
        return LAA_STATUS["reward"]
    if bool(row.get("is_laa")):
        return LAA_STATUS.get(clean(row.get("laa_status")), "LAA")
    return ""


def lead(row: pd.Series) -> str:
    return " – ".join(
        t for t in (clean(row.get("lead_partner")), clean(row.get("lead_officer"))) if t
    )


def baseline(row: pd.Series) -> str:
    if is_blank(row.get("baseline_value")):
        return "–"
    when = clean(row.get("baseline_period"))
    return table_number(row["baseline_value"], row) + (f" ({when})" if when else "")


def direction_word(direction: object) -> str:
    return DIRECTION.get(clean(direction), "–")


def dq_note(value: object) -> str:
    text = clean(value)
    return "" if text in ("", "ok") else DQ_WORDS.get(text, text)


def change_word(change: object) -> str:
    return CHANGE.get(clean(change), clean(change))


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")
