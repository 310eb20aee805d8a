"""What has been published, read for the public site and the published annual report.

Only figures frozen by a publication (``published_value``, ``published_activity``,
``published_annual_text``) come out, with the framework's descriptions of the indicators and
theme groups they belong to; comparators, milestones and baselines only up to the date the
published figures run to. Nothing here reads data-quality flags, return files, who loaded
or published anything, or text that has not been published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics import periods
from analytics.warehouse.queries import _frame, _scalar


@dataclass
class Published:
    """One partnership's published picture (frames hold public fields only)."""

    partnership: dict
    profile: dict
    members: pd.DataFrame
    themes: pd.DataFrame
    indicators: pd.DataFrame
    values: pd.DataFrame  # one row per indicator and period, as last published
    comparators: pd.DataFrame
    activities: pd.DataFrame
    publications: pd.DataFrame  # kind, period, period_end, published_on
    annual_texts: pd.DataFrame  # financial_year, section, theme_id, body, published_on
    milestones: pd.DataFrame  # completed by the published date
    published_end: date | None
    fingerprint: str = ""
    extra: dict = field(default_factory=dict)
    # each indicator's target per year as it stood when last published (the draft: as it
    # stands): target_value, is_placeholder, target_without_stretch; for the annual report's
    # reward targets and its forecasts against the next year's target
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)


def published_partnerships(path) -> pd.DataFrame:
    """Partnerships with at least one publication, with what identifies their site's state."""
    return _frame(
        path,
        """
        SELECT p.partnership_id, p.partnership_code, p.name,
               max(u.publication_id) AS last_publication,
               max(u.period_end) AS published_end,
               (SELECT max(updated_at) FROM partnership_profile f
                WHERE f.partnership_id = p.partnership_id) AS profile_updated_at
        FROM partnership p
        JOIN publication u USING (partnership_id)
        GROUP BY ALL ORDER BY p.name""",
    )


def published(path, partnership_id: int) -> Published:
    """What the public may see: the figures as last published."""
    pid = {"pid": partnership_id}
    publications = _frame(
        path,
        """
        SELECT publication_id, kind, period, period_end, CAST(published_at AS DATE) AS published_on
        FROM publication WHERE partnership_id = $pid ORDER BY published_at, publication_id""",
        pid,
    )
    end = pd.Timestamp(publications["period_end"].max()).date() if not publications.empty else None
    values = _frame(path, _PUBLISHED_VALUES, pid)
    activities = _frame(
        path,
        """
        SELECT theme_id, period, title, description FROM published_activity
        WHERE partnership_id = $pid
        QUALIFY dense_rank() OVER (PARTITION BY theme_id, period
                                   ORDER BY publication_id DESC) = 1
        ORDER BY period, theme_id""",
        pid,
    )
    annual_texts = _frame(
        path,
        """
        SELECT a.financial_year, a.section, a.theme_id, a.body, a.version,
               CAST(u.published_at AS DATE) AS published_on
        FROM published_annual_text p
        JOIN annual_text a USING (text_id)
        JOIN publication u USING (publication_id)
        WHERE u.partnership_id = $pid
        QUALIFY row_number() OVER (PARTITION BY a.financial_year, a.section, a.theme_id
                                   ORDER BY u.publication_id DESC) = 1""",
        pid,
    )
    last = int(publications["publication_id"].max()) if not publications.empty else 0
    cutoff = _scalar(
        path, "SELECT max(published_at) FROM publication WHERE partnership_id = ?", [partnership_id]
    )
    return _assemble(
        path, partnership_id, end, values, activities, annual_texts,
        publications.drop(columns=["publication_id"]), f"{last}", cutoff,
    )  # fmt: skip


