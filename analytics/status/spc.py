"""Statistical process control: XmR charts read by Making Data Count's rules, for many series.

Pure numpy/pandas, no I/O. Every function takes a *long* frame, one row per value:

- ``series_id``: any hashable id (an indicator, an indicator in a partnership...);
- ``period_order``: an integer that sorts the periods (:func:`period_orders` turns period
  codes into one: quarters ``start_year * 4 + quarter - 1``, years the start year);
- ``value``: the value analysed (NaN or absent = a missing period, see below);
- optional ``polarity`` (``higher``, ``lower`` or ``none``; absent = ``none``) and
  ``target_value`` (the period's target; only the latest point's is used, for assurance);
- any other columns are carried through to the results (the period code, ``is_increment``...).

and, optionally, ``rebases``: a frame (``series_id``, ``period_order``) of points where a
series' limits restart (a change of definition, a new service).

The chart (the NHS-R community's NHSRplotthedots, which follows NHS England's Making Data Count)
-------------------------------------------------------------------------------------------
Per series, and per *baseline* (the stretch between rebases):

- centre line = the mean; moving ranges = |value - previous value|; process limits = mean
  +/- 2.66 x the mean moving range; the "2-sigma" lines two thirds of the way out
  (mean +/- 2 x 2.66 / 3 x the mean moving range).
- Screening (``screen_outliers``, on by default): a moving range of at least 3.267 x the
  mean moving range is left out and the mean moving range taken again (once).
- ``fix_after_points`` (at least 12): mean and limits come from the baseline's first n points
  only; every point is still read against them.
- Limits from fewer than 12 points are *trial limits* (``spc_trial_limits``).

The rules (``spc_point``), in this order of precedence for a point:

1. ``beyond_limits``: above the upper or below the lower process limit (strictly).
2. ``trend``: part of a run of ``run_length`` (7, or 6) points each strictly higher (or
   each strictly lower) than the one before; an equal value breaks the run. Every point of
   the run is flagged, the first included. Its side is the run's direction (a point shared
   by a rising and a falling run takes the later run's).
3. ``two_of_three``: a point beyond a 2-sigma line (but within the limits) in a window of three
   consecutive points, all on the same side of the mean, of which at least two are beyond
   that 2-sigma line. Only the points beyond the line are flagged.
4. ``shift``: part of a run of ``run_length`` points on the same side of the mean; a point
   exactly on the mean breaks the run. Every point of the run is flagged.
5. ``common_cause``: anything else.

Runs and windows never cross a rebase. ``spc_side`` is +1 (high), -1 (low) or 0;
``spc_variation`` names Making Data Count's icon for the point, after polarity:
``improvement_high``/``_low``, ``concern_high``/``_low``, ``neutral_high``/``_low`` (no
polarity) or ``common_cause``. Assurance (``spc_assurance``, latest point only): the target
above the upper limit is ``consistent_fail`` when higher is better (``consistent_pass`` when
lower is), below the lower limit the reverse, between them (or on one) ``hit_and_miss``;
empty without a target, a polarity, or limits.

Missing values: a period with no value (NaN or no row) is skipped, not taken as zero: the
series is the sequence of values reported, the moving range spans the gap, and runs carry on
across it. The results have no row for it.

Where this differs from NHSRplotthedots 0.2.2 (and why)
--------------------------------------------------------
- Trial limits below 12 points, as the issue and NHSRplotthedots' own message say (its code's
  default threshold is 13, so it also warns at exactly 12).
- A flat stretch (every moving range 0) keeps limits on the mean; NHSRplotthedots' screening
  then drops every range (0 < 3.267 x 0 is false) and leaves no limits at all.
- A point ending a rising run, followed by an equal value that starts another run, is read
  as rising; NHSRplotthedots takes the sign of the next step (0) and calls it falling.
- Missing periods are skipped (NHSRplotthedots needs a series without gaps).
- A rebase applies from the first value on or after its period (not only on an exact date).
- ``run_length`` 6 is allowed; ``inconsistent`` assurance is called ``hit_and_miss``.

Entry points
------------
- :func:`spc_points` (the frame a chart needs, one row per analysed value),
- :func:`spc_summary` (one row per series, as at a period: the ``lsp status`` columns),
- :func:`spc_reasons` (a sentence per row of either), :func:`quarterly_increments`
  (cumulative-in-year values to each quarter's own), :func:`period_orders`.
:mod:`analytics.status.spc_rowwise` holds the same rules one series at a time (the oracle).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.status._codes import OTHER, ordinals
from analytics.status.spc_words import spc_sentence

PROCESS_LIMIT = 2.66  # x the mean moving range (3 sigma for an XmR chart)
NEAR_LIMIT = 2 * (PROCESS_LIMIT / 3)  # the 2-sigma lines (as NHSRplotthedots computes it)
SCREEN_LIMIT = 3.267  # moving ranges at or above this x the mean are screened out
TRIAL_BELOW = 12  # limits from fewer points are trial limits
RUN_LENGTHS = (6, 7)

POINTS = ("common_cause", "beyond_limits", "trend", "two_of_three", "shift")
COMMON, BEYOND, TREND, TWO_OF_THREE, SHIFT = range(5)
VARIATIONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCES = ("consistent_pass", "consistent_fail", "hit_and_miss")
POLARITY_SIGN = {"higher": 1, "lower": -1, "none": 0}

POINT_COLUMNS = (
    "spc_baseline",
    "spc_mean",
    "spc_lower_limit",
    "spc_upper_limit",
    "spc_lower_2sigma",
    "spc_upper_2sigma",
    "spc_limit_points",
    "spc_trial_limits",
    "spc_point",
    "spc_side",
    "spc_run_points",
    "spc_variation",
)
SUMMARY_COLUMNS = (
    "series_id",
    "period_order",
    "value",
    "polarity",
    "target_value",
    *POINT_COLUMNS,
    "spc_assurance",
)


@dataclass(frozen=True)
class SpcSettings:
    """``run_length``: points in a trend or shift (7, or 6 as Making Data Count's Excel tool
    allows); ``screen_outliers``: leave moving ranges >= 3.267 x their mean out of the limits;
    ``fix_after_points``: compute the limits from each baseline's first n points (n >= 12)."""

    run_length: int = 7
    screen_outliers: bool = True
    fix_after_points: int | None = None

    def __post_init__(self) -> None:
        if self.run_length not in RUN_LENGTHS:
            raise ValueError(f"run_length must be 6 or 7, not {self.run_length!r}")
        if self.fix_after_points is not None and (
            isinstance(self.fix_after_points, bool)
            or not isinstance(self.fix_after_points, int | np.integer)
            or self.fix_after_points < TRIAL_BELOW
        ):
            raise ValueError(
                f"fix_after_points must be a whole number of at least {TRIAL_BELOW} "
                f"(limits from fewer points are only trial limits), not {self.fix_after_points!r}"
            )


