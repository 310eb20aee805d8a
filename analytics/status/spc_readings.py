"""Statistical process control for the product: each stored status's SPC reading, and an
indicator's chart points (pure pandas/numpy; the rules are :mod:`analytics.status.spc`'s).

What is analysed
----------------
The stored statuses (:func:`analytics.status.compute_statuses`) of one partnership: an
indicator's ``period_value`` in time order, which is a cumulative indicator's quarterly
increment (what each quarter added; the chart and the sentence say so) and otherwise the
value; its periods are quarters for quarterly and monthly indicators, years for annual and
biennial ones. Assurance compares the limits with the latest point's target: for a
cumulative indicator the quarter's share of the profile (the year-to-date target less the
previous quarter's).

Settings
--------
Each indicator's :class:`~analytics.status.spc.SpcSettings` come from its own columns
``spc_run_length``, ``spc_screen_outliers`` and ``spc_fix_after_points`` where set, else from
the partnership's (``defaults``), else the documented defaults (7, screening on, not fixed).
``rebases`` (``indicator_id``, ``period``) restart an indicator's limits from its first value
on or after that period.

"As at" each period
-------------------
:func:`spc_readings` gives every status row the reading *as at its own period*: the limits
from the values up to and including that period, and the rule that period's point meets. It
does that by analysing, for every value, the series cut at it (a series of n values becomes n
series of 1..n values, analysed together by one vectorised :func:`spc_summary` call), so
``lsp status --period P`` and every page "as at P" read exactly what was known at P.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.status._codes import QUARTER, ordinals
from analytics.status.spc import (
    DEFAULT_SETTINGS,
    SpcSettings,
    period_orders,
    quarterly_increments,
    spc_points,
    spc_summary,
)

READING_COLUMNS = (
    "spc_mean",
    "spc_lower_limit",
    "spc_upper_limit",
    "spc_trial_limits",
    "spc_point",
    "spc_variation",
    "spc_assurance",
    "spc_reason",
)
SETTING_COLUMNS = ("spc_run_length", "spc_screen_outliers", "spc_fix_after_points")
_QUARTERLY = ("monthly", "quarterly")


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def settings_for(indicator: pd.Series | dict, defaults: SpcSettings = DEFAULT_SETTINGS):
    """One indicator's settings: its own where set, else ``defaults``."""
    run = indicator.get("spc_run_length")
    screen = indicator.get("spc_screen_outliers")
    fix = indicator.get("spc_fix_after_points")
    return SpcSettings(
        run_length=defaults.run_length if _blank(run) else int(run),
        screen_outliers=defaults.screen_outliers if _blank(screen) else bool(screen),
        fix_after_points=defaults.fix_after_points if _blank(fix) else int(fix),
    )


def partnership_settings(row: pd.Series | dict | None) -> SpcSettings:
    """A partnership's defaults (its ``spc_*`` columns), over the documented ones."""
    return DEFAULT_SETTINGS if row is None else settings_for(row, DEFAULT_SETTINGS)