def current(path, partnership_id: int, end: date) -> Published:
    """The warehouse's figures to ``end`` as they stand, shaped as if published now: what
    the officer sees before publishing (the draft annual report for Cabinet). Internal
    fields stay out here too."""
    pid = {"pid": partnership_id, "end": end}
    values = _frame(
        path,
        """
        SELECT s.indicator_id, s.period, s.period_end, s.actual_value, s.target_value,
               s.annual_target_value, s.rag_status, s.rag_reason, s.dot_previous,
               s.dot_last_year, a.commentary, a.remedial_action,
               current_date AS first_published_on, CAST(NULL AS DATE) AS revised_on,
               CAST(NULL AS DOUBLE) AS revised_from, s.forecast_value
        FROM indicator_status s JOIN indicator i USING (indicator_id)
        LEFT JOIN board_actual a ON a.indicator_id = s.indicator_id AND a.period = s.period
        WHERE i.partnership_id = $pid AND i.is_active AND s.period_end <= $end
        ORDER BY s.indicator_id, s.period_end, s.period""",
        pid,
    )
    activities = _frame(
        path,
        """
        WITH ranked AS (
            SELECT p.*, dense_rank() OVER (
                PARTITION BY p.theme_id, p.period
                ORDER BY r.loaded_at DESC NULLS LAST, r.return_id DESC NULLS LAST) AS newest
            FROM positive_activity p LEFT JOIN return_file r USING (return_id)
            WHERE p.partnership_id = $pid AND coalesce(r.state, 'loaded') <> 'withdrawn'
        )
        SELECT theme_id, period, title, description FROM ranked WHERE newest = 1
        ORDER BY period, theme_id, activity_id""",
        {"pid": partnership_id},
    )
    activities = activities[
        activities["period"].map(lambda p: periods.is_code(p) and periods.parse_code(p).end <= end)
    ]
    annual_texts = _frame(
        path,
        """
        SELECT financial_year, section, theme_id, body, version,
               CAST(written_at AS DATE) AS published_on
        FROM annual_text WHERE partnership_id = $pid
        QUALIFY row_number() OVER (PARTITION BY financial_year, section, theme_id
                                   ORDER BY version DESC) = 1""",
        {"pid": partnership_id},
    )
    publications = pd.DataFrame(columns=["kind", "period", "period_end", "published_on"])
    return _assemble(
        path, partnership_id, end, values, activities, annual_texts, publications, "draft"
    )


_PUBLISHED_VALUES = """
    WITH rows AS (
        SELECT v.*, u.published_at
        FROM published_value v JOIN publication u USING (publication_id)
        WHERE v.partnership_id = $pid
    ),
    dates AS (
        SELECT indicator_id, period,
               CAST(min(published_at) AS DATE) AS first_published_on,
               CAST(max(published_at) FILTER (WHERE is_revision) AS DATE) AS revised_on
        FROM rows GROUP BY ALL
    ),
    latest AS (
        SELECT * FROM rows
        QUALIFY row_number() OVER (PARTITION BY indicator_id, period
                                   ORDER BY publication_id DESC) = 1
    ),
    revision AS (
        SELECT indicator_id, period, previous_value AS revised_from FROM rows
        WHERE is_revision
        QUALIFY row_number() OVER (PARTITION BY indicator_id, period
                                   ORDER BY publication_id DESC) = 1
    )
    SELECT l.indicator_id, l.period, l.period_end, l.actual_value, l.target_value,
           l.annual_target_value, l.rag_status, l.rag_reason, l.dot_previous,
           l.dot_last_year, l.commentary, l.remedial_action, d.first_published_on,
           d.revised_on, r.revised_from, l.forecast_value
    FROM latest l JOIN dates d USING (indicator_id, period)
    LEFT JOIN revision r USING (indicator_id, period)
    ORDER BY l.indicator_id, l.period_end, l.period
"""


