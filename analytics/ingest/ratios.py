"""Numerators and denominators in a return (pure: frames in, frames and messages out).

A district's figure for an indicator its county makes by the ``ratio`` rule (the sum of the
districts' numerators over the sum of their denominators) must come with its numerator and
denominator: a percentage alone cannot be added up. :func:`ratio_messages` refuses such a
row, naming the file, sheet and cell and what to add. Where a return gives both and no value,
:func:`ratio_values` makes the value (numerator / denominator x the indicator's multiplier,
:func:`analytics.status.ratios.ratio_of`).

``known`` (the framework's indicators, as :class:`analytics.ingest.intake.IntakeContext`
holds them) carries ``aggregation_rule`` (the county's rule for the code, for a district),
``unit`` and ``ratio_multiplier``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.ingest.known import known_indicators
from analytics.ingest.spelling import code_keys
from analytics.messages import Message
from analytics.status.ratios import ratio_of
from analytics.vocabulary import AGGREGATION_RULE_BY_CODE


def _by_key(known: pd.DataFrame | None, column: str) -> dict:
    if known is None or known.empty or column not in known:
        return {}
    return known_indicators(known).by_key(column)


def _multipliers(frame: pd.DataFrame, known: pd.DataFrame | None) -> np.ndarray:
    keys = code_keys(frame["indicator_code"])
    units, given = _by_key(known, "unit"), _by_key(known, "ratio_multiplier")
    kinds = _by_key(known, "ratio_type")
    return np.array(
        [ratio_of(units.get(k), kinds.get(k), given.get(k))[1] for k in keys], dtype=float
    )


def ratio_values(rows: pd.DataFrame, known: pd.DataFrame | None) -> pd.DataFrame:
    """``rows`` with the value made from the numerator and denominator where the row gives
    both and no value."""
    if rows.empty:
        return rows
    num = rows["numerator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = rows["denominator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    value = rows["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    fill = np.isnan(value) & ~np.isnan(num) & (den > 0)
    if not fill.any():
        return rows
    out = rows.copy()
    made = num / np.where(den > 0, den, np.nan) * _multipliers(rows, known)
    out["actual_value"] = np.where(fill, made, value)
    return out


def _cell(row: pd.Series, field: str) -> str | None:
    return row.get(f"{field}_cell") or row.get("actual_value_cell")


def ratio_messages(frame: pd.DataFrame, known: pd.DataFrame | None) -> list[Message]:
    """An error for each row whose indicator needs a numerator and a denominator (its
    county's rule) and gives a value without either of them, naming the cell and what to
    add. (Numerators and denominators that are not numbers, negative or inconsistent with
    the value are checked for every return: :func:`analytics.ingest.validate.validate`.)"""
    if frame.empty or known is None or "aggregation_rule" not in known:
        return []
    rule_of = _by_key(known, "aggregation_rule")
    wanting = {c for c, r in AGGREGATION_RULE_BY_CODE.items() if r.needs_denominator}
    ratio_keys = {
        k
        for k, rule in rule_of.items()
        if k is not None and isinstance(rule, str) and rule in wanting
    }
    if not ratio_keys:  # no indicator of the framework is combined as a ratio
        return []
    keys = code_keys(frame["indicator_code"]).to_numpy(dtype=object)
    needs = np.fromiter((k in ratio_keys for k in keys.tolist()), bool, len(keys))
    num = frame["numerator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = frame["denominator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    value_given = frame["actual_value_kind"].to_numpy(dtype=object) == "number"
    flagged = np.flatnonzero(needs & value_given & (np.isnan(num) | np.isnan(den)))
    if not len(flagged):
        return []
    has_columns = bool(frame.get("numerator_value_cell", pd.Series(dtype=object)).notna().any())
    out: list[Message] = []
    for i in flagged:
        row = frame.iloc[i]
        lacking = [n for n, v in (("numerator", num[i]), ("denominator", den[i])) if np.isnan(v)]
        where = (
            f"in the columns 'numerator' and 'denominator' of row {row['row_number']}"
            if has_columns
            else "in two columns headed 'Numerator' and 'Denominator' (this quarter's return "
            "template has them: download it again, or `lsp template`)"
        )
        field = "numerator_value" if np.isnan(num[i]) else "denominator_value"
        missing = " and the ".join(lacking)
        out.append(
            Message(
                "error", row["file"], row["sheet"], _cell(row, field),
                row.get("actual_value_raw"),
                f"{row['indicator_code']}'s county figure is a ratio (the districts' "
                f"numerators added up over their denominators), so a percentage alone cannot "
                f"be combined: the {missing} {'is' if len(lacking) == 1 else 'are'} missing",
                f"Add the {missing} (e.g. tonnes recycled and tonnes collected) {where}.",
            )
        )  # fmt: skip
    return out