DEFAULT_SETTINGS = SpcSettings()


# -- preparing the rows ---------------------------------------------------------------------


def period_orders(codes: pd.Series | list | np.ndarray) -> np.ndarray:
    """``period_order`` for canonical period codes: a quarter ``2009/10 Q2`` gives
    ``2009 * 4 + 1``, a year ``2009/10`` gives 2009. Other codes (months, half-years) are
    refused: analyse a series in one grain."""
    grain, ordinal = ordinals(codes)
    if (grain == OTHER).any():
        values = pd.Series(codes, dtype=object) if not isinstance(codes, pd.Series) else codes
        bad = sorted({str(c) for c in values[grain == OTHER]})
        raise ValueError(
            f"period codes {', '.join(bad[:5])} are not quarters or financial years: "
            "SPC needs quarterly, annual or biennial values"
        )
    return ordinal


def _series_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Position of each row's series (in order of first appearance) and the distinct ids.
    Rows sorted by an integer series id (the usual case) are coded without hashing."""
    values = ids.to_numpy()
    n = len(values)
    if n and values.dtype.kind in "iu":
        change = np.empty(n, dtype=bool)
        change[0] = True
        np.not_equal(values[1:], values[:-1], out=change[1:])
        first = values[np.flatnonzero(change)]
        if (first[1:] > first[:-1]).all():  # rows sorted by series id
            return np.cumsum(change) - 1, pd.Index(first)
    codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    return codes, pd.Index(uniques)


def _sorted_by_series(codes: np.ndarray, order: np.ndarray) -> tuple[np.ndarray | None, int, int]:
    """(the permutation sorting rows by series then period, or None when they already are;
    the lowest period; the key span), with ``key = code * span + order - low``."""
    if not len(order):
        return None, 0, 1
    low = int(order.min())
    span = int(order.max()) - low + 2
    key = codes.astype(np.int64) * span + (order - low)
    if (key[1:] > key[:-1]).all():
        return None, low, span
    return np.argsort(key, kind="stable"), low, span


def quarterly_increments(points: pd.DataFrame) -> pd.DataFrame:
    """Cumulative-in-year values to what each quarter added, for the SPC of such indicators.

    ``points`` has ``series_id``, ``period_order`` (quarter ordinals, see
    :func:`period_orders`), ``value`` (year to date) and optionally ``is_cumulative`` (bool per
    row; absent = every row). For cumulative rows ``value`` becomes Q1's own figure in Q1 and
    Qn - Qn-1 within the financial year after; NaN when the previous quarter of the year has no
    value. ``ytd_value`` keeps the year to date (NaN for other rows) and ``is_increment`` says
    which rows changed, so a chart can say so. Row order is kept."""
    out = points.copy(deep=False)
    n = len(out)
    value = out["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    order = out["period_order"].to_numpy(dtype=np.int64)
    if "is_cumulative" in out:
        cumulative = out["is_cumulative"].fillna(False).to_numpy(dtype=bool)
    else:
        cumulative = np.ones(n, dtype=bool)
    codes, _ = _series_codes(out["series_id"])
    sort, _, _ = _sorted_by_series(codes, order)
    o, c, v = (order, codes, value) if sort is None else (order[sort], codes[sort], value[sort])
    previous = np.full(n, np.nan)
    if n > 1:
        follows = (c[1:] == c[:-1]) & (o[1:] == o[:-1] + 1) & (o[1:] // 4 == o[:-1] // 4)
        previous[1:] = np.where(follows, v[:-1], np.nan)
    own = np.where(o % 4 == 0, v, v - previous)  # Q1 as it is, then the difference
    if sort is None:
        increment = own
    else:
        increment = np.empty(n)
        increment[sort] = own
    out["ytd_value"] = np.where(cumulative, value, np.nan)
    out["value"] = np.where(cumulative, increment, value)
    out["is_increment"] = cumulative
    return out


@dataclass
class _Rows:
    """The analysed rows (values present, up to ``as_of``) sorted by series then period."""

    source: np.ndarray  # row positions in the input frame
    series: np.ndarray  # series position (0..n_series-1) of each row
    order: np.ndarray
    y: np.ndarray
    start: np.ndarray  # True where a baseline starts (a series' first value, or a rebase)
    n_series: int
    series_ids: pd.Index
    sign: np.ndarray  # polarity sign per series


def _polarity_signs(points: pd.DataFrame) -> np.ndarray:
    if "polarity" not in points:
        return np.zeros(len(points), dtype=np.int8)
    idx, uniques = pd.factorize(points["polarity"], use_na_sentinel=True)
    bad = [str(u) for u in uniques if str(u).strip().lower() not in POLARITY_SIGN]
    if bad:
        raise ValueError(f"polarity must be higher, lower or none, not {', '.join(sorted(bad))}")
    lut = np.array([POLARITY_SIGN[str(u).strip().lower()] for u in uniques] + [0], np.int8)
    return lut[np.where(idx < 0, len(uniques), idx)]


def _prepare(points: pd.DataFrame, rebases: pd.DataFrame | None, as_of: int | None) -> _Rows:
    missing = [c for c in ("series_id", "period_order", "value") if c not in points]
    if missing:
        raise ValueError(f"SPC needs the columns {', '.join(missing)}")
    codes, series_ids = _series_codes(points["series_id"])
    n_series = len(series_ids)
    order = points["period_order"].to_numpy(dtype=np.int64)
    y_all = points["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    sign_rows = _polarity_signs(points)

    keep = np.isfinite(y_all)
    if as_of is not None:
        keep &= order <= as_of
    source = np.flatnonzero(keep)
    series, order_k = codes[source].astype(np.int64), order[source]
    sort, low, span = _sorted_by_series(series, order_k)
    key = series * span + (order_k - low)
    if sort is not None:
        source, series, order_k, key = source[sort], series[sort], order_k[sort], key[sort]
        dup = np.flatnonzero(key[1:] == key[:-1])
        if len(dup):
            i = dup[0]
            raise ValueError(
                f"series {series_ids[series[i]]!r} has two values for period_order "
                f"{order_k[i]}: give one value per series and period"
            )
    start = np.ones(len(source), dtype=bool)
    start[1:] = series[1:] != series[:-1]
    # one polarity per series: its latest value's row (should they differ)
    last = np.flatnonzero(np.r_[start[1:], True]) if len(source) else np.zeros(0, np.int64)
    sign = np.zeros(n_series, dtype=np.int8)
    sign[series[last]] = sign_rows[source[last]]
    if rebases is not None and len(rebases) and len(source):
        r_series = series_ids.get_indexer(rebases["series_id"]).astype(np.int64)
        r_order = rebases["period_order"].to_numpy(dtype=np.int64)
        known = r_series >= 0
        r_series, r_order = r_series[known], r_order[known]
        # the first value on or after the rebase period starts a new baseline
        r_key = r_series * span + np.clip(r_order - low, -1, span - 1)
        at = np.searchsorted(key, r_key, side="left")
        inside = at < len(key)
        at, r_series = at[inside], r_series[inside]
        start[at[series[at] == r_series]] = True
    return _Rows(source, series, order_k, y_all[source], start, n_series, series_ids, sign)


# -- the rules ------------------------------------------------------------------------------


def _runs(key: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Length of the run of equal ``key`` each row is in (runs break at ``start``), and the
    run's id."""
    new = start.copy()
    new[1:] |= key[1:] != key[:-1]
    run = np.cumsum(new) - 1
    return np.bincount(run)[run], run


