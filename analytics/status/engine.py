"""compute_statuses: the whole indicator status table from four frames, vectorised.

How it works (see the package docstring for what the columns mean):

1. Every period code is parsed once and becomes an integer ordinal (quarters: year*4+q-1,
   years: the start year), and every indicator id a row position.
2. Indicators reported quarterly (and monthly ones, judged quarterly) go into a dense
   *quarter panel* (indicators x quarters), annual and biennial ones into a *year panel*. Each
   panel spans from its earliest actual to its latest due period, so that comparisons with
   earlier periods and the persistence count see the history, not just the periods asked for.
3. Shifting a panel by a column gives the previous period, by four columns (one for years)
   the same period last year; targets are laid out densely by (indicator, financial year).
4. Status, direction, forecast and persistence are array expressions over the panel; the
   due columns are then flattened into rows and the reasons written column-wise.

Large inputs are cut into blocks of indicators assessed in parallel threads (numpy and
pyarrow release the GIL), ``workers`` of them. Each block writes its rows of the output
columns in place and returns its reasons, which are copied in row order into one text buffer
as the blocks finish (``rag_reason`` is a single-chunk large_string column, with no second
copy of the text).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import periods as P
from analytics.formatting import unit_affixes
from analytics.status import rag as R
from analytics.status import reasons as W
from analytics.status import targets as T
from analytics.status._codes import QUARTER, YEAR, code_of, fy_start_years, ordinals, positions
from analytics.vocabulary import POLARITY_TABLE, STATUS_RULES

OUTPUT_COLUMNS = (
    "indicator_id",
    "period",
    "actual_value",
    "period_value",
    "ytd_value",
    "target_value",
    "annual_target_value",
    "original_target_value",
    "target_version",
    "is_placeholder",
    "rag_status",
    "rag_reason",
    "dot_previous",
    "dot_last_year",
    "forecast_value",
    "forecast_status",
    "persistence_periods",
    "status_rule",
)

_SIGN = {p.code: p.sign for p in POLARITY_TABLE}
_QUARTERLY = {"monthly", "quarterly"}
_PARALLEL_FROM = 200_000  # panel cells; below this one thread is quicker


def _column(frame: pd.DataFrame, name: str, default: object, dtype=np.float64) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), default, dtype=dtype)
    return frame[name].to_numpy(dtype=dtype, na_value=default)


def _codes(values: pd.Series, mapping: dict[str, int], default: int) -> np.ndarray:
    """Small-vocabulary strings to ints, via their distinct values."""
    idx, uniques = pd.factorize(values, use_na_sentinel=True)
    lut = np.array([mapping.get(str(u).strip().lower(), default) for u in uniques] + [default])
    return lut[np.where(idx < 0, len(uniques), idx)].astype(np.int8)


@dataclass
class _Indicators:
    ids: np.ndarray
    sign: np.ndarray
    decimals: np.ndarray
    cumulative: np.ndarray
    quarterly: np.ndarray
    biennial: np.ndarray
    rule: np.ndarray
    tol_pct: np.ndarray
    green_pct: np.ndarray  # NaN: no green band (the target must be met)
    tol_abs: np.ndarray
    minimum: np.ndarray
    threshold: np.ndarray
    factor: np.ndarray  # 10.0 ** decimals
    unit_index: np.ndarray
    units: list
    survey_index: np.ndarray  # index into survey_sets / survey_text; 0 = no list
    survey_sets: list
    survey_text: list


def _prepare_indicators(indicators: pd.DataFrame) -> _Indicators:
    n = len(indicators)

    def text(name: str) -> pd.Series:
        return indicators[name] if name in indicators else pd.Series([None] * n, dtype=object)

    unit_index, units = pd.factorize(text("unit").fillna(""), use_na_sentinel=False)
    survey_index, survey_raw = pd.factorize(text("survey_years"), use_na_sentinel=True)
    survey_sets, survey_text = [frozenset()], [""]
    for raw in survey_raw:
        codes = [c.strip() for c in str(raw).split(",") if c.strip()]
        years = fy_start_years(pd.Series(codes, dtype=object))
        survey_sets.append(frozenset(int(y) for y in years if y >= 0))
        survey_text.append(", ".join(codes))
    frequency = _codes(
        text("frequency"), {"monthly": 1, "quarterly": 1, "annual": 2, "biennial": 3}, 1
    )
    decimals = np.clip(_column(indicators, "decimals", 1, np.float64), 0, 6).astype(np.int64)
    tol_pct = _column(indicators, "amber_tolerance_pct", np.nan)
    return _Indicators(
        ids=indicators["indicator_id"].to_numpy(dtype=np.int64),
        sign=_codes(text("polarity"), _SIGN, 0),
        decimals=decimals,
        cumulative=_codes(text("measure_type"), {"cumulative": 1}, 0).astype(bool),
        quarterly=frequency == 1,
        biennial=frequency == 3,
        rule=_codes(text("status_rule"), {r: i for i, r in enumerate(STATUS_RULES)}, R.PCT),
        tol_pct=np.where(np.isnan(tol_pct), R.DEFAULT_TOLERANCE_PCT, tol_pct),
        green_pct=_column(indicators, "green_tolerance_pct", np.nan),
        tol_abs=_column(indicators, "amber_tolerance_abs", np.nan),
        minimum=R.round_half_up(_column(indicators, "minimum_standard", np.nan), decimals),
        threshold=np.nan_to_num(_column(indicators, "dot_threshold", np.nan)),
        factor=10.0 ** decimals.astype(np.float64),
        unit_index=np.asarray(unit_index, dtype=np.int64),
        units=list(units),
        survey_index=np.where(survey_index < 0, 0, survey_index + 1).astype(np.int64),
        survey_sets=survey_sets,
        survey_text=survey_text,
    )


@dataclass
class _Panel:
    grain: int
    per_year: int
    rows: np.ndarray  # indicator positions, ascending
    lo: int  # ordinal of column 0
    width: int
    actual: np.ndarray  # (rows, width) as reported
    source: np.ndarray | None  # (rows, width) row of `actuals`, -1 where none
    due: np.ndarray  # column indices of the due periods, ascending
    due_code: np.ndarray | None = None  # their codes in the output's period categories


def _build_panel(
    grain: int,
    rows: np.ndarray,
    due_ords: np.ndarray,
    a_pos: np.ndarray,
    a_grain: np.ndarray,
    a_ord: np.ndarray,
    a_value: np.ndarray,
    with_source: bool,
    n_indicators: int,
) -> _Panel:
    per_year = 4 if grain == QUARTER else 1
    hi = int(due_ords.max())
    # panel row of each indicator position; a_pos -1 (unknown indicator) reads the last, -1
    panel_row = np.full(n_indicators + 1, -1, dtype=np.int64)
    panel_row[rows] = np.arange(len(rows))
    keep = a_grain == grain
    keep &= a_ord <= hi
    prow = panel_row[a_pos]
    keep &= prow >= 0
    where = np.flatnonzero(keep)
    ords = a_ord[where]
    lo = int(min(due_ords.min(), ords.min(initial=hi)))
    width = hi - lo + 1
    cell = prow[where]
    cell *= width
    cell += ords
    cell -= lo
    actual = np.full((len(rows), width), np.nan)
    actual.reshape(-1)[cell] = a_value[where]
    source = None
    if with_source:
        source = np.full((len(rows), width), -1, dtype=np.int64)
        source.reshape(-1)[cell] = where
    return _Panel(grain, per_year, rows, lo, width, actual, source, np.asarray(due_ords) - lo)


def _previous_survey(values: np.ndarray) -> np.ndarray:
    """For each column, the latest non-missing value strictly before it."""
    n, w = values.shape
    idx = np.where(np.isnan(values), -1, np.arange(w))
    last = np.maximum.accumulate(idx, axis=1)
    prev = np.full((n, w), -1, dtype=np.int64)
    prev[:, 1:] = last[:, :-1]
    out = np.take_along_axis(values, np.maximum(prev, 0), axis=1)
    out[prev < 0] = np.nan
    return out


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """Columns moved right by k (the value k periods earlier); NaN where there is none."""
    out = np.empty_like(a)
    out[:, : min(k, a.shape[1])] = np.nan
    if k < a.shape[1]:
        out[:, k:] = a[:, : a.shape[1] - k]
    return out


@dataclass
class _Out:
    """The output columns, allocated once for every row; each block fills its own slice."""

    columns: dict[str, np.ndarray]
    reasons: bool  # write the reasons
    extra: bool


def _assess(
    panel: _Panel,
    r0: int,
    r1: int,
    start: int,
    job: int,
    ind: _Indicators,
    targets: T.TargetTable,
    text: dict,
    out: _Out,
) -> pa.Array | None:
    """Assess rows ``r0:r1`` of ``panel`` into the output rows from ``start``; returns their
    reasons (or None)."""
    rows = panel.rows[r0:r1]
    n, width = len(rows), panel.width
    col = lambda a: a[rows][:, None]  # noqa: E731 - per-indicator setting as a column
    sign, dec, cum, rule = col(ind.sign), col(ind.decimals), col(ind.cumulative), col(ind.rule)
    factor = col(ind.factor)
    thr = col(ind.threshold)
    ordv = panel.lo + np.arange(width)
    quarterly = panel.grain == QUARTER
    year = ordv // 4 if quarterly else ordv
    qnum = (ordv % 4 + 1) if quarterly else np.full(width, 4)
    yidx = year - targets.y0
    any_cum = bool(cum.any())

    actual = panel.actual[r0:r1]
    if quarterly and any_cum:
        increment = np.where(cum & (qnum > 1), actual - _shift(actual, 1), actual)
    else:
        increment = actual
    value = R.round_with(actual, factor)

    # biennial surveys: the years without a survey have no new data
    no_new_data = None
    surveyed = ind.biennial[rows] & (ind.survey_index[rows] > 0)
    compare = value
    if not quarterly and surveyed.any():
        no_new_data = np.zeros((n, width), dtype=bool)
        for k in np.flatnonzero(surveyed):
            years = ind.survey_sets[ind.survey_index[rows[k]]]
            no_new_data[k] = ~np.isin(year, list(years))
        compare = np.where(no_new_data, np.nan, value)

    # targets in force, laid out like the panel
    ann = targets.annual[rows][:, yidx]
    if quarterly:
        prof = targets.profile[rows[:, None], yidx[None, :], (qnum - 1)[None, :]]
        linear = np.where(cum, ann * qnum / 4.0, ann) if any_cum else ann
        target = np.where(np.isnan(prof), linear, prof)
    else:
        target = ann
    target_r = R.round_with(target, factor)
    state = targets.state[rows][:, yidx]
    placeholder = targets.placeholder[rows][:, yidx]

    # direction of travel (cumulative: the period's own increment against the previous one)
    last_year = _shift(compare, panel.per_year)
    dot_last_year = R.direction(compare, last_year, sign, thr)
    if quarterly and any_cum:
        base = np.where(cum, R.round_with(increment, factor), compare)
    else:
        base = compare
    previous = _shift(base, 1)
    if surveyed.any() and not quarterly:
        previous[surveyed] = _previous_survey(compare[surveyed])
    dot_previous = R.direction(base, previous, sign, thr)

    settings = dict(
        rule=rule,
        sign=sign,
        tolerance_pct=col(ind.tol_pct),
        green_pct=col(ind.green_pct),
        tolerance_abs=col(ind.tol_abs),
        minimum=col(ind.minimum),
        decimals=dec,
        target_state=state,
        placeholder=placeholder,
        no_new_data=no_new_data,
    )
    reason = R.reason_codes(value, target_r, dot_last_year, **settings)
    status = R.REASON_STATUS[reason]
    persistence = R.persistence(status, no_new_data)

    # year-end forecast: run rate for cumulative measures, latest value for snapshots
    if quarterly and any_cum:
        forecast = np.where(cum, actual * 4.0 / qnum, actual)
    else:
        forecast = actual.copy()
    if no_new_data is not None:
        forecast[no_new_data] = np.nan
    forecast_r = R.round_with(forecast, factor)
    if quarterly:
        prior_end = np.arange(width) - qnum  # column of last year's Q4
        year_end = value[:, np.maximum(prior_end, 0)]
        year_end[:, prior_end < 0] = np.nan
    else:
        year_end = _shift(compare, 1)
    forecast_dot = R.direction(forecast_r, year_end, sign, thr)
    forecast_reason = R.reason_codes(
        forecast_r, R.round_with(ann, factor), forecast_dot, **settings
    )

    due = panel.due
    n_due = len(due)
    every = n_due == width  # due in every column: no selection needed
    stop = start + n * n_due
    columns = out.columns

    def put(name: str, cells: np.ndarray) -> None:
        target_cells = columns[name][start:stop].reshape(n, n_due)
        narrow = every or np.ndim(cells) < 2 or np.shape(cells)[1] == 1
        target_cells[...] = cells if narrow else cells[:, due]

    put("actual_value", actual)
    put("period_value", increment)
    put("ytd_value", np.where(cum, actual, np.nan) if any_cum else np.nan)
    put("target_value", target)
    put("annual_target_value", ann)
    put("original_target_value", targets.original[rows][:, yidx])
    version = targets.version[rows][:, yidx]
    put("version_missing", np.isnan(version))
    put("target_version", np.nan_to_num(version))
    put("is_placeholder", placeholder)
    put("rag_status", status)
    put("dot_previous", dot_previous)
    put("dot_last_year", dot_last_year)
    put("forecast_value", forecast)
    put("forecast_status", R.REASON_STATUS[forecast_reason])
    put("persistence_periods", persistence)
    put("status_rule", col(ind.rule))
    put("indicator_id", col(ind.ids))
    columns["period"][start:stop].reshape(n, n_due)[...] = panel.due_code
    if out.extra:
        put("source", panel.source[r0:r1])
    if not out.reasons:
        return None
    flat = lambda a: (a if every else a[:, due]).ravel()  # noqa: E731
    inputs = W.ReasonInputs(
        value=flat(value),
        target=flat(target_r),
        last_year=flat(last_year),
        per_indicator=n_due,
        decimals=ind.decimals[rows],
        factor=ind.factor[rows],
        unit_index=ind.unit_index[rows],
        sign=ind.sign[rows],
        minimum=ind.minimum[rows],
        tol_abs=ind.tol_abs[rows],
        tol_pct_index=text["tol_pct_index"][rows],
        tol_pct_text=text["tol_pct"],
        green_pct_index=text["green_pct_index"][rows],
        green_pct_text=text["green_pct"],
        survey_index=ind.survey_index[rows],
        survey_text=text["surveys"],
        fy_index=year[due] - targets.y0,
        fy_text=text["fy"],
        affixes=text["affixes"],
        gap_affixes=text["gap_affixes"],
        as_of_text=text["as_of"],
        layouts=text["layouts"],
    )
    return W.build(flat(reason), inputs)


def _empty(actual_extra: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})
    for name in (
        "actual_value",
        "period_value",
        "ytd_value",
        "target_value",
        "annual_target_value",
        "original_target_value",
        "target_version",
        "forecast_value",
    ):
        frame[name] = frame[name].astype(float)
    frame["indicator_id"] = frame["indicator_id"].astype(np.int64)
    frame["persistence_periods"] = frame["persistence_periods"].astype(np.int32)
    frame["is_placeholder"] = frame["is_placeholder"].astype(bool)
    for name in ("rag_status", "forecast_status"):
        frame[name] = pd.Categorical([], categories=R.STATUSES)
    for name in ("dot_previous", "dot_last_year"):
        frame[name] = pd.Categorical([], categories=R.DIRECTIONS)
    for name in actual_extra:
        frame[name] = pd.Series(dtype=object)
    return frame


def compute_statuses(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    periods: list[str] | pd.Series,
    as_of: object = None,
    *,
    reasons: bool = True,
    workers: int | None = None,
) -> pd.DataFrame:
    """One row per (indicator, due period) with its status; see the package docstring.

    ``as_of``: the date whose targets apply (latest ``set_on`` on or before it); None = the
    latest version. ``reasons=False`` skips writing ``rag_reason`` (left empty), for bulk
    work that only counts statuses. ``workers``: threads for large inputs (default: CPUs, at
    most 4).
    """
    extra = [c for c in actuals.columns if c not in ("indicator_id", "period", "actual_value")]
    if len(indicators) == 0 or len(periods) == 0:
        return _empty(extra)
    ind = _prepare_indicators(indicators.reset_index(drop=True))
    due_grain, due_ord = ordinals(pd.Series(list(dict.fromkeys(periods)), dtype=object))
    a_pos = positions(ind.ids, actuals["indicator_id"].to_numpy(dtype=np.int64, na_value=-1))
    a_grain, a_ord = ordinals(actuals["period"])
    a_value = actuals["actual_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    known = a_pos >= 0
    a_grain = np.where(known, a_grain, 0)

    panels: list[_Panel] = []
    for grain, members in ((QUARTER, ind.quarterly), (YEAR, ~ind.quarterly)):
        rows = np.flatnonzero(members)
        due = np.unique(due_ord[due_grain == grain])
        if len(rows) and len(due):
            panels.append(
                _build_panel(
                    grain, rows, due, a_pos, a_grain, a_ord, a_value, bool(extra), len(ind.ids)
                )
            )
    del a_pos, a_grain, a_ord, a_value, known  # row-sized: not kept while assessing
    if not panels:
        return _empty(extra)

    years = [p.lo // p.per_year for p in panels] + [
        (p.lo + p.width - 1) // p.per_year for p in panels
    ]
    y0, y1 = min(years), max(years)
    as_of_day = T.as_of_days(as_of)
    table = T.resolve(targets, ind.ids, as_of_day, y0, y1 - y0 + 1)
    text = {
        "affixes": W.Affixes(*zip(*[unit_affixes(u) for u in ind.units], strict=True)),
        "gap_affixes": W.Affixes(
            *zip(*[unit_affixes(u, gap=True) for u in ind.units], strict=True)
        ),
        "fy": [P.fy_code(y) for y in range(y0, y1 + 1)],
        "surveys": list(ind.survey_text),
        "as_of": "" if as_of is None else pd.Timestamp(as_of).strftime("%-d %b %Y"),
    }
    text["tol_pct"], text["tol_pct_index"] = W.format_general(ind.tol_pct)
    text["green_pct"], text["green_pct_index"] = W.format_general(ind.green_pct)
    text["layouts"] = {}  # sentence layouts, shared by the blocks

    threads = workers or min(os.cpu_count() or 1, 4)
    jobs, total = [], 0
    for panel in panels:
        n_due = len(panel.due)
        # blocks of about _BLOCK cells: the temporaries stay in the CPU cache
        per_block = max(1, _BLOCK // max(panel.width, 1))
        for a in range(0, len(panel.rows), per_block):
            b = min(a + per_block, len(panel.rows))
            jobs.append((panel, a, b, total, len(jobs)))
            total += (b - a) * n_due

    period_categories = _period_codes(panels)
    out = _Out(
        columns={name: np.empty(total, dtype=dtype) for name, dtype in _OUT_DTYPES.items()},
        reasons=reasons,
        extra=bool(extra),
    )
    if extra:
        out.columns["source"] = np.empty(total, dtype=np.int64)

    def run(job: tuple) -> pa.Array | None:
        return _assess(*job, ind, table, text, out)

    # the reasons of each block are copied into one column as the blocks finish, in order
    column = W.Column(total) if reasons else None
    cells = sum(len(p.rows) * p.width for p in panels)
    if len(jobs) > 1 and threads > 1 and cells >= _PARALLEL_FROM:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for block in pool.map(run, jobs):
                if column is not None:
                    column.add(block)
    else:
        for job in jobs:
            block = run(job)
            if column is not None:
                column.add(block)
    return _frame(out, period_categories, actuals, extra, column)


_BLOCK = 65_536
_OUT_DTYPES = {
    "indicator_id": np.int64,
    "period": np.int16,
    "actual_value": np.float64,
    "period_value": np.float64,
    "ytd_value": np.float64,
    "target_value": np.float64,
    "annual_target_value": np.float64,
    "original_target_value": np.float64,
    "target_version": np.int64,
    "version_missing": bool,
    "is_placeholder": bool,
    "rag_status": np.int8,
    "dot_previous": np.int8,
    "dot_last_year": np.int8,
    "forecast_value": np.float64,
    "forecast_status": np.int8,
    "persistence_periods": np.int32,
    "status_rule": np.int8,
}


def _period_codes(panels: list[_Panel]) -> list[str]:
    """The period categories (every due code, in time order); sets each panel's due_code."""
    keys = sorted({(p.grain, int(p.lo + d)) for p in panels for d in p.due})
    texts = [code_of(g, o) for g, o in keys]
    chrono = sorted(range(len(keys)), key=lambda i: P.sort_key(texts[i]))
    rank = {keys[i]: r for r, i in enumerate(chrono)}
    for p in panels:
        p.due_code = np.array([rank[(p.grain, int(p.lo + d))] for d in p.due], dtype=np.int16)
    return [texts[i] for i in chrono]


