"""Stored statuses: recomputed inside the writer's transaction after every change.

Pages read ``indicator_status`` instead of recomputing, so no page holds the warehouse in
pandas. The frames handed to the pure engine come out of DuckDB through Arrow.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analytics import periods
from analytics.status import OUTPUT_COLUMNS, compute_statuses
from analytics.status.spc_readings import READING_COLUMNS, partnership_settings, spc_readings
from analytics.warehouse.connection import first_row, frame
from analytics.warehouse.keyed import held_beside, same_numbers

# what the engine gives, with the period's end date beside the period for SQL, and the SPC
# reading as at each period
_STATUS_COLUMNS = (*OUTPUT_COLUMNS[:2], "period_end", *OUTPUT_COLUMNS[2:], *READING_COLUMNS)


def engine_inputs(
    con: duckdb.DuckDBPyConnection, partnership_id: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The indicators, target versions and the actuals the Board sees of one partnership
    (the values in force; with the partnership's accepted-only setting, the latest accepted
    ones: :mod:`analytics.warehouse.collection`)."""
    indicators = frame(
        con,
        "SELECT indicator_id, code, theme_id, polarity, decimals, unit, frequency, measure_type,"
        " status_rule, green_tolerance_pct, amber_tolerance_pct, amber_tolerance_abs,"
        " minimum_standard,"
        " dot_threshold, survey_years, spc_run_length, spc_screen_outliers, spc_fix_after_points"
        " FROM indicator WHERE partnership_id = ? AND is_active",
        [partnership_id],
    )
    targets = frame(
        con,
        "SELECT t.indicator_id, t.financial_year, t.version, t.target_value, t.q1_value,"
        " t.q2_value, t.q3_value, t.q4_value, t.is_placeholder, t.set_on, t.reason,"
        " t.provenance FROM target t JOIN indicator i USING (indicator_id)"
        " WHERE i.partnership_id = ?",
        [partnership_id],
    )
    # the values the Board sees: those in force, or only accepted ones (board_actual, 0012)
    actuals = frame(
        con,
        "SELECT a.indicator_id, a.period, a.actual_value FROM board_actual a"
        " JOIN indicator i USING (indicator_id) WHERE i.partnership_id = ?",
        [partnership_id],
    )
    return indicators, targets, actuals


def spc_inputs(con: duckdb.DuckDBPyConnection, partnership_id: int):
    """(the partnership's SPC defaults, its indicators' rebases: indicator_id, period)."""
    row = con.execute(
        "SELECT spc_run_length, spc_screen_outliers, spc_fix_after_points FROM partnership"
        " WHERE partnership_id = ?",
        [partnership_id],
    )
    found = first_row(row)
    defaults = partnership_settings(
        None if found is None else dict(zip(["spc_run_length", "spc_screen_outliers",
                                             "spc_fix_after_points"], found, strict=True))
    )  # fmt: skip
    rebases = frame(
        con,
        "SELECT r.indicator_id, r.period, r.reason FROM spc_rebase r"
        " JOIN indicator i USING (indicator_id) WHERE i.partnership_id = ?",
        [partnership_id],
    )
    return defaults, rebases


