"""A figure's status against a target and its direction of travel, by the indicator's own
rule (pure numpy/pandas): the status engine's rules (:mod:`analytics.status.rag`) applied to
figures the engine never stored (a county figure made from its districts', a district's
figure against its contribution target)."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pandas as pd

from analytics.county.aggregate import object_columns
from analytics.status import rag as R
from analytics.status.engine import _prepare_indicators
from analytics.status.targets import IN_FORCE


def _meta(indicators: pd.DataFrame, ids: pd.Series):
    """The engine's prepared settings of each row's indicator: prepared once per indicator,
    then taken by position (rows are many cells of few indicators)."""
    meta = indicators.drop_duplicates("indicator_id").reset_index(drop=True)
    prepared = _prepare_indicators(meta)
    pos = pd.Index(meta["indicator_id"]).get_indexer(ids.to_numpy())
    n = len(meta)
    taken = {
        f.name: getattr(prepared, f.name)[pos]
        for f in fields(prepared)
        if isinstance(getattr(prepared, f.name), np.ndarray) and len(getattr(prepared, f.name)) == n
    }
    return replace(prepared, **taken)


def directions(indicators: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (indicator_id, value, previous_value, last_year_value) with ``dot_previous``
    and ``dot_last_year`` added (improving, no_change, worsening, or None), after polarity
    and the indicator's no-change threshold, on figures rounded to its decimals."""
    out = object_columns(frame.reset_index(drop=True).copy())
    if out.empty:
        return out.assign(dot_previous=pd.Series(dtype=object),
                          dot_last_year=pd.Series(dtype=object))  # fmt: skip
    ind = _meta(indicators, out["indicator_id"])

    def rounded(column: str) -> np.ndarray:
        return R.round_with(out[column].to_numpy(dtype=np.float64, na_value=np.nan), ind.factor)

    value = rounded("value")
    words = np.array([*R.DIRECTIONS, None], dtype=object)  # NO_COMPARISON (-1) is the last
    for column, name in (("previous_value", "dot_previous"), ("last_year_value", "dot_last_year")):
        codes = R.direction(value, rounded(column), ind.sign, ind.threshold)
        out[name] = words[codes]
    return out


def statuses(indicators: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (indicator_id, value, target_value, and optionally dot_last_year) with
    ``status`` added: green, amber, red, missing (no value) or no_target (no target, or data
    only), by the indicator's rule (polarity, decimals, tolerances, green band, minimum
    standard; the improved-on-last-year rule reads ``dot_last_year``). ``indicators``: the
    engine's indicator columns for every indicator_id in ``frame``."""
    out = object_columns(frame.reset_index(drop=True).copy())
    if out.empty:
        return out.assign(status=pd.Series(dtype=object))
    ind = _meta(indicators, out["indicator_id"])
    value = R.round_with(out["value"].to_numpy(dtype=np.float64, na_value=np.nan), ind.factor)
    target = R.round_with(
        out["target_value"].to_numpy(dtype=np.float64, na_value=np.nan), ind.factor
    )
    codes_of = {d: i for i, d in enumerate(R.DIRECTIONS)}
    last_year = (
        out["dot_last_year"].map(lambda d: codes_of.get(d, R.NO_COMPARISON)).to_numpy(np.int8)
        if "dot_last_year" in out
        else np.full(len(out), R.NO_COMPARISON, dtype=np.int8)
    )
    codes = R.reason_codes(
        value,
        target,
        last_year,
        rule=ind.rule,
        sign=ind.sign,
        tolerance_pct=ind.tol_pct,
        green_pct=ind.green_pct,
        tolerance_abs=ind.tol_abs,
        minimum=ind.minimum,
        decimals=ind.decimals,
        target_state=np.full(len(out), IN_FORCE, dtype=np.int8),
        placeholder=np.zeros(len(out), dtype=bool),
        no_new_data=None,
    )
    out["status"] = np.asarray(R.STATUSES, dtype=object)[R.REASON_STATUS[codes]]
    return out
