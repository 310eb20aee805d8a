"""Publication: nothing is public until the performance officer publishes it.

Publishing a quarter freezes every figure that ended on or before it (values, targets,
statuses, direction of travel, commentary and remedial action, positive activities) into
``published_value`` and ``published_activity``. Publishing a year does the same to the year's
Q4 and freezes the annual report's foreword and narratives. Publishing again after a
correction writes only what changed; a changed value or target is marked as revised, and the
public site shows the date. Data-quality flags, who loaded a return, unpublished commentary
and account names are never copied.

Writes take the acting ``user`` and go through :func:`analytics.warehouse.write.write`
(``publish`` for publishing and the site's brand, ``annual.write`` for the annual report's
words and the partnership's profile); reads take the warehouse path first, like
:mod:`analytics.warehouse.queries`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import periods
from analytics.access import User
from analytics.site.theme import check_brand_colour, logo_kind
from analytics.warehouse import queries
from analytics.warehouse.connection import first_row
from analytics.warehouse.queries import _frame, _scalar
from analytics.warehouse.write import SOMEWHERE, Transaction, write


class PublishError(ValueError):
    """Nothing can be published as asked (the message says why and what to do)."""


@dataclass(frozen=True)
class PublishResult:
    publication_id: int
    kind: str
    period: str
    period_end: date
    values_new: int
    values_revised: int
    values_updated: int  # text or status changed, figures the same
    activities: int
    texts: int


# The figures as the warehouse holds them now, for one partnership up to a date, beside the
# version last published. $pid, $end.
_CANDIDATES = """
    WITH cur AS (
        SELECT s.indicator_id, s.period, s.period_end, s.actual_value, s.target_value,
               s.annual_target_value, s.rag_status, s.rag_reason, s.dot_previous,
               s.dot_last_year, a.commentary, a.remedial_action, s.forecast_value
        FROM indicator_status s
        JOIN indicator i USING (indicator_id)
        LEFT JOIN board_actual a ON a.indicator_id = s.indicator_id AND a.period = s.period
        WHERE i.partnership_id = $pid AND i.is_active AND s.period_end <= $end
    ),
    prev AS (
        SELECT * FROM published_value WHERE partnership_id = $pid
        QUALIFY row_number() OVER (PARTITION BY indicator_id, period
                                   ORDER BY publication_id DESC) = 1
    )
    SELECT cur.*,
           prev.indicator_id IS NOT NULL AS was_published,
           prev.indicator_id IS NOT NULL
               AND (cur.actual_value IS DISTINCT FROM prev.actual_value
                    OR cur.target_value IS DISTINCT FROM prev.target_value) AS is_revision,
           prev.actual_value AS previous_value
    FROM cur LEFT JOIN prev USING (indicator_id, period)
    WHERE prev.indicator_id IS NULL
       OR cur.actual_value IS DISTINCT FROM prev.actual_value
       OR cur.target_value IS DISTINCT FROM prev.target_value
       OR cur.annual_target_value IS DISTINCT FROM prev.annual_target_value
       OR cur.rag_status IS DISTINCT FROM prev.rag_status
       OR cur.rag_reason IS DISTINCT FROM prev.rag_reason
       OR cur.dot_previous IS DISTINCT FROM prev.dot_previous
       OR cur.dot_last_year IS DISTINCT FROM prev.dot_last_year
       OR cur.commentary IS DISTINCT FROM prev.commentary
       OR cur.remedial_action IS DISTINCT FROM prev.remedial_action
"""

_ACTIVITY_PERIODS = """
    SELECT DISTINCT period FROM positive_activity WHERE partnership_id = $pid
    EXCEPT
    SELECT DISTINCT period FROM published_activity WHERE partnership_id = $pid
