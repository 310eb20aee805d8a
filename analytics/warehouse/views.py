"""Read-only views for the Board pages and reports: statuses as at a period, history,
actions, activities. Each returns only the rows a page shows; none loads the warehouse.

"As at" a period: for each indicator, its stored status for the latest period that ended on
or before the end of the period in view. A quarterly indicator is judged on that quarter; an
annual one on its latest year-end outturn.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import periods
from analytics.warehouse.queries import _frame

_STATUS_AS_AT = """
    WITH mine AS (
        SELECT indicator_id FROM indicator WHERE partnership_id = $pid AND is_active
    ),
    latest AS (
        SELECT s.*
        FROM indicator_status s JOIN mine USING (indicator_id)
        WHERE s.period_end <= $period_end
        QUALIFY row_number() OVER (PARTITION BY s.indicator_id ORDER BY s.period_end DESC,
                                   s.period DESC) = 1
    ),
    comparators AS (
        SELECT c.indicator_id,
               arg_max(c.comparator_value, c.period_end) FILTER (WHERE c.comparator = 'county')
                   AS county_value,
               arg_max(c.comparator_value, c.period_end) FILTER (WHERE c.comparator = 'england')
                   AS england_value,
               arg_max(c.period, c.period_end) AS comparator_period
        FROM comparator c JOIN mine USING (indicator_id)
        WHERE c.period_end <= $period_end GROUP BY c.indicator_id
    ),
    notes AS (
        SELECT a.indicator_id, a.period, a.commentary, a.remedial_action, a.dq_flag
        FROM board_actual a JOIN mine USING (indicator_id)
        WHERE a.period_end <= $period_end
          AND a.period_end >= (SELECT min(period_end) FROM latest)
    )
    SELECT t.theme_id, t.name AS theme, coalesce(t.short_name, t.name) AS theme_short,
           t.sort_order AS theme_order, i.indicator_id, i.code, i.title, i.is_laa,
           i.laa_status, i.is_reward, i.lead_partner, i.lead_officer, i.baseline_value,
           i.baseline_period, i.unit, i.decimals, i.polarity, i.frequency, i.measure_type,
           s.period, s.period_end, s.actual_value, s.period_value, s.ytd_value,
           s.target_value, s.annual_target_value, s.original_target_value, s.is_placeholder,
           s.rag_status, s.rag_reason, s.dot_previous, s.dot_last_year,
           s.persistence_periods, s.forecast_value, s.forecast_status, s.status_rule,
           s.spc_mean, s.spc_lower_limit, s.spc_upper_limit, s.spc_trial_limits, s.spc_point,
           s.spc_variation, s.spc_assurance, s.spc_reason,
           a.commentary, a.remedial_action, a.dq_flag, c.county_value, c.england_value,
           c.comparator_period
    FROM latest s
    JOIN indicator i USING (indicator_id)
    JOIN theme t ON t.theme_id = i.theme_id
    LEFT JOIN notes a ON a.indicator_id = s.indicator_id AND a.period = s.period
    LEFT JOIN comparators c ON c.indicator_id = s.indicator_id
    ORDER BY t.sort_order, i.code
"""


def statuses_as_at(path, partnership_id: int, period: str) -> pd.DataFrame:
    """Every indicator's status as at the end of ``period``, with what the report needs."""
    end = periods.parse_code(period).end
    return _frame(path, _STATUS_AS_AT, {"pid": partnership_id, "period_end": end})


def board_dates(path, partnership_id: int) -> list[date]:
    frame = _frame(
        path,
        "SELECT meeting_date FROM board_meeting WHERE partnership_id = ? ORDER BY 1",
        [partnership_id],
    )
    return [pd.Timestamp(d).date() for d in frame["meeting_date"]]


