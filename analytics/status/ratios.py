"""What a value made from a numerator and a denominator is (pure): a proportion or a rate,
and its multiplier, so that ``value = numerator / denominator x multiplier``.

An indicator may say so in the framework (``ratio_type``: ``proportion`` or ``rate``;
``ratio_multiplier``); otherwise its unit decides: ``%`` (or ``percent``) is a proportion
times 100, ``rate per 1,000`` (``per 10,000``, ``per 100,000 population``...) a rate times
that number, anything else a rate times 1. Confidence intervals (Wilson for proportions,
Byar's or exact Poisson for rates) and county figures made from districts' numerators and
denominators read the same answer.
"""

from __future__ import annotations

import re

import pandas as pd

_PER = re.compile(r"per\s+([\d,]+)(?:\s*(k|thousand|million))?", re.IGNORECASE)
_WORDS = {"thousand": 1_000, "k": 1_000, "million": 1_000_000}


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def ratio_of(unit: object, ratio_type: object = None, multiplier: object = None):
    """(``proportion`` or ``rate``, multiplier) for an indicator."""
    text = "" if _blank(unit) else str(unit).strip().lower()
    if _blank(ratio_type):
        kind = "proportion" if text in ("%", "percent", "per cent", "percentage") else "rate"
    else:
        kind = str(ratio_type).strip().lower()
    if not _blank(multiplier):
        return kind, float(multiplier)
    if kind == "proportion":
        return kind, 100.0 if text in ("%", "percent", "per cent", "percentage") else 1.0
    found = _PER.search(text)
    if found:
        number = float(found.group(1).replace(",", ""))
        return kind, number * _WORDS.get((found.group(2) or "").lower(), 1)
    return kind, 1.0