def series_frame(statuses: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The long frame :mod:`analytics.status.spc` reads, one row per status row (same index):
    ``series_id`` (the indicator id), ``period_order``, ``value`` (``period_value``),
    ``polarity``, ``target_value`` (a cumulative quarter's own share), ``is_increment`` and
    ``period_noun`` ("quarters" or "years")."""
    meta = indicators.set_index("indicator_id")
    ids = statuses["indicator_id"].to_numpy(dtype=np.int64)
    codes = statuses["period"].astype(str)
    quarterly = ordinals(codes)[0] == QUARTER
    cumulative = (
        meta["measure_type"].reindex(ids).astype(object).eq("cumulative").to_numpy()
        if "measure_type" in meta
        else np.zeros(len(ids), dtype=bool)
    )
    value_col = "period_value" if "period_value" in statuses else "actual_value"
    frame = pd.DataFrame(
        {
            "series_id": ids,
            "period_order": period_orders(codes.to_numpy()),
            "value": statuses[value_col].to_numpy(dtype=np.float64, na_value=np.nan),
            "polarity": meta["polarity"].reindex(ids).fillna("none").to_numpy(dtype=object),
            "target_value": statuses["target_value"].to_numpy(dtype=np.float64, na_value=np.nan),
            "is_cumulative": cumulative & quarterly,
        },
        index=statuses.index,
    )
    if frame["is_cumulative"].any():
        targets = quarterly_increments(frame.assign(value=frame["target_value"]))
        frame["target_value"] = targets["value"].to_numpy()
    frame["is_increment"] = frame.pop("is_cumulative")
    frame["period_noun"] = np.where(quarterly, "quarters", "years")
    return frame


def _rebase_orders(rebases: pd.DataFrame | None, grains: dict[int, bool]) -> pd.DataFrame:
    """(series_id, period_order) of each rebase, in its indicator's grain (a quarter given for
    an annual indicator rebases from that financial year; a year for a quarterly one from
    its Q1)."""
    if rebases is None or rebases.empty:
        return pd.DataFrame({"series_id": [], "period_order": []}, dtype=np.int64)
    rows = []
    for ind, period in zip(rebases["indicator_id"], rebases["period"].astype(str), strict=True):
        if int(ind) not in grains:
            continue
        order = int(period_orders([period])[0])
        is_quarter = ordinals([period])[0][0] == QUARTER
        quarterly = grains[int(ind)]
        if quarterly and not is_quarter:
            order *= 4
        elif not quarterly and is_quarter:
            order //= 4
        rows.append((int(ind), order))
    return pd.DataFrame(rows, columns=["series_id", "period_order"], dtype=np.int64)


def _settings_groups(indicators: pd.DataFrame, defaults: SpcSettings) -> dict:
    """Settings -> the indicator ids that use them."""
    groups: dict[SpcSettings, list[int]] = {}
    cols = [c for c in SETTING_COLUMNS if c in indicators]
    for rec in indicators[["indicator_id", *cols]].to_dict("records"):
        groups.setdefault(settings_for(rec, defaults), []).append(int(rec["indicator_id"]))
    return groups


def spc_readings(
    statuses: pd.DataFrame,
    indicators: pd.DataFrame,
    rebases: pd.DataFrame | None = None,
    defaults: SpcSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The SPC reading of every status row as at its own period (same index as
    ``statuses``): :data:`READING_COLUMNS`. Rows without a value have none (NaN, empty
    strings, ``spc_trial_limits`` missing)."""
    n = len(statuses)
    out = pd.DataFrame(index=statuses.index)
    for name in ("spc_mean", "spc_lower_limit", "spc_upper_limit"):
        out[name] = np.nan
    out["spc_trial_limits"] = pd.array([pd.NA] * n, dtype="boolean")
    for name in ("spc_point", "spc_variation", "spc_assurance", "spc_reason"):
        out[name] = ""
    if n == 0 or indicators.empty:
        return out
    series = series_frame(statuses, indicators)
    keep = np.flatnonzero(np.isfinite(series["value"].to_numpy()))
    if not len(keep):
        return out
    kept = series.iloc[keep]
    order = np.lexsort((kept["period_order"].to_numpy(), kept["series_id"].to_numpy()))
    kept = kept.iloc[order]
    where = keep[order]  # positions in ``statuses`` of the sorted kept rows
    sid = kept["series_id"].to_numpy(dtype=np.int64)
    first = np.r_[True, sid[1:] != sid[:-1]]
    start_of = np.maximum.accumulate(np.where(first, np.arange(len(sid)), 0))
    length = np.arange(len(sid)) - start_of + 1  # the series cut at each value: its length
    total = int(length.sum())
    begins = np.cumsum(length) - length
    pseudo = np.repeat(np.arange(len(sid)), length)
    member = np.repeat(start_of, length) + (np.arange(total) - np.repeat(begins, length))
    # only compact columns are repeated (a series of n values is cut n times)
    cut = pd.DataFrame({
        "series_id": pseudo,
        "period_order": kept["period_order"].to_numpy()[member],
        "value": kept["value"].to_numpy()[member],
        "polarity": pd.Categorical(kept["polarity"]).take(member),
        "target_value": kept["target_value"].to_numpy()[member],
        "is_increment": kept["is_increment"].to_numpy()[member],
        "period_noun": pd.Categorical(kept["period_noun"]).take(member),
    }, copy=False)  # fmt: skip
    grains = dict(zip(sid.tolist(), kept["period_noun"].eq("quarters").tolist(), strict=False))
    rebase = _rebase_orders(rebases, grains)
    if not rebase.empty:  # every cut of a rebased series is rebased at the same point
        pseudo_of = pd.DataFrame({"indicator": sid, "pseudo": np.arange(len(sid))})
        rebase = rebase.merge(pseudo_of, left_on="series_id", right_on="indicator")
        rebase = pd.DataFrame(
            {"series_id": rebase["pseudo"], "period_order": rebase["period_order"]}
        )
    results = []
    groups = _settings_groups(indicators, defaults)
    for settings, ids in groups.items():
        if len(groups) == 1:  # one setting for all: no copy of the cuts
            results.append(spc_summary(cut, settings, rebases=rebase, reasons=True))
            break
        mine = np.isin(sid, ids)
        if not mine.any():
            continue
        rows = cut[mine[pseudo]]
        their = rebase[mine[rebase["series_id"].to_numpy()]] if not rebase.empty else None
        summary = spc_summary(rows, settings, rebases=their, reasons=True)
        results.append(summary)
    summary = pd.concat(results, ignore_index=True)
    at = where[summary["series_id"].to_numpy(dtype=np.int64)]
    for name in ("spc_mean", "spc_lower_limit", "spc_upper_limit"):
        out.iloc[at, out.columns.get_loc(name)] = summary[name].to_numpy()
    trial = out["spc_trial_limits"].to_numpy(dtype=object)
    trial[at] = summary["spc_trial_limits"].to_numpy(dtype=bool)
    out["spc_trial_limits"] = pd.array(trial, dtype="boolean")
    for name in ("spc_point", "spc_variation", "spc_assurance", "spc_reason"):
        column = out[name].to_numpy(dtype=object)
        column[at] = summary[name].astype(object).to_numpy()
        out[name] = column
    return out


def chart_points(
    values: pd.DataFrame,
    indicator: pd.Series | dict,
    rebases: pd.DataFrame | None = None,
    defaults: SpcSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """One indicator's XmR chart (:func:`spc_points`, limits from every value of each
    baseline): ``values`` are its stored statuses (``period``, ``period_value`` or
    ``actual_value``, ``target_value``), ``indicator`` its metadata and settings. Keeps
    ``period``; empty when there is no value."""
    if values.empty:
        return pd.DataFrame(columns=["period", "value", "spc_mean"])
    meta = pd.DataFrame([{**dict(indicator), "indicator_id": 0}])
    statuses = values.assign(indicator_id=0)
    frame = series_frame(statuses, meta).assign(period=values["period"].astype(str).to_numpy())
    grains = {0: bool(frame["period_noun"].eq("quarters").all())}
    their = None
    if rebases is not None and not rebases.empty:
        their = _rebase_orders(rebases.assign(indicator_id=0), grains)
    return spc_points(frame, settings_for(indicator, defaults), rebases=their)