def indicator_history(path, partnership_id: int, code: str) -> pd.DataFrame:
    """Every stored status of one indicator, oldest first, with commentary and its return."""
    return _frame(
        path,
        """
        WITH mine AS (
            SELECT indicator_id FROM indicator WHERE partnership_id = ? AND code = ?
        ),
        notes AS (
            SELECT a.indicator_id, a.period, a.commentary, a.remedial_action, a.dq_flag,
                   a.numerator_value, a.denominator_value,
                   r.file_name AS return_file, r.loaded_at, r.loaded_by
            FROM board_actual a JOIN mine USING (indicator_id)
            LEFT JOIN return_file r ON r.return_id = a.return_id
        )
        SELECT s.period, s.period_end, s.actual_value, s.period_value, s.ytd_value,
               s.target_value, s.annual_target_value, s.rag_status, s.rag_reason,
               s.dot_previous, s.dot_last_year, s.persistence_periods, s.forecast_value,
               s.forecast_status, s.spc_point, s.spc_variation, s.spc_reason, a.commentary,
               a.remedial_action, a.dq_flag, a.numerator_value, a.denominator_value,
               a.return_file, a.loaded_at, a.loaded_by
        FROM indicator_status s
        JOIN mine USING (indicator_id)
        LEFT JOIN notes a ON a.indicator_id = s.indicator_id AND a.period = s.period
        ORDER BY s.period_end, s.period
        """,
        [partnership_id, code],
    )


def indicator_values(path, partnership_id: int, codes: list[str]) -> pd.DataFrame:
    """Stored statuses of several indicators (for trend charts), oldest first."""
    if not codes:
        return pd.DataFrame()
    return _frame(
        path,
        """
        WITH mine AS (
            SELECT * FROM indicator WHERE partnership_id = ? AND list_contains(?, code)
        ),
        notes AS (
            SELECT a.indicator_id, a.period, a.commentary
            FROM board_actual a JOIN mine USING (indicator_id)
        )
        SELECT i.code, i.title, i.unit, i.decimals, i.polarity, i.measure_type,
               i.frequency, i.baseline_value, i.status_rule, i.amber_tolerance_pct,
               i.amber_tolerance_abs, i.minimum_standard, i.spc_run_length,
               i.spc_screen_outliers, i.spc_fix_after_points, s.period, s.period_end,
               s.actual_value, s.period_value, s.ytd_value, s.target_value, s.rag_status,
               s.rag_reason, s.spc_reason, a.commentary
        FROM indicator_status s
        JOIN mine i USING (indicator_id)
        LEFT JOIN notes a ON a.indicator_id = s.indicator_id AND a.period = s.period
        ORDER BY i.code, s.period_end, s.period
        """,
        [partnership_id, codes],
    )


def spc_settings(path, partnership_id: int, codes: list[str]) -> dict:
    """What an indicator's SPC chart needs besides its values: the partnership's defaults
    (``defaults``: its ``spc_*`` columns, a dict) and the indicators' rebases (``rebases``:
    code, period, reason)."""
    defaults = _frame(
        path,
        "SELECT spc_run_length, spc_screen_outliers, spc_fix_after_points FROM partnership"
        " WHERE partnership_id = ?",
        [partnership_id],
    )
    rebases = _frame(
        path,
        """
        SELECT i.code, r.period, r.period_end, r.reason
        FROM spc_rebase r JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND list_contains(?, i.code)
        ORDER BY i.code, r.period_end
        """,
        [partnership_id, codes],
    )
    return {
        "defaults": defaults.iloc[0].to_dict() if len(defaults) else {},
        "rebases": rebases,
    }


def comparators_for(path, partnership_id: int, codes: list[str]) -> pd.DataFrame:
    return _frame(
        path,
        """
        SELECT i.code, c.period, c.period_end, c.comparator, c.comparator_value
        FROM comparator c JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND list_contains(?, i.code)
        ORDER BY i.code, c.period_end
        """,
        [partnership_id, codes],
    )


def indicator_detail(path, partnership_id: int, code: str) -> pd.DataFrame:
    """One indicator's metadata (one row, or none)."""
    return _frame(
        path,
        """
        SELECT i.*, t.name AS theme, c.title AS catalogue_title
        FROM indicator i JOIN theme t USING (theme_id)
        LEFT JOIN catalogue_indicator c ON c.code = i.catalogue_code
        WHERE i.partnership_id = ? AND i.code = ?
        """,
        [partnership_id, code],
    )


