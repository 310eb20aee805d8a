"""Read-only queries the pages and the `lsp` command use. Results come out through Arrow.

Every function takes the warehouse path (None: the default) first, so callers can cache
on it together with :func:`data_version`.
"""

from __future__ import annotations

import json

import pandas as pd

from analytics import periods
from analytics.status.ratios import takes_ratio
from analytics.warehouse import connection
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
    """Changes whenever anything is committed: the version of the snapshot readers see now
    (no query; see :mod:`analytics.warehouse.connection`)."""
    return connection.data_version(path)


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
    """Quarters holding at least one value the Board sees, latest first (with the
    partnership's accepted-only setting, an accepted one: see ``board_actual``)."""
    frame = _frame(
        path,
        """
        SELECT DISTINCT a.period, a.period_end FROM board_actual a
        JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND a.period LIKE '%Q_'
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
            FROM target JOIN indicator USING (indicator_id)
            WHERE partnership_id = $pid
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
               i.green_tolerance_pct,
               i.dot_threshold, i.survey_years, i.catalogue_code IS NOT NULL AS is_national,
               b.targets, coalesce(b.has_placeholder, false) AS has_placeholder,
               coalesce(b.refreshed, false) AS target_refreshed
        FROM indicator i
        JOIN theme t USING (theme_id)
        LEFT JOIN by_year b USING (indicator_id)
        WHERE i.partnership_id = $pid AND i.is_active
        ORDER BY t.sort_order, i.code""",
        {"pid": partnership_id},
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


# --- Quarterly returns (issue 3) -----------------------------------------------------------


def intake_context(path, partnership_id: int, today=None):
    """What :func:`analytics.ingest.intake.intake_file` needs about one partnership."""
    # lazy: the ingest modules bring openpyxl, which pages that only read never need
    from analytics.ingest.intake import IntakeContext

    code = _scalar(
        path, "SELECT partnership_code FROM partnership WHERE partnership_id = ?", [partnership_id]
    )
    theme_names = _frame(
        path,
        "SELECT name FROM theme WHERE partnership_id = ? ORDER BY sort_order, name",
        [partnership_id],
    )["name"].tolist()
    indicators = _frame(
        path,
        """
        SELECT i.code, i.title, t.name AS theme, i.unit, i.measure_type, i.polarity,
               i.frequency, i.survey_years, i.ratio_type,
               coalesce(i.ratio_multiplier, county.ratio_multiplier) AS ratio_multiplier,
               county.aggregation_rule
        FROM indicator i JOIN theme t USING (theme_id)
        JOIN partnership p ON p.partnership_id = i.partnership_id
        LEFT JOIN indicator county ON county.partnership_id = p.parent_id
             AND county.code = i.code
        WHERE i.partnership_id = ? AND i.is_active ORDER BY i.code""",
        [partnership_id],
    )
    targets = _frame(
        path,
        """
        SELECT i.code, t.financial_year, t.target_value, t.q1_value, t.q2_value, t.q3_value,
               t.q4_value, t.is_placeholder
        FROM target t JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ?
        QUALIFY row_number() OVER (PARTITION BY t.indicator_id, t.financial_year
                                   ORDER BY t.set_on DESC, t.version DESC) = 1""",
        [partnership_id],
    )
    previous = _frame(
        path,
        """
        SELECT i.code AS indicator_code, a.period, a.actual_value
        FROM actual a JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND a.is_current AND a.actual_value IS NOT NULL""",
        [partnership_id],
    )
    saved = _frame(
        path,
        """
        SELECT t.name AS theme, m.mapping_json FROM return_mapping m
        JOIN theme t USING (theme_id) WHERE m.partnership_id = ?""",
        [partnership_id],
    )
    mappings = {r.theme: json.loads(r.mapping_json) for r in saved.itertuples()}
    from analytics.collection import calendar  # $LSP_TODAY in a rehearsal

    return IntakeContext(
        code, theme_names, indicators, targets, previous, mappings, today or calendar.today()
    )


def template_rows(path, partnership_id: int, theme: str, quarter: str):
    """(rows, history_periods, info) for a theme group's return template for ``quarter``.

    One row per active indicator due that quarter (see
    :func:`analytics.ingest.template.due_period`): code, title, unit, polarity, period, the
    period's target (profile or annual, as the status engine uses it) and the last four
    values before it (hist_1 oldest), and whether it takes a numerator and a denominator
    (``takes_ratio``: a percentage or a rate, see :func:`analytics.status.ratios.takes_ratio`,
    or an indicator the partnership's county makes from its districts' numerators and
    denominators).
    """
    # lazy: the ingest modules bring openpyxl, which pages that only read never need
    from analytics.ingest.intake import period_target
    from analytics.ingest.template import due_period

    info = _frame(
        path,
        "SELECT partnership_code, name AS partnership_name FROM partnership"
        " WHERE partnership_id = ?",
        [partnership_id],
    ).iloc[0]
    indicators = _frame(
        path,
        """
        SELECT i.indicator_id, i.code, coalesce(c.title, i.title) AS catalogue_title, i.title,
               i.unit, i.polarity, i.frequency, i.survey_years, i.measure_type, i.ratio_type,
               coalesce(county.aggregation_rule = 'ratio', false) AS county_ratio
        FROM indicator i JOIN theme t USING (theme_id)
        JOIN partnership p ON p.partnership_id = i.partnership_id
        LEFT JOIN indicator county ON county.partnership_id = p.parent_id
             AND county.code = i.code
        LEFT JOIN catalogue_indicator c ON c.code = i.catalogue_code
        WHERE i.partnership_id = ? AND t.name = ? AND i.is_active
        ORDER BY i.code""",
        [partnership_id, theme],
    )
    quarter = periods.parse_period(quarter)
    indicators["period"] = [
        due_period(f, s, quarter)
        for f, s in zip(indicators["frequency"], indicators["survey_years"], strict=True)
    ]
    due = indicators[indicators["period"].notna()].reset_index(drop=True)
    targets = _frame(
        path,
        """
        SELECT t.indicator_id, t.financial_year, t.target_value, t.q1_value, t.q2_value,
               t.q3_value, t.q4_value
        FROM target t JOIN indicator i USING (indicator_id) WHERE i.partnership_id = ?
        QUALIFY row_number() OVER (PARTITION BY t.indicator_id, t.financial_year
                                   ORDER BY t.set_on DESC, t.version DESC) = 1""",
        [partnership_id],
    )
    by_year = {
        (r["indicator_id"], r["financial_year"]): pd.Series(r) for r in targets.to_dict("records")
    }
    values = _frame(
        path,
        """
        SELECT a.indicator_id, a.period, a.actual_value FROM actual a
        JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = ? AND a.is_current""",
        [partnership_id],
    )
    value_at = dict(
        zip(zip(values["indicator_id"], values["period"], strict=True), values["actual_value"],
            strict=True)
    )  # fmt: skip
    rows = []
    for rec in due.to_dict("records"):
        period = rec["period"]
        back = [periods.shift(period, -k) for k in range(4, 0, -1)]
        rows.append(
            {
                "code": rec["code"],
                "title": rec["title"],
                "unit": rec["unit"],
                "polarity": rec["polarity"],
                "period": period,
                "target_value": period_target(
                    by_year.get((rec["indicator_id"], periods.year_of(period))),
                    period,
                    rec["measure_type"],
                ),
                **{
                    f"hist_{k + 1}": value_at.get((rec["indicator_id"], p))
                    for k, p in enumerate(back)
                },
                # a percentage or a rate; or any indicator its county adds up as a ratio
                "takes_ratio": takes_ratio(rec["unit"], rec["ratio_type"])
                or bool(rec["county_ratio"]),
            }
        )
    columns = ["code", "title", "unit", "polarity", "period", "target_value",
               "hist_1", "hist_2", "hist_3", "hist_4", "takes_ratio"]  # fmt: skip
    history = [periods.shift(quarter, -k) for k in range(4, 0, -1)]
    return pd.DataFrame(rows, columns=columns), history, info.to_dict()


def return_files(path, partnership_id: int, period: str | None = None) -> pd.DataFrame:
    """Returns received (every state), latest first; one quarter's when ``period`` is given."""
    return _frame(
        path,
        """
        SELECT r.return_id, t.name AS theme, r.period, r.file_name, r.state, r.layout,
               coalesce(r.received_on, CAST(r.loaded_at AS DATE)) AS received_on,
               r.loaded_at, r.loaded_by, r.rows_new, r.rows_changed, r.rows_unchanged,
               r.supersedes_id, r.sha256, r.stored_path
        FROM return_file r LEFT JOIN theme t USING (theme_id)
        WHERE r.partnership_id = ? AND (CAST(? AS VARCHAR) IS NULL OR r.period = ?)
        ORDER BY r.loaded_at DESC, r.return_id DESC""",
        [partnership_id, period, period],
    )


def submission_tracker(
    path, partnership_id: int, period: str, due_days: int | None = None, today=None
) -> pd.DataFrame:
    """For one quarter, one row per theme group: has it returned, when, is it on time, has
    the officer signed it off, which indicators due that quarter still have no value.

    The due date is the collection's: ``due_days`` working days after the quarter ends
    (default: the partnership's setting, or the theme group's own; see
    :mod:`analytics.warehouse.collection`). A return is received when its first version
    arrived (a correction later does not make it late). ``submission`` is one of ``on time``,
    ``late`` (received after the due date), ``overdue`` (not received, due date passed),
    ``not yet due``; ``expected`` is whether the theme group has any indicator due.
    """
    # lazy: the ingest modules bring openpyxl, which pages that only read never need
    from analytics.collection import calendar
    from analytics.ingest.template import due_period
    from analytics.warehouse.collection_state import settings

    today = today or calendar.today()
    chosen = settings(path, partnership_id)
    themes_ = _frame(
        path,
        "SELECT theme_id, name AS theme, chair, lead_officer FROM theme WHERE partnership_id = ?"
        " ORDER BY sort_order, name",
        [partnership_id],
    )
    indicators = _frame(
        path,
        "SELECT indicator_id, theme_id, code, frequency, survey_years FROM indicator"
        " WHERE partnership_id = ? AND is_active ORDER BY code",
        [partnership_id],
    )
    indicators["due_period"] = [
        due_period(f, s, period)
        for f, s in zip(indicators["frequency"], indicators["survey_years"], strict=True)
    ]
    due = indicators[indicators["due_period"].notna()]
    wanted = sorted(set(due["due_period"])) or [period]
    have = _frame(
        path,
        "SELECT DISTINCT a.indicator_id, a.period FROM actual a JOIN indicator i"
        " USING (indicator_id) WHERE i.partnership_id = ? AND a.is_current"
        " AND a.actual_value IS NOT NULL AND list_contains(?, a.period)",
        [partnership_id, wanted],
    )
    got = set(zip(have["indicator_id"], have["period"], strict=True))
    due = due.assign(
        has_value=[(i, p) in got for i, p in zip(due["indicator_id"], due["due_period"],
                                                 strict=True)]
    )  # fmt: skip
    loaded = _frame(
        path,
        """
        WITH kept AS (
            SELECT theme_id, return_id, file_name, loaded_at, state, review_state, review_note,
                   coalesce(received_on, CAST(loaded_at AS DATE)) AS received_on
            FROM return_file WHERE partnership_id = ? AND period = ? AND state <> 'withdrawn'
        )
        SELECT theme_id, arg_max(file_name, (loaded_at, return_id)) AS file_name,
               arg_max(return_id, (loaded_at, return_id)) AS return_id,
               arg_max(review_state, (loaded_at, return_id)) AS review_state,
               arg_max(review_note, (loaded_at, return_id)) AS review_note,
               min(received_on) AS received_on, count(*) AS versions
        FROM kept GROUP BY theme_id HAVING bool_or(state = 'loaded')""",
        [partnership_id, period],
    ).set_index("theme_id")
    rows = []
    for theme in themes_.to_dict("records"):
        theme_id = theme["theme_id"]
        due_date = (
            chosen.dates(period, theme_id).due_on
            if due_days is None
            else calendar.quarter_dates(period, due_days, 0).due_on
        )
        mine = due[due["theme_id"] == theme_id]
        missing = mine.loc[~mine["has_value"], "code"].tolist()
        got_return = theme_id in loaded.index
        row = loaded.loc[theme_id] if got_return else None
        received = pd.Timestamp(row["received_on"]).date() if got_return else None
        if got_return:
            submission = "late" if received > due_date else "on time"
        else:
            submission = "overdue" if today > due_date else "not yet due"
        rows.append(
            {
                "theme_id": theme_id,
                "theme": theme["theme"],
                "chair": theme["chair"],
                "lead_officer": theme["lead_officer"],
                "expected": len(mine) > 0,
                "returned": got_return,
                "received_on": received,
                "file_name": row["file_name"] if got_return else None,
                "return_id": int(row["return_id"]) if got_return else None,
                "versions": int(row["versions"]) if got_return else 0,
                "review_state": row["review_state"] if got_return else None,
                "review_note": row["review_note"] if got_return else None,
                "due_date": due_date,
                "submission": submission,
                "days_late": max(((received or today) - due_date).days, 0)
                if submission in {"late", "overdue"}
                else 0,
                "indicators_due": len(mine),
                "indicators_missing": len(missing),
                "missing_codes": ", ".join(missing),
            }
        )
    return pd.DataFrame(rows)