def _segment_mean(seg: np.ndarray, n_seg: int, values: np.ndarray, use: np.ndarray):
    """Mean of ``values`` where ``use`` per segment (summed in row order); NaN if none."""
    count = np.bincount(seg, weights=use, minlength=n_seg)
    total = np.bincount(seg, weights=np.where(use, values, 0.0), minlength=n_seg)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan), count


def _analyse(y: np.ndarray, start: np.ndarray, settings: SpcSettings) -> dict[str, np.ndarray]:
    """Every rule on sorted rows; ``start`` marks where each baseline begins."""
    n = len(y)
    run_length = settings.run_length
    seg = np.cumsum(start) - 1
    n_seg = int(seg[-1]) + 1 if n else 0
    first = np.flatnonzero(start)
    pos = np.arange(n) - first[seg]
    fix = settings.fix_after_points or np.iinfo(np.int64).max

    # limits, per baseline
    used = pos < fix
    mean, limit_points = _segment_mean(seg, n_seg, y, used)
    moving = np.zeros(n)
    moving[1:] = np.abs(y[1:] - y[:-1])
    has_range = (pos >= 1) & used
    mean_range, _ = _segment_mean(seg, n_seg, moving, has_range)
    if settings.screen_outliers:
        cut = mean_range[seg]
        kept = has_range & ((moving < SCREEN_LIMIT * cut) | (cut == 0))
        mean_range, _ = _segment_mean(seg, n_seg, moving, kept)
    m = mean[seg]
    upper = (mean + PROCESS_LIMIT * mean_range)[seg]
    lower = (mean - PROCESS_LIMIT * mean_range)[seg]
    upper_near = (mean + NEAR_LIMIT * mean_range)[seg]
    lower_near = (mean - NEAR_LIMIT * mean_range)[seg]

    beyond = (y > upper) | (y < lower)
    side_of_mean = np.sign(y - m).astype(np.int8)
    near = ~beyond & ((y < lower_near) | (y > upper_near))

    # trend: a run of run_length - 1 equal non-zero steps; its first point (the base) counts
    step = np.zeros(n, dtype=np.int8)
    step[1:] = np.sign(y[1:] - y[:-1])
    step[start] = 0
    step_run, _ = _runs(step, start)
    long_step = (step != 0) & (step_run >= run_length - 1)
    next_long = np.zeros(n, dtype=bool)
    next_long[:-1] = long_step[1:]
    trend = long_step | next_long
    next_step = np.zeros(n, dtype=np.int8)
    next_step[:-1] = step[1:]
    next_run = np.zeros(n, dtype=np.int64)
    next_run[:-1] = step_run[1:]
    trend_side = np.where(next_long, next_step, step)
    trend_points = np.where(next_long, next_run, step_run) + 1

    # two of three beyond a 2-sigma line, all three on one side of the mean
    window = np.zeros(n, dtype=bool)
    if n >= 3:
        near_i = near.astype(np.int8)
        whole = pos[2:] == pos[:-2] + 2  # the three points in one baseline
        count_near = near_i[:-2] + near_i[1:-1] + near_i[2:]
        same_side = np.abs(side_of_mean[:-2] + side_of_mean[1:-1] + side_of_mean[2:]) == 3
        window[:-2] = whole & (count_near >= 2) & same_side
    in_window = window.copy()
    in_window[1:] |= window[:-1]
    in_window[2:] |= window[:-2]
    two_of_three = near & in_window

    # shift: run_length points on one side of the mean
    side_run, _ = _runs(side_of_mean, start)
    shift = (side_of_mean != 0) & (side_run >= run_length)

    rules = [beyond, trend, two_of_three, shift]
    point = np.select(rules, [BEYOND, TREND, TWO_OF_THREE, SHIFT], COMMON).astype(np.int8)
    side = np.select(rules, [side_of_mean, trend_side, side_of_mean, side_of_mean], 0)
    run_points = np.where(point == TREND, trend_points, np.where(point == SHIFT, side_run, 0))
    return {
        "seg": seg,
        "spc_mean": m,
        "spc_lower_limit": lower,
        "spc_upper_limit": upper,
        "spc_lower_2sigma": lower_near,
        "spc_upper_2sigma": upper_near,
        "spc_limit_points": limit_points[seg].astype(np.int64),
        "point": point,
        "side": side.astype(np.int8),
        "spc_run_points": run_points.astype(np.int64),
    }