def _frame(out: _Out, categories: list[str], actuals, extra, reasons) -> pd.DataFrame:
    c = out.columns

    def cat(name: str, values) -> pd.Categorical:
        dtype = pd.CategoricalDtype(values, ordered=name == "period")
        return pd.Categorical.from_codes(c[name], dtype=dtype, validate=False)

    frame = pd.DataFrame(
        {
            "indicator_id": c["indicator_id"],
            "period": cat("period", categories),
            "actual_value": c["actual_value"],
            "period_value": c["period_value"],
            "ytd_value": c["ytd_value"],
            "target_value": c["target_value"],
            "annual_target_value": c["annual_target_value"],
            "original_target_value": c["original_target_value"],
            "target_version": pd.arrays.IntegerArray(c["target_version"], c["version_missing"]),
            "is_placeholder": c["is_placeholder"],
            "rag_status": cat("rag_status", R.STATUSES),
            "rag_reason": _reason_column(reasons, len(c["indicator_id"])),
            "dot_previous": cat("dot_previous", R.DIRECTIONS),
            "dot_last_year": cat("dot_last_year", R.DIRECTIONS),
            "forecast_value": c["forecast_value"],
            "forecast_status": cat("forecast_status", R.STATUSES),
            "persistence_periods": c["persistence_periods"],
            "status_rule": cat("status_rule", STATUS_RULES),
        },
        copy=False,
    )
    for name in extra:
        frame[name] = actuals[name].array.take(c["source"], allow_fill=True)
    return frame


def _reason_column(reasons: W.Column | None, total: int) -> pd.api.extensions.ExtensionArray:
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    if reasons is None:
        return pd.array(pa.nulls(total, pa.large_string()), dtype=dtype)
    return pd.array(reasons.array(), dtype=dtype)