def due_periods(actuals: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    """Quarters and years from the first target or value up to the latest value loaded."""
    if actuals.empty:
        return []
    codes = set(actuals["period"].unique())
    latest_end = max(periods.parse_code(c).end for c in codes)
    years = [periods.fy_start_year(fy) for fy in targets["financial_year"].unique()]
    years += [periods.parse_code(c).start_year for c in codes]
    out = []
    for start_year in range(min(years), max(years) + 1):
        fy = periods.fy_code(start_year)
        out += [q for q in periods.quarters_of_year(fy) if periods.parse_code(q).end <= latest_end]
        if periods.parse_code(fy).end <= latest_end:
            out.append(fy)
    return out


_SPC_INPUTS = ("actual_value", "period_value", "target_value")


def _stored_readings(
    con: duckdb.DuckDBPyConnection, partnership_id: int, statuses: pd.DataFrame, ends: dict
) -> tuple[np.ndarray, pd.DataFrame]:
    """Which rows of ``statuses`` need a new SPC reading, and the stored readings (aligned
    with ``statuses``) for the others. A reading as at a period depends only on its
    indicator's values and targets up to that period (and on settings a commit of values
    does not change), so an indicator's stored readings stand before the first period
    whose value or target changed; from there on, and for rows not stored, they are read
    again."""
    cols = ", ".join(f"s.{c}" for c in (*_SPC_INPUTS, *READING_COLUMNS))
    old = frame(
        con,
        f"SELECT s.indicator_id, s.period, {cols} FROM indicator_status s"  # noqa: S608
        " JOIN indicator i USING (indicator_id) WHERE i.partnership_id = ?",
        [partnership_id],
    )
    held = held_beside(
        old,
        statuses["indicator_id"].tolist(),
        statuses["period"].astype(str).tolist(),
        statuses.index,
    )
    changed = held["spc_reason"].isna().to_numpy()  # not stored before (or stored unread)
    for name in _SPC_INPUTS:
        new = statuses[name].to_numpy(dtype=np.float64, na_value=np.nan)
        was = held[name].to_numpy(dtype=np.float64, na_value=np.nan)
        changed = changed | ~same_numbers(new, was)
    row_ends = statuses["period"].map(ends).map(date.toordinal).to_numpy(dtype=np.int64)
    ids = statuses["indicator_id"].to_numpy(dtype=np.int64)
    first = pd.Series(row_ends[changed]).groupby(ids[changed]).min()
    from_end = first.reindex(ids).to_numpy(dtype=np.float64, na_value=np.inf)
    return row_ends >= from_end, held


def store_statuses(
    con: duckdb.DuckDBPyConnection, partnership_id: int, *, values_only: bool = False
) -> int:
    """Replace the stored statuses of one partnership; return how many rows were stored.

    The partnership's rows are deleted and the engine's output inserted, so there is exactly
    one row per (indicator, period): the table has no key index to enforce it (migration
    0004), this is what keeps it so.

    ``values_only``: the change was to values (a return committed or withdrawn), not to the
    framework or the SPC settings, so each indicator's stored SPC readings are kept before
    the first period whose value or target changed (:func:`_stored_readings`); the statuses
    are always computed whole.
    """
    indicators, targets, actuals = engine_inputs(con, partnership_id)
    wanted = due_periods(actuals, targets)
    statuses = pd.DataFrame()
    if not indicators.empty and wanted:
        statuses = compute_statuses(indicators, targets, actuals, wanted)
        ends = {code: periods.parse_code(code).end for code in statuses["period"].unique()}
        defaults, rebases = spc_inputs(con, partnership_id)
        only = held = None
        if values_only:
            only, held = _stored_readings(con, partnership_id, statuses, ends)
        readings = spc_readings(statuses, indicators, rebases, defaults, only=only)
        if held is not None:
            keep = ~only
            for name in READING_COLUMNS:
                column = readings[name].to_numpy(dtype=object)
                column[keep] = held[name].to_numpy(dtype=object)[keep]
                readings[name] = pd.array(column, dtype=readings[name].dtype)
        statuses = pd.concat([statuses, readings], axis=1)
    con.execute(
        "DELETE FROM indicator_status WHERE indicator_id IN"
        " (SELECT indicator_id FROM indicator WHERE partnership_id = ?)",
        [partnership_id],
    )
    if statuses.empty:
        return 0
    statuses = statuses.assign(period_end=statuses["period"].map(ends))
    rows = statuses.reindex(columns=list(_STATUS_COLUMNS))
    con.register("status_in", rows)
    cols = ", ".join(_STATUS_COLUMNS)
    con.execute(f"INSERT INTO indicator_status ({cols}) SELECT {cols} FROM status_in")  # noqa: S608
    con.unregister("status_in")
    return len(rows)