def _variation(side: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Index into VARIATIONS of each point: its side read through the polarity."""
    oriented = side * sign
    high = side > 0
    return np.select(
        [side == 0, sign == 0, oriented > 0, oriented < 0],
        [0, np.where(high, 5, 6), np.where(high, 1, 2), np.where(high, 3, 4)],
        0,
    ).astype(np.int8)


def assurance_codes(target_value, lower_limit, upper_limit, polarity) -> np.ndarray:
    """Making Data Count's assurance, element by element: ``consistent_pass``,
    ``consistent_fail``, ``hit_and_miss`` or "" (no target, no limits, or ``polarity``
    ``none``). A target exactly on a limit is hit and miss."""
    pol = pd.Series(np.broadcast_to(np.asarray(polarity, dtype=object), np.shape(target_value)))
    sign = _polarity_signs(pd.DataFrame({"polarity": pol})).astype(np.int64)
    code = _assurance(
        np.asarray(target_value, dtype=np.float64),
        np.asarray(lower_limit, dtype=np.float64),
        np.asarray(upper_limit, dtype=np.float64),
        sign,
    )
    return np.array(["", *ASSURANCES], dtype=object)[code]


def _assurance(target, lower, upper, sign) -> np.ndarray:
    """Index into ("", *ASSURANCES) per series."""
    has = np.isfinite(target) & np.isfinite(upper) & (sign != 0)
    above, below = target > upper, target < lower
    passes = (above & (sign < 0)) | (below & (sign > 0))
    fails = (above & (sign > 0)) | (below & (sign < 0))
    code = np.select([passes, fails], [1, 2], 3)
    return np.where(has, code, 0).astype(np.int8)


CHUNK_ROWS = 1 << 17  # rows analysed at a time (whole series): cache-sized temporaries
_OUTPUTS = (
    "spc_baseline",
    "spc_mean",
    "spc_lower_limit",
    "spc_upper_limit",
    "spc_lower_2sigma",
    "spc_upper_2sigma",
    "spc_limit_points",
    "point",
    "side",
    "spc_run_points",
    "variation",
)


def _rules_on(rows: _Rows, settings: SpcSettings, last_only: bool = False) -> dict:
    """:func:`_analyse` over blocks of whole series (about ``CHUNK_ROWS`` rows each, so that
    the temporaries stay small and warm), plus each point's baseline number and variation.
    ``last_only``: keep only each series' latest point (what a summary needs)."""
    n = len(rows.y)
    series_start = np.ones(n, dtype=bool)
    series_start[1:] = rows.series[1:] != rows.series[:-1]
    firsts = np.flatnonzero(series_start)
    bounds = [0]
    while bounds[-1] < n:
        at = np.searchsorted(firsts, bounds[-1] + CHUNK_ROWS)
        bounds.append(int(firsts[at]) if at < len(firsts) else n)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in _OUTPUTS}
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        res = _analyse(rows.y[a:b], rows.start[a:b], settings)
        seg = res.pop("seg")
        first_row = np.maximum.accumulate(np.where(series_start[a:b], np.arange(b - a), 0))
        res["spc_baseline"] = seg - seg[first_row]
        res["variation"] = _variation(res["side"], rows.sign[rows.series[a:b]])
        keep = slice(None)
        if last_only:
            keep = np.flatnonzero(np.r_[series_start[a + 1 : b], True])
        for k in _OUTPUTS:
            parts[k].append(res[k][keep])
    empty = {"point": np.int8, "side": np.int8, "variation": np.int8}
    return {
        k: np.concatenate(v) if v else np.zeros(0, dtype=empty.get(k, np.float64))
        for k, v in parts.items()
    }


