"""Small inline frames for the status tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.status import compute_statuses

INDICATOR = dict(
    indicator_id=1,
    code="NI 1",
    theme_id=10,
    polarity="higher",
    decimals=1,
    unit="%",
    frequency="quarterly",
    measure_type="snapshot",
    status_rule="pct_tolerance",
    amber_tolerance_pct=np.nan,
    amber_tolerance_abs=np.nan,
    minimum_standard=np.nan,
    dot_threshold=np.nan,
    survey_years=None,
)


def indicators(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**INDICATOR, **r} for r in (rows or [{}])])


def targets(*rows: dict) -> pd.DataFrame:
    base = dict(
        indicator_id=1,
        financial_year="2009/10",
        version=1,
        target_value=45.0,
        q1_value=np.nan,
        q2_value=np.nan,
        q3_value=np.nan,
        q4_value=np.nan,
        is_placeholder=False,
        set_on=pd.Timestamp("2009-04-01"),
        reason="",
        provenance="framework",
    )
    return pd.DataFrame([{**base, **r} for r in rows], columns=list(base))


def actuals(values: dict, indicator_id: int = 1) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "period": list(values),
            "actual_value": list(values.values()),
        }
    )


def status_of(indicator: dict, target: float | None, values: dict, period: str, **kw) -> pd.Series:
    """The output row for ``period`` of one indicator with one 2009/10 target."""
    tg = targets({"target_value": target}) if target is not None else targets()
    if target is None:
        tg = tg.iloc[0:0]
    out = compute_statuses(indicators(indicator), tg, actuals(values), [period], **kw)
    assert len(out) == 1
    return out.iloc[0]
