"""Numerators and denominators in a return (pure: frames in, frames and messages out).

A district's figure for an indicator its county makes by the ``ratio`` rule (the sum of the
districts' numerators over the sum of their denominators) must come with its numerator and
denominator: a percentage alone cannot be added up. :func:`ratio_messages` refuses such a
row, naming the file, sheet and cell and what to add. Where a return gives both and no value,
:func:`ratio_values` makes the value (numerator / denominator x the indicator's multiplier).

``known`` (the framework's indicators, as :class:`analytics.ingest.intake.IntakeContext`
holds them) carries ``aggregation_rule`` (the county's rule for the code, for a district),
``unit`` and ``ratio_multiplier``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.county.aggregate import multiplier_of
from analytics.ingest.spelling import code_key, code_keys
from analytics.messages import Message
from analytics.vocabulary import AGGREGATION_RULE_BY_CODE


def _by_key(known: pd.DataFrame | None, column: str) -> dict:
    if known is None or known.empty or column not in known:
        return {}
    return dict(zip(known["code"].map(code_key), known[column], strict=True))


def _multipliers(frame: pd.DataFrame, known: pd.DataFrame | None) -> np.ndarray:
    keys = code_keys(frame["indicator_code"])
    units, given = _by_key(known, "unit"), _by_key(known, "ratio_multiplier")
    return np.array([multiplier_of(units.get(k), given.get(k)) for k in keys], dtype=float)


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
    """Errors for rows whose indicator needs a numerator and a denominator (its county's rule)
    and lacks either; a numerator or denominator that is not a number; a denominator of 0 or
    less. A warning where the value given differs from numerator / denominator x multiplier
    by more than 1%."""
    if frame.empty or known is None or "aggregation_rule" not in known:
        return []
    rule_of = _by_key(known, "aggregation_rule")
    keys = code_keys(frame["indicator_code"])
    rules = keys.map(rule_of)
    wanting = {c for c, r in AGGREGATION_RULE_BY_CODE.items() if r.needs_denominator}
    needs = rules.isin(wanting)
    needs = needs.to_numpy(dtype=bool)
    out: list[Message] = []
    has_columns = "numerator_value_cell" in frame and frame["numerator_value_cell"].notna().any()
    value_given = frame["actual_value_kind"].eq("number").to_numpy()
    num = frame["numerator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    den = frame["denominator_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    for field, label in (("numerator_value", "numerator"), ("denominator_value", "denominator")):
        kinds = frame.get(f"{field}_kind")
        if kinds is None:
            continue
        for i in np.flatnonzero(kinds.isin(["text", "error"]).to_numpy()):
            row = frame.iloc[i]
            out.append(
                Message("error", row["file"], row["sheet"], _cell(row, field),
                        row.get(f"{field}_raw"),
                        f"the {label} for {row['indicator_code']} is not a number",
                        f"Type the {label} as a number (a count, e.g. 12,480), or leave it "
                        "blank.")
            )  # fmt: skip
    short = needs & value_given & (np.isnan(num) | np.isnan(den))
    short |= needs & ~value_given & (np.isnan(num) ^ np.isnan(den))
    for i in np.flatnonzero(short):
        row = frame.iloc[i]
        code = row["indicator_code"]
        lacking = [n for n, v in (("numerator", num[i]), ("denominator", den[i])) if np.isnan(v)]
        where = (
            f"in the columns 'numerator' and 'denominator' of row {row['row_number']}"
            if has_columns
            else "in two columns headed 'Numerator' and 'Denominator' (this quarter's return "
            "template has them: download it again, or `lsp template`)"
        )
        field = "numerator_value" if np.isnan(num[i]) else "denominator_value"
        out.append(
            Message(
                "error", row["file"], row["sheet"], _cell(row, field),
                row.get("actual_value_raw"),
                f"{code}'s county figure is a ratio (the districts' numerators added up over "
                f"their denominators), so a percentage alone cannot be combined: the "
                f"{' and the '.join(lacking)} {'is' if len(lacking) == 1 else 'are'} missing",
                f"Add the {' and the '.join(lacking)} (e.g. tonnes recycled and tonnes "
                f"collected) {where}.",
            )
        )  # fmt: skip
    bad_den = ~np.isnan(den) & (den <= 0)
    for i in np.flatnonzero(bad_den):
        row = frame.iloc[i]
        out.append(
            Message("error", row["file"], row["sheet"], _cell(row, "denominator_value"),
                    row.get("denominator_value_raw"),
                    f"the denominator for {row['indicator_code']} must be more than 0",
                    "Type the denominator (what the figure is out of, e.g. tonnes collected).")
        )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        made = num / den * _multipliers(frame, known)
        value = frame["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
        off = value_given & (den > 0) & ~np.isnan(made) & (
            np.abs(made - value) > 0.01 * np.maximum(np.abs(made), 1e-9))  # fmt: skip
    for i in np.flatnonzero(off):
        row = frame.iloc[i]
        out.append(
            Message("warning", row["file"], row["sheet"], _cell(row, "actual_value"),
                    row.get("actual_value_raw"),
                    f"{row['indicator_code']}: the value differs from numerator / denominator "
                    f"({made[i]:.4g}) by more than 1%",
                    "Check the value, the numerator and the denominator; the county adds up "
                    "the numerators and denominators.")
        )  # fmt: skip
    return out