# -- the frames -----------------------------------------------------------------------------


def spc_points(
    points: pd.DataFrame,
    settings: SpcSettings = DEFAULT_SETTINGS,
    rebases: pd.DataFrame | None = None,
    as_of: int | None = None,
) -> pd.DataFrame:
    """One row per analysed value (values present, ``period_order <= as_of`` if given),
    sorted by series (in order of first appearance) then period: the input's columns, then
    ``spc_baseline`` (0, 1... after each rebase), ``spc_mean``, ``spc_lower_limit``,
    ``spc_upper_limit``, ``spc_lower_2sigma``, ``spc_upper_2sigma``, ``spc_limit_points``
    (the points the limits come from), ``spc_trial_limits``, ``spc_point`` (the rule, see
    ``POINTS``), ``spc_side`` (+1 high, -1 low, 0), ``spc_run_points`` (a trend's or shift's
    length) and ``spc_variation`` (the point's icon, see ``VARIATIONS``).

    Limits are the baseline's, from all its values given (or the first ``fix_after_points``):
    a retrospective reading, as a chart shows it. For what was known at a period, see
    :func:`spc_summary`."""
    rows = _prepare(points, rebases, as_of)
    res = _rules_on(rows, settings)
    out = points.take(rows.source).reset_index(drop=True)
    out["spc_baseline"] = res["spc_baseline"]
    for name in ("spc_mean", "spc_lower_limit", "spc_upper_limit"):
        out[name] = res[name]
    out["spc_lower_2sigma"] = res["spc_lower_2sigma"]
    out["spc_upper_2sigma"] = res["spc_upper_2sigma"]
    out["spc_limit_points"] = res["spc_limit_points"]
    out["spc_trial_limits"] = res["spc_limit_points"] < TRIAL_BELOW
    out["spc_point"] = pd.Categorical.from_codes(res["point"], categories=list(POINTS))
    out["spc_side"] = res["side"]
    out["spc_run_points"] = res["spc_run_points"]
    out["spc_variation"] = pd.Categorical.from_codes(res["variation"], categories=list(VARIATIONS))
    return out