def _assemble(
    path, partnership_id, end, values, activities, annual_texts, publications, tag, cutoff=None
):
    """``cutoff``: targets as they stood at this time (the last publication); None: now."""
    pid = {"pid": partnership_id}
    partnership = (
        _frame(
            path,
            """
        SELECT p.partnership_id, p.partnership_code, p.name, p.tier, p.area_name,
               parent.name AS parent_name, p.reward_grant_total
        FROM partnership p LEFT JOIN partnership parent ON parent.partnership_id = p.parent_id
        WHERE p.partnership_id = $pid""",
            pid,
        )
        .iloc[0]
        .to_dict()
    )
    indicators = _frame(
        path,
        """
        SELECT i.indicator_id, i.code, i.title, i.theme_id, c.title AS catalogue_title,
               i.catalogue_code, i.polarity, i.unit, i.decimals, i.frequency, i.measure_type,
               i.laa_status, i.is_laa, i.is_reward, i.lead_partner, i.data_source,
               i.baseline_value, i.baseline_period, i.status_rule, i.amber_tolerance_pct,
               i.amber_tolerance_abs, i.minimum_standard, i.green_tolerance_pct,
               i.dot_threshold
        FROM indicator i LEFT JOIN catalogue_indicator c ON c.code = i.catalogue_code
        WHERE i.partnership_id = $pid
        ORDER BY i.code""",
        pid,
    )
    indicators = indicators[indicators["indicator_id"].isin(set(values["indicator_id"]))]
    indicators = indicators.reset_index(drop=True)
    if end is not None:
        late_baseline = indicators["baseline_period"].map(
            lambda p: isinstance(p, str) and periods.is_code(p) and periods.parse_code(p).end > end
        )
        indicators.loc[late_baseline, ["baseline_value", "baseline_period"]] = None
    themes = _frame(
        path,
        """
        SELECT theme_id, name, coalesce(short_name, name) AS short_name, chair, lead_officer,
               sort_order
        FROM theme WHERE partnership_id = $pid ORDER BY sort_order, name""",
        pid,
    )
    bounded = {**pid, "end": end or date(1900, 1, 1)}
    comparators = _frame(
        path,
        """
        SELECT c.indicator_id, c.period, c.period_end, c.comparator, c.comparator_value,
               c.source
        FROM comparator c JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = $pid AND c.period_end <= $end
        ORDER BY c.indicator_id, c.period_end""",
        bounded,
    )
    milestones = _frame(
        path,
        """
        SELECT a.theme_id, a.action_code, a.title AS action_title, a.lead_partner,
               m.milestone_code, m.title AS milestone_title, m.due_date, m.completed_on
        FROM milestone m JOIN action a USING (action_id)
        WHERE a.partnership_id = $pid AND m.completed_on IS NOT NULL AND m.completed_on <= $end
        ORDER BY a.theme_id, m.completed_on""",
        bounded,
    )
    profile = _frame(
        path,
        """
        SELECT vision, terms_of_reference, community_strategy, board_chair, council_name,
               brand_colour, logo_type, logo_file, public_contact, updated_at
        FROM partnership_profile WHERE partnership_id = $pid""",
        pid,
    )
    profile_dict = (
        {
            k: (v if isinstance(v, bytes) or not pd.isna(v) else None)
            for k, v in profile.iloc[0].to_dict().items()
        }
        if not profile.empty
        else {}
    )
    members = _frame(
        path,
        "SELECT name, sector FROM member_organisation WHERE partnership_id = $pid"
        " ORDER BY sort_order, name",
        pid,
    )
    targets = _frame(
        path,
        """
        SELECT t.indicator_id, t.financial_year, t.target_value, t.is_placeholder,
               t.target_without_stretch
        FROM target t JOIN indicator i USING (indicator_id)
        WHERE i.partnership_id = $pid AND ($cutoff IS NULL OR t.created_at <= $cutoff)
        QUALIFY row_number() OVER (PARTITION BY t.indicator_id, t.financial_year
                                   ORDER BY t.set_on DESC, t.version DESC) = 1""",
        {**pid, "cutoff": cutoff},
    )
    targets = targets[targets["indicator_id"].isin(set(indicators["indicator_id"]))]
    fingerprint = f"{tag}|{profile_dict.get('updated_at')}"
    return Published(
        partnership=partnership,
        profile=profile_dict,
        members=members,
        themes=themes,
        indicators=indicators,
        values=values,
        comparators=comparators,
        activities=activities,
        publications=publications,
        annual_texts=annual_texts,
        milestones=milestones,
        published_end=end,
        fingerprint=fingerprint,
        targets=targets.reset_index(drop=True),
    )