def indicator_targets(path, partnership_id: int, code: str) -> pd.DataFrame:
    return _frame(
        path,
        """
        SELECT t.financial_year, t.version, t.target_value, t.q1_value, t.q2_value,
               t.q3_value, t.q4_value, t.is_placeholder, t.provenance, t.set_on, t.reason
        FROM target t JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND i.code = ?
        ORDER BY t.financial_year, t.version
        """,
        [partnership_id, code],
    )


def indicator_value_history(path, partnership_id: int, code: str) -> pd.DataFrame:
    """Every value ever loaded for one indicator, current or not, with its return (with the
    Board's accepted-only setting: only values of accepted returns)."""
    return _frame(
        path,
        """
        SELECT a.period, a.actual_value, a.is_current, a.dq_flag, a.commentary,
               a.loaded_at, r.file_name AS return_file, r.state AS return_state,
               r.loaded_by
        FROM actual a JOIN indicator i USING (indicator_id)
        LEFT JOIN return_file r USING (return_id)
        LEFT JOIN collection_setting cs ON cs.partnership_id = i.partnership_id
        WHERE i.partnership_id = ? AND i.code = ?
          AND (NOT coalesce(cs.board_accepted_only, false) OR r.return_id IS NULL
               OR r.review_state = 'accepted')
        ORDER BY a.period_end, a.loaded_at, a.actual_id
        """,
        [partnership_id, code],
    )


def milestones(path, partnership_id: int) -> pd.DataFrame:
    """Every milestone with its action and theme (statuses are worked out as at a date)."""
    return _frame(
        path,
        """
        SELECT t.theme_id, t.name AS theme, t.sort_order AS theme_order, a.action_id,
               a.action_code, a.title AS action_title, a.indicator_code, a.lead_partner,
               a.lead_officer, a.start_date, m.milestone_id, m.milestone_code,
               m.title AS milestone_title, m.due_date, m.revised_due_date, m.completed_on,
               m.percent_complete, m.is_reprogrammed, m.progress_note
        FROM milestone m JOIN action a USING (action_id) JOIN theme t USING (theme_id)
        WHERE a.partnership_id = ?
        ORDER BY t.sort_order, a.action_code, m.due_date
        """,
        [partnership_id],
    )


def activities(path, partnership_id: int, period: str) -> pd.DataFrame:
    """Each theme's positive activities for the period, from its latest return in force
    that reported any (a correction without activities keeps the earlier ones; a withdrawn
    return's drop out)."""
    return _frame(
        path,
        """
        WITH ranked AS (
            SELECT p.*, dense_rank() OVER (
                PARTITION BY p.theme_id
                ORDER BY r.loaded_at DESC NULLS LAST, r.return_id DESC NULLS LAST) AS newest
            FROM positive_activity p LEFT JOIN return_file r USING (return_id)
            WHERE p.partnership_id = ? AND p.period = ?
              AND coalesce(r.state, 'loaded') <> 'withdrawn'
        )
        SELECT t.theme_id, t.name AS theme, a.title, a.description
        FROM ranked a JOIN theme t USING (theme_id)
        WHERE a.newest = 1
        ORDER BY t.sort_order, a.activity_id
        """,
        [partnership_id, period],
    )


def returns_for_period(path, partnership_id: int, period: str) -> pd.DataFrame:
    """Loaded returns of a quarter, per theme group (for 'missing returns')."""
    return _frame(
        path,
        """
        SELECT t.theme_id, t.name AS theme, r.file_name, r.loaded_at, r.state
        FROM theme t LEFT JOIN return_file r ON r.theme_id = t.theme_id AND r.period = ?
                                            AND r.state = 'loaded'
        WHERE t.partnership_id = ?
        ORDER BY t.sort_order
        """,
        [period, partnership_id],
    )