def spc_summary(
    points: pd.DataFrame,
    settings: SpcSettings = DEFAULT_SETTINGS,
    rebases: pd.DataFrame | None = None,
    as_of: int | None = None,
    reasons: bool = False,
    periods: str = "quarters",
) -> pd.DataFrame:
    """One row per series (every ``series_id`` given, in order of first appearance): the SPC
    reading as at ``as_of``, from the values with ``period_order <= as_of`` only (all when
    None), at the latest of them.

    Columns: the latest value's row of the input (``period_order``, ``value``, ``polarity``,
    ``target_value`` and any others), the :func:`spc_points` columns for that point, and
    ``spc_assurance`` (``consistent_pass``, ``consistent_fail``, ``hit_and_miss`` or "").
    ``spc_point``, ``spc_variation`` and ``spc_assurance`` are strings, "" for a series with
    no value by ``as_of`` (its other columns are empty; ``spc_trial_limits`` is True).
    ``reasons=True`` adds ``spc_reason``, the sentence (:func:`spc_reasons`)."""
    rows = _prepare(points, rebases, as_of)
    res = _rules_on(rows, settings, last_only=True)
    n_series = rows.n_series
    n = len(rows.source)
    last = np.flatnonzero(np.r_[rows.series[1:] != rows.series[:-1], True]) if n else []
    last = np.asarray(last, dtype=np.int64)  # each series' latest value
    where = rows.series[last]

    base = points.take(rows.source[last]).set_axis(where)
    out = base.reindex(np.arange(n_series)).reset_index(drop=True)
    out["series_id"] = rows.series_ids.to_numpy()
    for col in ("period_order", "value", "polarity", "target_value"):
        if col not in out:
            out[col] = "none" if col == "polarity" else np.nan

    def spread(values: np.ndarray, fill) -> np.ndarray:  # one per series, ``fill`` if none
        full = np.full(n_series, fill, dtype=values.dtype)
        full[where] = values
        return full

    out["spc_baseline"] = spread(res["spc_baseline"], 0)
    for name in (
        "spc_mean",
        "spc_lower_limit",
        "spc_upper_limit",
        "spc_lower_2sigma",
        "spc_upper_2sigma",
    ):
        out[name] = spread(res[name], np.nan)
    limit_points = spread(res["spc_limit_points"], 0)
    out["spc_limit_points"] = limit_points
    out["spc_trial_limits"] = limit_points < TRIAL_BELOW
    point = spread(res["point"].astype(np.int64), -1)
    out["spc_point"] = np.array([*POINTS, ""], dtype=object)[point]
    out["spc_side"] = spread(res["side"], 0)
    out["spc_run_points"] = spread(res["spc_run_points"], 0)
    variation = spread(res["variation"].astype(np.int64), -1)
    out["spc_variation"] = np.array([*VARIATIONS, ""], dtype=object)[variation]
    target = out["target_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    assurance = _assurance(
        target,
        out["spc_lower_limit"].to_numpy(),
        out["spc_upper_limit"].to_numpy(),
        rows.sign.astype(np.int64),
    )
    out["spc_assurance"] = np.array(["", *ASSURANCES], dtype=object)[assurance]
    first = [c for c in SUMMARY_COLUMNS if c in out]
    out = out[first + [c for c in out.columns if c not in first]]
    if reasons:
        out["spc_reason"] = spc_reasons(out, periods=periods)
    return out


