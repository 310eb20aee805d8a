"""The SPC rules of :mod:`analytics.status.spc`, one series and one point at a time.

Plain Python written the way NHSRplotthedots writes them (a window per point, padded at the
ends), so that it reads as a statement of the rules rather than as an optimisation. It is the
oracle the tests compare the vectorised version with, and the row-by-row baseline of
``benchmarks/bench_spc.py``; the product uses :mod:`analytics.status.spc`.

Same inputs, same columns and the same floating-point sums (in period order) as
:func:`analytics.status.spc.spc_points` and :func:`analytics.status.spc.spc_summary`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics.status.spc import (
    DEFAULT_SETTINGS,
    NEAR_LIMIT,
    POINT_COLUMNS,
    POINTS,
    POLARITY_SIGN,
    PROCESS_LIMIT,
    SCREEN_LIMIT,
    SUMMARY_COLUMNS,
    TRIAL_BELOW,
    VARIATIONS,
    SpcSettings,
)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def _limits(y: list[float], settings: SpcSettings) -> dict:
    fix = settings.fix_after_points or len(y)
    base = y[:fix]
    mean = _mean(base)
    ranges = [abs(base[i] - base[i - 1]) for i in range(1, len(base))]
    mean_range = _mean(ranges)
    if settings.screen_outliers and ranges:
        kept = [r for r in ranges if r < SCREEN_LIMIT * mean_range or mean_range == 0]
        mean_range = _mean(kept)
    return {
        "mean": mean,
        "lower": mean - PROCESS_LIMIT * mean_range,
        "upper": mean + PROCESS_LIMIT * mean_range,
        "lower_near": mean - NEAR_LIMIT * mean_range,
        "upper_near": mean + NEAR_LIMIT * mean_range,
        "points": len(base),
    }


def _trend_ends(y: list[float], n: int) -> list[int]:
    """+1 / -1 at the last point of n points each higher (lower) than the one before."""
    out = [0] * len(y)
    for i in range(n - 1, len(y)):
        steps = [_sign(y[i - k] - y[i - k - 1]) for k in range(n - 1)]
        if all(s == 1 for s in steps):
            out[i] = 1
        elif all(s == -1 for s in steps):
            out[i] = -1
    return out


def _side_ends(side: list[int], n: int) -> list[int]:
    """+1 / -1 at the last point of n points in a row on one side of the mean."""
    out = [0] * len(side)
    for i in range(n - 1, len(side)):
        window = side[i - n + 1 : i + 1]
        if side[i] != 0 and all(s == side[i] for s in window):
            out[i] = side[i]
    return out


def _part_of(ends: list[int], n: int) -> list[bool]:
    """A point is part of a run if the run ends at it or at one of the next n - 1 points."""
    return [any(ends[j] != 0 for j in range(i, min(i + n, len(ends)))) for i in range(len(ends))]


def _run_around(key: list[int], i: int) -> int:
    """Length of the stretch of equal ``key`` around position i."""
    lo = hi = i
    while lo > 0 and key[lo - 1] == key[i]:
        lo -= 1
    while hi < len(key) - 1 and key[hi + 1] == key[i]:
        hi += 1
    return hi - lo + 1


def _two_in_three(near: list[bool], side: list[int]) -> list[bool]:
    """Whether each point lies in a window of three consecutive points, all on one side of the
    mean, of which at least two are beyond the 2-sigma line (padded at both ends)."""
    v = [0, 0, *[int(x) for x in near], 0, 0]
    s = [0, 0, *side, 0, 0]
    return [
        any(
            sum(v[i + k : i + k + 3]) >= 2 and abs(sum(s[i + k : i + k + 3])) == 3 for k in range(3)
        )
        for i in range(len(near))
    ]


def _part_of_two_in_three(windows: list[bool], near: list[bool]) -> list[bool]:
    """Only the points beyond the 2-sigma line of such a window are flagged."""
    return [w and x for w, x in zip(windows, near, strict=True)]


def _variation(side: int, sign: int) -> str:
    if side == 0:
        return "common_cause"
    where = "high" if side > 0 else "low"
    if sign == 0:
        return f"neutral_{where}"
    return f"improvement_{where}" if side * sign > 0 else f"concern_{where}"


def analyse_baseline(y: list[float], settings: SpcSettings = DEFAULT_SETTINGS) -> list[dict]:
    """Every point of one baseline (values in period order, no gaps): limits and rules."""
    n = settings.run_length
    lim = _limits(y, settings)
    beyond = [v > lim["upper"] or v < lim["lower"] for v in y]
    side = [_sign(v - lim["mean"]) for v in y]
    near = [
        not b and (v < lim["lower_near"] or v > lim["upper_near"])
        for v, b in zip(y, beyond, strict=True)
    ]
    trend_ends = _trend_ends(y, n)
    in_trend = _part_of(trend_ends, n)
    in_two_of_three = _part_of_two_in_three(_two_in_three(near, side), near)
    in_shift = _part_of(_side_ends(side, n), n)
    steps = [0] + [_sign(y[i] - y[i - 1]) for i in range(1, len(y))]
    rows = []
    for i in range(len(y)):
        run = 0
        if beyond[i]:
            point, where = "beyond_limits", side[i]
        elif in_trend[i]:
            # the latest run through this point decides its direction
            last_end = max(j for j in range(i, min(i + n, len(y))) if trend_ends[j] != 0)
            where = trend_ends[last_end]
            step_at = i + 1 if last_end > i else i
            run = _run_around(steps, step_at) + 1
            point = "trend"
        elif in_two_of_three[i]:
            point, where = "two_of_three", side[i]
        elif in_shift[i]:
            point, where = "shift", side[i]
            run = _run_around(side, i)
        else:
            point, where = "common_cause", 0
        rows.append(
            {
                "spc_mean": lim["mean"],
                "spc_lower_limit": lim["lower"],
                "spc_upper_limit": lim["upper"],
                "spc_lower_2sigma": lim["lower_near"],
                "spc_upper_2sigma": lim["upper_near"],
                "spc_limit_points": lim["points"],
                "spc_trial_limits": lim["points"] < TRIAL_BELOW,
                "spc_point": point,
                "spc_side": where,
                "spc_run_points": run,
            }
        )
    return rows


def _series_rows(points: pd.DataFrame, rebases, as_of):
    """(series id, its rows as a frame sorted by period, polarity sign, rebase orders)."""
    by_series = {}
    if rebases is not None:
        for sid, order in zip(rebases["series_id"], rebases["period_order"], strict=True):
            by_series.setdefault(sid, []).append(int(order))
    for sid, group in points.groupby("series_id", sort=False, dropna=False):
        keep = group["value"].notna()
        if as_of is not None:
            keep &= group["period_order"] <= as_of
        rows = group[keep].sort_values("period_order", kind="stable")
        polarity = rows["polarity"].iloc[-1] if "polarity" in rows and len(rows) else "none"
        sign = 0 if pd.isna(polarity) else POLARITY_SIGN[str(polarity).strip().lower()]
        yield sid, rows, sign, sorted(by_series.get(sid, []))


def _analyse_series(rows: pd.DataFrame, sign: int, rebase_at: list[int], settings):
    orders = [int(o) for o in rows["period_order"]]
    values = [float(v) for v in rows["value"]]
    out, baseline, start = [], -1, 0
    for i in range(len(values) + 1):
        ends = i == len(values) or (
            i > 0 and any(orders[i - 1] < r <= orders[i] for r in rebase_at)
        )
        if i > 0 and ends:
            baseline += 1
            for r in analyse_baseline(values[start:i], settings):
                r["spc_baseline"] = baseline
                r["spc_variation"] = _variation(r["spc_side"], sign)
                out.append(r)
            start = i
    return out


def spc_points_rowwise(
    points: pd.DataFrame,
    settings: SpcSettings = DEFAULT_SETTINGS,
    rebases: pd.DataFrame | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    frames = []
    for _, rows, sign, rebase_at in _series_rows(points, rebases, as_of):
        if len(rows):
            res = pd.DataFrame(_analyse_series(rows, sign, rebase_at, settings))
            frames.append(pd.concat([rows.reset_index(drop=True), res], axis=1))
    out = pd.concat(frames, ignore_index=True) if frames else points.iloc[:0].copy()
    for col in POINT_COLUMNS:
        if col not in out:
            out[col] = pd.Series(dtype=object)
    out["spc_point"] = pd.Categorical(out["spc_point"], categories=list(POINTS))
    out["spc_variation"] = pd.Categorical(out["spc_variation"], categories=list(VARIATIONS))
    return out[[c for c in out.columns if c not in POINT_COLUMNS] + list(POINT_COLUMNS)]


def _assurance(target: float, lower: float, upper: float, sign: int) -> str:
    if math.isnan(target) or math.isnan(upper) or sign == 0:
        return ""
    if target > upper:
        return "consistent_fail" if sign > 0 else "consistent_pass"
    if target < lower:
        return "consistent_pass" if sign > 0 else "consistent_fail"
    return "hit_and_miss"


def spc_summary_rowwise(
    points: pd.DataFrame,
    settings: SpcSettings = DEFAULT_SETTINGS,
    rebases: pd.DataFrame | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    records = []
    for sid, rows, sign, rebase_at in _series_rows(points, rebases, as_of):
        if not len(rows):
            record = {c: np.nan for c in points.columns}
            record.update(
                series_id=sid,
                spc_baseline=0,
                spc_limit_points=0,
                spc_trial_limits=True,
                spc_point="",
                spc_side=0,
                spc_run_points=0,
                spc_variation="",
                spc_assurance="",
            )
            records.append(record)
            continue
        latest = _analyse_series(rows, sign, rebase_at, settings)[-1]
        record = rows.iloc[-1].to_dict()
        record.update(latest)
        target = float(record.get("target_value", math.nan))
        record["spc_assurance"] = _assurance(
            target, latest["spc_lower_limit"], latest["spc_upper_limit"], sign
        )
        records.append(record)
    columns = [*points.columns, *(c for c in POINT_COLUMNS if c not in points), "spc_assurance"]
    out = pd.DataFrame(records, columns=columns)
    for col in points.columns:  # categoricals stay categoricals, as in the vectorised version
        if isinstance(points[col].dtype, pd.CategoricalDtype):
            out[col] = pd.Categorical(out[col], dtype=points[col].dtype)
    first = [c for c in SUMMARY_COLUMNS if c in out]
    return out[first + [c for c in out.columns if c not in first]]
