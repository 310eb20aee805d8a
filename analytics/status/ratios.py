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

from analytics import periods

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


def takes_ratio(unit: object, ratio_type: object = None) -> bool:
    """Whether a value of this indicator can come with a numerator and a denominator: the
    framework says it is a ratio, or its unit is a percentage or a rate ``per`` some number."""
    if not _blank(ratio_type):
        return True
    text = "" if _blank(unit) else str(unit).strip().lower()
    return text in ("%", "percent", "per cent", "percentage") or bool(_PER.search(text))


def interval_table(history: pd.DataFrame, meta, comparators: pd.DataFrame | None = None):
    """An indicator's confidence intervals, one row per period with a numerator and a
    denominator: ``period``, ``ci_value``, ``ci_method``, ``ci_lower_95``/``ci_upper_95``,
    ``ci_lower_99_8``/``ci_upper_99_8``, the target, county and England figures, and per
    level the Fingertips comparison with each (``vs_target_95``, ``vs_county_99_8``...:
    better, similar, worse or not_compared). A yearly comparator is compared with the
    year's quarters. ``history``: the stored statuses with ``numerator_value`` and
    ``denominator_value``; ``meta``: unit, polarity, ratio_type, ratio_multiplier."""
    from analytics.status.intervals import (
        LEVELS,
        compare_with_interval,
        confidence_intervals,
        level_name,
    )

    if "numerator_value" not in history:
        return pd.DataFrame()
    rows = history[history["numerator_value"].notna() & history["denominator_value"].notna()]
    if rows.empty:
        return pd.DataFrame()
    kind, multiplier = ratio_of(meta.get("unit"), meta.get("ratio_type"),
                                meta.get("ratio_multiplier"))  # fmt: skip
    frame = pd.DataFrame({
        "period": rows["period"].astype(str).to_numpy(),
        "numerator": rows["numerator_value"].to_numpy(dtype=float),
        "denominator": rows["denominator_value"].to_numpy(dtype=float),
        "measure": kind, "multiplier": multiplier,
        "target_value": rows["target_value"].to_numpy(dtype=float),
    })  # fmt: skip
    out = confidence_intervals(frame)
    for who in ("county", "england"):
        found: dict[str, float] = {}
        if comparators is not None and len(comparators):
            mine = comparators[comparators["comparator"].astype(str) == who]
            found = dict(zip(mine["period"].astype(str), mine["comparator_value"], strict=True))
        out[f"{who}_value"] = [
            found.get(p, found.get(periods.year_of(p), float("nan"))) for p in out["period"]
        ]
    polarity = meta.get("polarity") or "none"
    for level in LEVELS:
        name = level_name(level)
        lower, upper = out[f"ci_lower_{name}"], out[f"ci_upper_{name}"]
        for who, column in (("target", "target_value"), ("county", "county_value"),
                            ("england", "england_value")):  # fmt: skip
            out[f"vs_{who}_{name}"] = compare_with_interval(lower, upper, out[column], polarity)
    return out