def _vocabulary_codes(column: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    """Position of each value in ``vocabulary``, -1 for "" or missing."""
    if isinstance(column.dtype, pd.CategoricalDtype) and tuple(column.cat.categories) == tuple(
        vocabulary
    ):
        return column.cat.codes.to_numpy().astype(np.int64)
    return pd.Index(vocabulary).get_indexer(column.astype(object)).astype(np.int64)


def spc_reasons(frame: pd.DataFrame, periods: str = "quarters") -> pd.Series:
    """The sentence for each row of :func:`spc_points` or :func:`spc_summary` (see
    :mod:`analytics.status.spc_words`): e.g. "Worse than usual: falling for 7 quarters in a
    row, a real change, not noise." A ``period_noun`` column, where present, overrides
    ``periods`` row by row ("years" for annual series). Each distinct reading is worded once."""
    n = len(frame)
    parts = [  # (codes from 0, how many values)
        _vocabulary_codes(frame["spc_point"], POINTS) + 1,
        _vocabulary_codes(frame["spc_variation"], VARIATIONS) + 1,
        frame["spc_side"].to_numpy(dtype=np.int64) + 1,
        (
            _vocabulary_codes(frame["spc_assurance"], ASSURANCES) + 1
            if "spc_assurance" in frame
            else np.zeros(n, dtype=np.int64)
        ),
        frame["spc_run_points"].to_numpy(dtype=np.int64),
        frame["spc_limit_points"].to_numpy(dtype=np.int64),
        frame["spc_trial_limits"].to_numpy(dtype=np.int64),
        (
            frame["is_increment"].fillna(False).to_numpy(dtype=np.int64)
            if "is_increment" in frame
            else np.zeros(n, dtype=np.int64)
        ),
    ]
    if "period_noun" in frame:
        noun_codes, nouns = pd.factorize(frame["period_noun"].fillna(periods))
        parts.append(noun_codes.astype(np.int64))
    else:
        nouns = [periods]
        parts.append(np.zeros(n, dtype=np.int64))
    key = np.zeros(n, dtype=np.int64)
    for part in parts:
        key = key * (int(part.max(initial=0)) + 1) + part
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    point, variation, side, assurance, run, limit, trial, inc, noun = (p[first] for p in parts)
    words = np.array(
        [
            spc_sentence(
                POINTS[point[i] - 1] if point[i] else "",
                VARIATIONS[variation[i] - 1] if variation[i] else "",
                int(side[i]) - 1,
                ASSURANCES[assurance[i] - 1] if assurance[i] else "",
                int(run[i]),
                int(limit[i]),
                bool(trial[i]),
                str(nouns[noun[i]]),
                bool(inc[i]),
            )
            for i in range(len(first))
        ],
        dtype=object,
    )
    return pd.Series(words[inverse.reshape(-1)], index=frame.index, name="spc_reason")
