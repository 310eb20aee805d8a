"""Looking ahead from the year end, and the Performance Reward Grant (pure numpy/pandas).

``next_year_statuses(indicators, forecasts)``: the status each year-end forecast would get
against the next year's target, by the indicator's own rule (polarity, decimals, tolerance,
green band, minimum standard). The forecast is the status engine's (``forecast_value``: for
a measure counted up through the year the year to date at the year's run rate, else the
latest value; "if nothing changes"). For the improved-on-last-year rule the forecast is
compared with the year's own figure, which it equals: no improvement.

``stretch_achieved(outturn, target, without_stretch)`` and ``reward_paid_share(achieved)``:
reward (stretch) targets earned Performance Reward Grant in proportion to the share of the
stretch achieved, the improvement over the level expected without the stretch, capped at
100%, with nothing paid below 60% (a threshold the partnership's agreement may set; the
quarterly forecast of the grant is :mod:`analytics.county.reward`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics.status import rag as R
from analytics.status.engine import _prepare_indicators
from analytics.status.targets import IN_FORCE

REWARD_THRESHOLD = 0.6  # nothing is paid for less than 60% of the stretch


def next_year_statuses(indicators: pd.DataFrame, forecasts: pd.DataFrame) -> pd.DataFrame:
    """``forecasts`` (indicator_id, forecast_value, target_value, is_placeholder) with
    ``forecast_status`` added: green, amber, red, no_target (no target, a placeholder, or
    data only) or missing (no forecast). ``indicators`` holds the engine's indicator columns
    (polarity, decimals, status_rule, the tolerances) for every indicator_id in it."""
    out = forecasts.reset_index(drop=True).copy()
    if out.empty:
        return out.assign(forecast_status=pd.Series(dtype=object))
    meta = indicators.drop_duplicates("indicator_id").set_index("indicator_id")
    meta = meta.loc[out["indicator_id"].to_numpy()].reset_index()
    ind = _prepare_indicators(meta)
    value = R.round_with(out["forecast_value"].to_numpy(dtype=np.float64, na_value=np.nan),
                         ind.factor)  # fmt: skip
    target = R.round_with(out["target_value"].to_numpy(dtype=np.float64, na_value=np.nan),
                          ind.factor)  # fmt: skip
    same = R.direction(value, value, ind.sign, ind.threshold)  # no change on the year end
    placeholder = (
        out["is_placeholder"].fillna(False).to_numpy(dtype=bool)
        if "is_placeholder" in out
        else np.zeros(len(out), dtype=bool)
    )
    codes = R.reason_codes(
        value,
        target,
        same,
        rule=ind.rule,
        sign=ind.sign,
        tolerance_pct=ind.tol_pct,
        green_pct=ind.green_pct,
        tolerance_abs=ind.tol_abs,
        minimum=ind.minimum,
        decimals=ind.decimals,
        target_state=np.full(len(out), IN_FORCE, dtype=np.int8),
        placeholder=placeholder,
        no_new_data=None,
    )
    out["forecast_status"] = np.asarray(R.STATUSES, dtype=object)[R.REASON_STATUS[codes]]
    return out


def stretch_achieved(outturn, target, without_stretch) -> float | None:
    """The share of the stretch achieved (1.0 = all of it; below 0 = worse than the level
    expected without the stretch), or None when a figure is missing or the target is no
    stretch at all. Works for either polarity: both differences change sign together."""
    values = (outturn, target, without_stretch)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values):
        return None
    stretch = float(target) - float(without_stretch)
    if stretch == 0:
        return None
    # rounded so that a figure exactly at 60% of the stretch is not 59.99...%
    return round((float(outturn) - float(without_stretch)) / stretch, 9)


def reward_paid_share(achieved: float | None, threshold: float = REWARD_THRESHOLD) -> float | None:
    """The share of a target's grant paid: the stretch achieved, capped at 100%, nothing
    below ``threshold`` (60% by default; None when the achievement is not known)."""
    if achieved is None:
        return None
    if achieved < threshold:
        return 0.0
    return min(achieved, 1.0)
