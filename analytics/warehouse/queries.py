"""Read-only queries the pages and the `lsp` command use. Results come out through Arrow.

Every function takes the warehouse path (None: the default) first, so callers can cache
on it together with :func:`data_version`.
"""

from __future__ import annotations

import pandas as pd

from analytics.warehouse.connection import first_row, frame, reader


def _frame(path, sql: str, params: list | None = None) -> pd.DataFrame:
    cur = reader(path)
    try:
        return frame(cur, sql, params)
    finally:
        cur.close()


def _scalar(path, sql: str, params: list | None = None):
    cur = reader(path)
    try:
        row = first_row(cur.execute(sql, params or []))
        return None if row is None else row[0]
    finally:
        cur.close()


def data_version(path=None) -> int:
    """Changes whenever anything is written (the latest audit entry)."""
    return int(_scalar(path, "SELECT coalesce(max(audit_id), 0) FROM audit_log"))


def partnerships(path=None) -> pd.DataFrame:
    """Partnerships with a framework (at least one indicator) first, then the rest."""
    return _frame(
        path,
        """
        SELECT p.partnership_id, p.partnership_code, p.name, p.tier, p.area_name,
               parent.name AS parent_name, count(i.indicator_id) AS indicators
        FROM partnership p
        LEFT JOIN partnership parent ON parent.partnership_id = p.parent_id
        LEFT JOIN indicator i ON i.partnership_id = p.partnership_id
        GROUP BY ALL ORDER BY indicators DESC, p.name""",
    )


def periods_with_data(path, partnership_id: int) -> list[str]:
    """Quarters holding at least one current value, latest first."""
    frame = _frame(
        path,
        """
        SELECT DISTINCT a.period, a.period_end FROM actual a
        JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND a.is_current AND a.period LIKE '%Q_'
        ORDER BY a.period_end DESC""",
        [partnership_id],
    )
    return frame["period"].tolist()


def themes(path, partnership_id: int) -> pd.DataFrame:
    return _frame(
        path,
        """
        SELECT t.theme_id, t.name AS theme, t.short_name, t.chair, t.lead_officer,
               count(DISTINCT i.indicator_id) AS indicators,
               count(DISTINCT i.indicator_id) FILTER (WHERE i.is_laa) AS laa_indicators,
               count(DISTINCT a.action_id) AS actions, t.sort_order
        FROM theme t
        LEFT JOIN indicator i ON i.theme_id = t.theme_id
        LEFT JOIN action a ON a.theme_id = t.theme_id
        WHERE t.partnership_id = ?
        GROUP BY ALL ORDER BY t.sort_order, t.name""",
        [partnership_id],
    )


def framework_indicators(path, partnership_id: int) -> pd.DataFrame:
    """Every indicator with its metadata and the target in force for each year."""
    return _frame(
        path,
        """
        WITH latest AS (
            SELECT indicator_id, financial_year, target_value, is_placeholder, version
            FROM target
            QUALIFY row_number() OVER (PARTITION BY indicator_id, financial_year
                                       ORDER BY set_on DESC, version DESC) = 1
        ),
        by_year AS (
            SELECT indicator_id,
                   map_from_entries(list((financial_year, target_value)
                                         ORDER BY financial_year)) AS targets,
                   bool_or(is_placeholder) AS has_placeholder,
                   max(version) > 1 AS refreshed
            FROM latest GROUP BY indicator_id
        )
        SELECT i.indicator_id, i.code, i.title, t.name AS theme, i.polarity, i.unit, i.decimals,
               i.frequency, i.measure_type, i.is_laa, i.laa_status, i.lead_partner,
               i.lead_officer, i.data_source, i.baseline_value, i.baseline_period,
               i.status_rule, i.amber_tolerance_pct, i.amber_tolerance_abs, i.minimum_standard,
               i.dot_threshold, i.survey_years, i.catalogue_code IS NOT NULL AS is_national,
               b.targets, coalesce(b.has_placeholder, false) AS has_placeholder,
               coalesce(b.refreshed, false) AS target_refreshed
        FROM indicator i
        JOIN theme t USING (theme_id)
        LEFT JOIN by_year b USING (indicator_id)
        WHERE i.partnership_id = ? AND i.is_active
        ORDER BY t.sort_order, i.code""",
        [partnership_id],
    )


def target_years(path, partnership_id: int) -> list[str]:
    frame = _frame(
        path,
        """
        SELECT DISTINCT financial_year FROM target JOIN indicator USING (indicator_id)
        WHERE partnership_id = ? ORDER BY 1""",
        [partnership_id],
    )
    return frame["financial_year"].tolist()


def target_versions(path, partnership_id: int) -> pd.DataFrame:
    return _frame(
        path,
        """
        SELECT i.code, t.financial_year, t.version, t.target_value, t.q1_value, t.q2_value,
               t.q3_value, t.q4_value, t.is_placeholder, t.provenance, t.set_on, t.reason
        FROM target t JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? ORDER BY i.code, t.financial_year, t.version""",
        [partnership_id],
    )


def catalogue(path, partnership_id: int | None = None) -> pd.DataFrame:
    """The National Indicator Set, with whether this partnership has adopted each one."""
    return _frame(
        path,
        """
        SELECT c.code, c.title, c.polarity, c.unit, c.in_final_set, c.title_checked,
               EXISTS (SELECT 1 FROM indicator i WHERE i.partnership_id = ?
                       AND i.catalogue_code = c.code) AS adopted
        FROM catalogue_indicator c
        ORDER BY try_cast(regexp_extract(c.code, '\\d+') AS INTEGER), c.code""",
        [partnership_id],
    )