"""

# Each theme's activities of a quarter from its latest return in force that reported any
# (as analytics.warehouse.views.activities), for several quarters at once.
_ACTIVITIES = """
    WITH ranked AS (
        SELECT p.*, dense_rank() OVER (
            PARTITION BY p.theme_id, p.period
            ORDER BY r.loaded_at DESC NULLS LAST, r.return_id DESC NULLS LAST) AS newest
        FROM positive_activity p LEFT JOIN return_file r USING (return_id)
        WHERE p.partnership_id = $pid AND list_contains($periods, p.period)
          AND coalesce(r.state, 'loaded') <> 'withdrawn'
    )
    SELECT theme_id, period, title, description FROM ranked WHERE newest = 1
    ORDER BY period, theme_id, activity_id
"""


def _period_end(code: str) -> date:
    return periods.parse_code(code).end


def _require_signed_off(con, partnership_id: int, code: str) -> None:
    """Only accepted, locked figures are published: the quarter (a year's Q4) has locked, and
    no return in force up to it awaits sign-off (:mod:`analytics.warehouse.collection`)."""
    from analytics.warehouse.collection_state import awaiting_sign_off, is_locked

    p = periods.parse_code(code)
    quarter = p.code if p.grain == "quarter" else periods.quarters_of_year(p.code)[-1]
    if is_locked(con, partnership_id, quarter) is None:
        raise PublishError(
            f"{quarter} is not locked yet: figures are published once the Board has seen them "
            f"and the quarter is locked. Set its lock date on the Sign-off page (today or "
            "earlier), then publish."
        )
    waiting = awaiting_sign_off(con, partnership_id, p.end)
    if waiting:
        listed = "; ".join(f"{theme} ({quarter})" for quarter, theme in waiting[:6])
        more = f" and {len(waiting) - 6} more" if len(waiting) > 6 else ""
        raise PublishError(
            f"{len(waiting)} return(s) up to {p.code} await sign-off: {listed}{more}. Accept "
            "them on the Sign-off page (or send them back and withdraw them), then publish."
        )


def publication_blockers(path, partnership_id: int, code: str) -> str | None:
    """Why ``code`` (a quarter or a year) cannot be published now, or None."""
    from analytics.warehouse.connection import reader

    cur = reader(path)
    try:
        _require_signed_off(cur, partnership_id, code)
    except PublishError as exc:
        return str(exc)
    finally:
        cur.close()
    return None


def publish_preview(path, partnership_id: int, period_end: date) -> dict[str, int]:
    """What publishing up to ``period_end`` would write: new, revised and updated figures."""
    frame = _frame(path, _CANDIDATES, {"pid": partnership_id, "end": period_end})
    return _counts(frame)


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    if frame.empty:
        return {"new": 0, "revised": 0, "updated": 0}
    new = int((~frame["was_published"]).sum())
    revised = int(frame["is_revision"].sum())
    return {"new": new, "revised": revised, "updated": len(frame) - new - revised}


def publish_period(path, partnership_id: int, period: str, *, user: User) -> PublishResult:
    """Publish a quarter: every figure that ended on or before its end."""
    with write(path, user, "publish", partnership_id) as tx:
        code = periods.parse_code(period).code
        if periods.parse_code(code).grain != "quarter":
            raise PublishError(f"{code} is not a quarter; write a quarter as 2010/11 Q2.")
        return _publish_in(tx, partnership_id, "quarter", code, _period_end(code))


def publish_year(path, partnership_id: int, year: str, *, user: User) -> PublishResult:
    """Publish a year's annual report: its figures to Q4 and its foreword and narratives."""
    with write(path, user, "publish", partnership_id) as tx:
        code = periods.parse_code(year).code
        if periods.parse_code(code).grain != "year":
            raise PublishError(f"{code} is not a financial year; write a year as 2010/11.")
        return _publish_in(tx, partnership_id, "year", code, _period_end(code))


def publish_periods(path, partnership_ids: list[int], period: str, *, user: User) -> list:
    """Publish a quarter for several partnerships in one transaction (a county hosting
    every district's partnership; the national benchmark): all of them or none."""
    code = periods.parse_code(period).code
    if periods.parse_code(code).grain != "quarter":
        raise PublishError(f"{code} is not a quarter; write a quarter as 2010/11 Q2.")
    if not partnership_ids:
        return []
    with write(path, user, "publish", SOMEWHERE) as tx:
        for pid in partnership_ids:  # every one before anything is written
            tx.require("publish", pid)
        return [_publish_in(tx, pid, "quarter", code, _period_end(code))
                for pid in partnership_ids]  # fmt: skip


def _publish_in(tx: Transaction, partnership_id: int, kind: str, code: str, end: date):
    con = tx.con
    held = first_row(
        con.execute(
            "SELECT count(*) FROM indicator_status s JOIN indicator i USING (indicator_id)"
            " WHERE i.partnership_id = ? AND s.period_end BETWEEN ? AND ?"
            " AND s.actual_value IS NOT NULL",
            [partnership_id, periods.parse_code(code).start, end],
        )
    )[0]
    if not held:
        raise PublishError(
            f"There are no figures for {code} yet: nothing to publish. Load its returns "
            "first (Returns page or `lsp import`)."
        )
    _require_signed_off(con, partnership_id, code)
    publication_id = first_row(
        con.execute(
            "INSERT INTO publication (partnership_id, kind, period, period_end, published_by)"
            " VALUES (?, ?, ?, ?, ?) RETURNING publication_id",
            [partnership_id, kind, code, end, tx.actor],
        )
    )[0]
    candidates = (
        con.sql(_CANDIDATES, params={"pid": partnership_id, "end": end})
        .to_arrow_table()
        .to_pandas()
    )
    counts = _counts(candidates)
    con.register("candidates", candidates)
    con.execute(
        """
        INSERT INTO published_value (publication_id, partnership_id, indicator_id, period,
               period_end, actual_value, target_value, annual_target_value, rag_status,
               rag_reason, dot_previous, dot_last_year, commentary, remedial_action,
               is_revision, previous_value, forecast_value)
        SELECT ?, ?, indicator_id, period, period_end, actual_value, target_value,
               annual_target_value, rag_status, rag_reason, dot_previous, dot_last_year,
               commentary, remedial_action, is_revision,
               CASE WHEN is_revision THEN previous_value END, forecast_value
        FROM candidates""",
        [publication_id, partnership_id],
    )
    con.unregister("candidates")
    new_periods = [
        r[0]
        for r in con.execute(_ACTIVITY_PERIODS, {"pid": partnership_id}).fetchall()
        if periods.is_code(r[0]) and _period_end(r[0]) <= end
    ]
    activities = 0
    if new_periods:
        found = (
            con.sql(_ACTIVITIES, params={"pid": partnership_id, "periods": new_periods})
            .to_arrow_table()
            .to_pandas()
        )
        activities = len(found)
        if activities:
            con.register("found_activities", found)
            con.execute(
                "INSERT INTO published_activity SELECT ?, ?, theme_id, period, title,"
                " description FROM found_activities",
                [publication_id, partnership_id],
            )
            con.unregister("found_activities")
    texts = 0
    if kind == "year":
        con.execute(
            """
            INSERT INTO published_annual_text
            SELECT ?, text_id FROM annual_text WHERE partnership_id = ? AND financial_year = ?
            QUALIFY row_number() OVER (PARTITION BY section, theme_id
                                       ORDER BY version DESC) = 1""",
            [publication_id, partnership_id, code],
        )
        texts = first_row(
            con.execute(
                "SELECT count(*) FROM published_annual_text WHERE publication_id = ?",
                [publication_id],
            )
        )[0]
    con.execute(
        "UPDATE publication SET values_new = ?, values_revised = ? WHERE publication_id = ?",
        [counts["new"], counts["revised"], publication_id],
    )
    tx.audit(
        "publish",
        "publication",
        code,
        {
            "partnership_id": partnership_id,
            "kind": kind,
            "period_end": end.isoformat(),
            "values_new": counts["new"],
            "values_revised": counts["revised"],
            "values_updated": counts["updated"],
            "activities": activities,
            "texts": texts,
        },
    )
    return PublishResult(
        publication_id, kind, code, end, counts["new"], counts["revised"], counts["updated"],
        activities, texts,
    )  # fmt: skip


def publications(path, partnership_id: int) -> pd.DataFrame:
    """Every publication of a partnership, latest first (with who published it: internal)."""
    return _frame(
        path,
        """
        SELECT publication_id, kind, period, period_end, published_by, published_at,
               values_new, values_revised
        FROM publication WHERE partnership_id = ?
        ORDER BY published_at DESC, publication_id DESC""",
        [partnership_id],
    )


def published_end(path, partnership_id: int) -> date | None:
    """The date the published figures run to (None: nothing published)."""
    value = _scalar(
        path, "SELECT max(period_end) FROM publication WHERE partnership_id = ?", [partnership_id]
    )
    return None if value is None else pd.Timestamp(value).date()


# --- The annual report's words and the partnership's profile ---------------------------


def save_annual_text(
    path,
    partnership_id: int,
    year: str,
    body: str,
    *,
    user: User,
    theme_id: int | None = None,
) -> int:
    """Keep a new version of the foreword (``theme_id`` None) or a theme's narrative; return
    its version number. Saving the same words again keeps the version there is."""
    with write(path, user, "annual.write", partnership_id) as tx:
        year = periods.parse_code(year).code
        body = (body or "").strip()
        if not body:
            raise PublishError("The text is empty: write something before saving.")
        section = "foreword" if theme_id is None else "theme"
        con = tx.con
        if theme_id is not None:
            owner = first_row(
                con.execute("SELECT partnership_id FROM theme WHERE theme_id = ?", [theme_id])
            )
            if owner is None or owner[0] != partnership_id:
                raise PublishError(f"Theme group {theme_id} is not one of this partnership's.")
        latest = first_row(
            con.execute(
                "SELECT version, body FROM annual_text WHERE partnership_id = ? AND"
                " financial_year = ? AND section = ? AND theme_id IS NOT DISTINCT FROM ?"
                " ORDER BY version DESC LIMIT 1",
                [partnership_id, year, section, theme_id],
            )
        )
        if latest is not None and latest[1] == body:
            return int(latest[0])
        version = 1 if latest is None else int(latest[0]) + 1
        con.execute(
            "INSERT INTO annual_text (partnership_id, financial_year, section, theme_id,"
            " version, body, written_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [partnership_id, year, section, theme_id, version, body, tx.actor],
        )
        tx.audit(
            "write",
            "annual_text",
            f"{year} {section}" + ("" if theme_id is None else f" {theme_id}"),
            {"partnership_id": partnership_id, "version": version, "characters": len(body)},
        )
    return version


def annual_texts(path, partnership_id: int, year: str) -> pd.DataFrame:
    """Every version of the year's foreword and narratives, latest first (internal: names
    who wrote them)."""
    return _frame(
        path,
        """
        SELECT a.text_id, a.section, a.theme_id, t.name AS theme, a.version, a.body,
               a.written_by, a.written_at
        FROM annual_text a LEFT JOIN theme t USING (theme_id)
        WHERE a.partnership_id = ? AND a.financial_year = ?
        ORDER BY a.section, t.sort_order NULLS FIRST, a.version DESC""",
        [partnership_id, year],
    )


PROFILE_FIELDS = (
    "vision", "terms_of_reference", "community_strategy", "board_chair", "public_contact",
)  # fmt: skip
_PROFILE_SELECT = (
    "SELECT vision, terms_of_reference, community_strategy, board_chair, public_contact"
    " FROM partnership_profile WHERE partnership_id = ?"
)


def _ensure_profile_row(con, partnership_id: int, actor: str) -> None:
    con.execute(
        "INSERT INTO partnership_profile (partnership_id, updated_by) VALUES (?, ?)"
        " ON CONFLICT (partnership_id) DO NOTHING",
        [partnership_id, actor],
    )


def save_profile(
    path,
    partnership_id: int,
    profile: dict[str, str | None],
    members: list[tuple[str, str | None]] | None = None,
    *,
    user: User,
) -> None:
    """Set the partnership's public description and, if given, its member organisations
    (name, sector), in that order. (The council's name, logo and colour are the site's
    brand: :func:`save_brand`.)"""
    with write(path, user, "annual.write", partnership_id) as tx:
        unknown = set(profile) - set(PROFILE_FIELDS)
        if unknown:
            raise PublishError(
                f"Unknown profile fields: {', '.join(sorted(unknown))}."
                + (" The council's name and colour are set with the brand (Publish page, `lsp "
                   "site brand`)." if unknown & set(BRAND_FIELDS) else "")
            )  # fmt: skip
        clean = {k: (str(v).strip() or None) if v is not None else None
                 for k, v in profile.items()}  # fmt: skip
        con = tx.con
        _ensure_profile_row(con, partnership_id, tx.actor)
        current = first_row(con.execute(_PROFILE_SELECT, [partnership_id]))
        merged = dict(zip(PROFILE_FIELDS, current, strict=True))
        merged.update(clean)
        con.execute(
            "UPDATE partnership_profile SET vision = ?, terms_of_reference = ?,"
            " community_strategy = ?, board_chair = ?, public_contact = ?, updated_by = ?,"
            " updated_at = current_timestamp WHERE partnership_id = ?",
            [*(merged[f] for f in PROFILE_FIELDS), tx.actor, partnership_id],
        )
        if members is not None:
            names = [n.strip() for n, _ in members if n and n.strip()]
            if len(set(names)) != len(names):
                raise PublishError("A member organisation is listed twice.")
            con.execute(
                "DELETE FROM member_organisation WHERE partnership_id = ?", [partnership_id]
            )
            order = 0
            for name, sector in members:
                if not name or not name.strip():
                    continue
                order += 1
                con.execute(
                    "INSERT INTO member_organisation (partnership_id, name, sector, sort_order)"
                    " VALUES (?, ?, ?, ?)",
                    [partnership_id, name.strip(), (sector or "").strip() or None, order],
                )
        tx.audit(
            "write",
            "partnership_profile",
            str(partnership_id),
            {"fields": sorted(clean), "members": None if members is None else len(members)},
        )


# --- The council's brand for the public site -------------------------------------------

BRAND_FIELDS = ("council_name", "brand_colour", "logo_type", "logo_bytes")
_KEEP = object()


def save_brand(
    path,
    partnership_id: int,
    *,
    user: User,
    council_name: str | None | object = _KEEP,
    brand_colour: str | None | object = _KEEP,
    logo: bytes | None | object = _KEEP,
    logo_name: str = "the logo",
) -> dict:
    """Keep the council's name, colour and logo for every later build of the public site
    (each argument left out is kept as it is; ``None`` or ``""`` clears the name or colour,
    ``logo=None`` removes the logo). The colour must
    give 4.5:1 with white text and the logo must be an SVG (no script, no external
    reference) or PNG under 200 KB: otherwise :class:`~analytics.site.theme.SiteConfigError`
    and nothing changes. Returns the brand as now stored (:func:`brand`)."""
    with write(path, user, "publish", partnership_id) as tx:
        changes: dict[str, object] = {}
        if council_name is not _KEEP:
            changes["council_name"] = str(council_name or "").strip() or None
        if brand_colour is not _KEEP:
            colour = str(brand_colour or "").strip()
            changes["brand_colour"] = check_brand_colour(colour) if colour else None
        if logo is not _KEEP:
            if logo is None:  # removed
                changes["logo_type"] = changes["logo_file"] = None
            else:  # an empty file is refused, not taken for a removal
                changes["logo_type"] = logo_kind(bytes(logo), logo_name)
                changes["logo_file"] = bytes(logo)
        if not changes:
            raise PublishError(
                "Nothing to set: give the council's name, the colour or the logo (or clear one)."
            )
        con = tx.con
        _ensure_profile_row(con, partnership_id, tx.actor)
        stored = first_row(
            con.execute(
                "SELECT council_name, brand_colour, logo_type, logo_file FROM"
                " partnership_profile WHERE partnership_id = ?",
                [partnership_id],
            )
        )
        merged = dict(zip(("council_name", "brand_colour", "logo_type", "logo_file"), stored,
                          strict=True))  # fmt: skip
        merged.update(changes)
        con.execute(
            "UPDATE partnership_profile SET council_name = ?, brand_colour = ?, logo_type = ?,"
            " logo_file = ?, updated_by = ?, updated_at = current_timestamp"
            " WHERE partnership_id = ?",
            [merged["council_name"], merged["brand_colour"], merged["logo_type"],
             merged["logo_file"], tx.actor, partnership_id],
        )  # fmt: skip
        detail: dict[str, object] = {
            k: v for k, v in changes.items() if k in ("council_name", "brand_colour")
        }
        if "logo_file" in changes:
            data = changes["logo_file"]
            detail["logo"] = (
                None
                if data is None
                else {"type": changes["logo_type"], "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()[:16]}
            )  # fmt: skip
        tx.audit("write", "site_brand", str(partnership_id), detail)
    return brand(path, partnership_id)


def brand(path, partnership_id: int) -> dict:
    """The brand as stored: council_name, brand_colour, logo_type ('svg', 'png' or None),
    logo_bytes (the file, or None), updated_at."""
    frame = _frame(
        path,
        "SELECT council_name, brand_colour, logo_type, logo_file, updated_at"
        " FROM partnership_profile WHERE partnership_id = ?",
        [partnership_id],
    )
    if frame.empty:
        return {**dict.fromkeys(BRAND_FIELDS), "updated_at": None}
    row = frame.iloc[0].to_dict()
    logo = row["logo_file"]
    return {
        "council_name": None if pd.isna(row["council_name"]) else str(row["council_name"]),
        "brand_colour": None if pd.isna(row["brand_colour"]) else str(row["brand_colour"]),
        "logo_type": None if logo is None or pd.isna(row["logo_type"]) else row["logo_type"],
        "logo_bytes": None if logo is None else bytes(logo),
        "updated_at": row["updated_at"],
    }


def profile(path, partnership_id: int) -> dict:
    """The partnership's public description (fields None when not written)."""
    frame = _frame(path, _PROFILE_SELECT, [partnership_id])
    if frame.empty:
        return dict.fromkeys(PROFILE_FIELDS)
    row = frame.iloc[0]
    return {f: (None if pd.isna(row[f]) else str(row[f])) for f in PROFILE_FIELDS}


def members(path, partnership_id: int) -> pd.DataFrame:
    return _frame(
        path,
        "SELECT name, sector FROM member_organisation WHERE partnership_id = ?"
        " ORDER BY sort_order, name",
        [partnership_id],
    )


# --- What the app's Publish and Annual report pages read (one call each) ----------------


def publish_page(path, partnership_id: int) -> dict:
    """Publications so far, the date they run to, and the quarters and years that can be
    published (latest first)."""
    quarters = queries.periods_with_data(path, partnership_id)
    years = sorted({periods.year_of(q) for q in quarters}, key=periods.sort_key, reverse=True)
    return {
        "publications": publications(path, partnership_id),
        "published_end": published_end(path, partnership_id),
        "quarters": quarters,
        "years": years,
        "brand": brand(path, partnership_id),
    }


def annual_page(path, partnership_id: int, year: str) -> dict:
    """The year's texts (every version), the theme groups, and the partnership's profile."""
    return {
        "texts": annual_texts(path, partnership_id, year),
        "themes": queries.themes(path, partnership_id)[["theme_id", "theme", "short_name"]],
        "profile": profile(path, partnership_id),
        "members": members(path, partnership_id),
    }
