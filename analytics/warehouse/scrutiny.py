"""Scrutiny in the warehouse: review meeting dates, red flags, recommendations, responses
and progress updates. Every write takes the acting ``user`` and goes through
:func:`analytics.warehouse.write.write`: the permission is checked first, then one transaction,
audited as that user:

- ``scrutiny.recommend`` (scrutiny members, admin): record a recommendation, judge its
  progress, close it;
- ``scrutiny.respond`` (officer, admin): record the response and progress updates;
- ``scrutiny.manage`` (officer, admin): red flags and review meeting dates.

Values are checked here too (the app and the workbook both come through these functions):
a :class:`~analytics.scrutiny.tracker.TrackerError` says what is wrong and nothing is
written.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from analytics.access import User
from analytics.formatting import as_date as _day
from analytics.scrutiny import review as rv
from analytics.scrutiny.tracker import (
    IMPLEMENTATION_STATUSES,
    RESPONSES,
    TrackerError,
    next_reference,
    parse_reference,
    tracker,
    tracker_summary,
)
from analytics.warehouse import queries, views
from analytics.warehouse.connection import first_row
from analytics.warehouse.queries import _frame
from analytics.warehouse.write import write

COMMITTEE_FIELDS = ("review", "made_on", "text", "addressed_to", "theme_id", "indicator_codes")
COMMITTEE_FIELDS += ("sent_on",)
RESPONSE_FIELDS = ("response", "response_on", "response_text", "response_by", "lead_officer")
RESPONSE_FIELDS += ("due_on", "status")
CLOSURE_FIELDS = ("closed_on", "closure_evidence")


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _reads(path, sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    """A read that gives an empty frame on a warehouse made before these tables."""
    try:
        return _frame(path, sql, params)
    except duckdb.CatalogException:
        return pd.DataFrame(columns=columns)


# --- reads ----------------------------------------------------------------------------------

REC_COLUMNS = [
    "recommendation_id", "reference", "review", "made_on", "text", "addressed_to", "theme_id",
    "theme", "indicator_codes", "sent_on", "response", "response_on", "response_text",
    "response_by", "lead_officer", "due_on", "status", "progress_ok", "closed_on",
    "closure_evidence", "closed_by", "recorded_by", "progress_note", "progress_on",
]  # fmt: skip


def recommendations(path, partnership_id: int) -> pd.DataFrame:
    """Every recommendation with its theme's name and its latest progress note."""
    return _reads(
        path,
        """
        WITH latest AS (
            SELECT recommendation_id, arg_max(note, progress_id) AS progress_note,
                   max(noted_on) AS progress_on
            FROM recommendation_progress GROUP BY recommendation_id
        )
        SELECT r.recommendation_id, r.reference, r.review, r.made_on, r.text, r.addressed_to,
               r.theme_id, t.name AS theme, r.indicator_codes, r.sent_on, r.response,
               r.response_on, r.response_text, r.response_by, r.lead_officer, r.due_on,
               r.status, r.progress_ok, r.closed_on, r.closure_evidence, r.closed_by,
               r.recorded_by, l.progress_note, l.progress_on
        FROM recommendation r
        LEFT JOIN theme t ON t.theme_id = r.theme_id
        LEFT JOIN latest l USING (recommendation_id)
        WHERE r.partnership_id = ?
        ORDER BY r.made_on, r.reference
        """,
        [partnership_id],
        REC_COLUMNS,
    )


def progress_updates(path, partnership_id: int) -> pd.DataFrame:
    """Every dated progress update, oldest first."""
    return _reads(
        path,
        """
        SELECT r.reference, p.noted_on, p.note, p.status, p.recorded_by
        FROM recommendation_progress p JOIN recommendation r USING (recommendation_id)
        WHERE r.partnership_id = ?
        ORDER BY r.reference, p.noted_on, p.progress_id
        """,
        [partnership_id],
        ["reference", "noted_on", "note", "status", "recorded_by"],
    )


def red_flags(path, partnership_id: int) -> pd.DataFrame:
    return _reads(
        path,
        """
        SELECT f.red_flag_id, f.title, f.theme_id, t.name AS theme, f.indicator_codes,
               f.reason, f.source, f.flagged_on, f.lifted_on, f.lifted_reason, f.recorded_by
        FROM red_flag f LEFT JOIN theme t ON t.theme_id = f.theme_id
        WHERE f.partnership_id = ?
        ORDER BY f.flagged_on, f.red_flag_id
        """,
        [partnership_id],
        [
            "red_flag_id",
            "title",
            "theme_id",
            "theme",
            "indicator_codes",
            "reason",
            "source",
            "flagged_on",
            "lifted_on",
            "lifted_reason",
            "recorded_by",
        ],  # fmt: skip
    )


def review_dates(path, partnership_id: int) -> pd.DataFrame:
    return _reads(
        path,
        "SELECT meeting_date, title FROM review_meeting WHERE partnership_id = ? ORDER BY 1",
        [partnership_id],
        ["meeting_date", "title"],
    )


# --- writes ---------------------------------------------------------------------------------


def _check_values(rec: dict) -> None:
    if rec.get("response") and rec["response"] not in RESPONSES:
        raise TrackerError(f"response must be one of {', '.join(RESPONSES)}")
    if rec.get("status") and rec["status"] not in IMPLEMENTATION_STATUSES:
        raise TrackerError(f"status must be one of {', '.join(IMPLEMENTATION_STATUSES)}")
    made, sent = _day(rec.get("made_on")), _day(rec.get("sent_on"))
    if sent and made and sent < made:
        raise TrackerError("a recommendation cannot be sent before the committee made it")
    if rec.get("response_on") and sent and _day(rec["response_on"]) < sent:
        raise TrackerError("the response cannot be dated before the recommendation was sent")


def _rec_id(con, partnership_id: int, reference: str) -> int:
    row = first_row(
        con.execute(
            "SELECT recommendation_id FROM recommendation WHERE partnership_id = ? "
            "AND reference = ?",
            [partnership_id, reference],
        )
    )
    if row is None:
        raise TrackerError(f"there is no recommendation {reference}")
    return int(row[0])


def _references(con, partnership_id: int) -> list[str]:
    rows = con.execute(
        "SELECT reference FROM recommendation WHERE partnership_id = ?", [partnership_id]
    ).fetchall()
    return [r[0] for r in rows]


def record_recommendation(
    path,
    partnership_id: int,
    *,
    user: User,
    review: str,
    made_on: date,
    text: str,
    addressed_to: str,
    sent_on: date | None = None,
    theme_id: int | None = None,
    indicator_codes: str = "",
    reference: str | None = None,
) -> str:
    """Record a recommendation the committee made; return its reference."""
    with write(path, user, "scrutiny.recommend", partnership_id) as tx:
        for name, value in (("review", review), ("text", text), ("addressed to", addressed_to)):
            if not _text(value):
                raise TrackerError(f"{name} is required")
        if made_on is None:
            raise TrackerError("made on is required")
        _check_values({"made_on": made_on, "sent_on": sent_on})
        con = tx.con
        reference = _text(reference) or next_reference(_references(con, partnership_id), made_on)
        parse_reference(reference)
        if reference in _references(con, partnership_id):
            raise TrackerError(f"{reference} is already in the tracker")
        con.execute(
            "INSERT INTO recommendation (partnership_id, reference, review, made_on, text, "
            "addressed_to, theme_id, indicator_codes, sent_on, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [partnership_id, reference, _text(review), made_on, _text(text),
             _text(addressed_to), theme_id, indicator_codes or "", sent_on, tx.actor],
        )  # fmt: skip
        tx.audit("record", "recommendation", reference, {"partnership_id": partnership_id})
    return reference


def record_response(
    path,
    partnership_id: int,
    reference: str,
    *,
    user: User,
    response: str,
    response_on: date,
    response_text: str = "",
    response_by: str | None = None,
    lead_officer: str | None = None,
    due_on: date | None = None,
    sent_on: date | None = None,
) -> None:
    """Record the executive's (or partner's) response: accepted, partly accepted or rejected,
    with its text, date and the body that gave it; the lead officer and implementation due
    date. ``sent_on`` records when it was sent, if that was not recorded yet."""
    with write(path, user, "scrutiny.respond", partnership_id) as tx:
        if response not in RESPONSES:
            raise TrackerError(f"response must be one of {', '.join(RESPONSES)}")
        if response_on is None:
            raise TrackerError("the response needs its date")
        con = tx.con
        rec_id = _rec_id(con, partnership_id, reference)
        made, sent = con.execute(
            "SELECT made_on, sent_on FROM recommendation WHERE recommendation_id = ?", [rec_id]
        ).fetchone()
        sent = sent_on or sent
        if sent is None:
            raise TrackerError(f"{reference} has not been sent: record the date it was sent")
        _check_values({"made_on": made, "sent_on": sent, "response_on": response_on})
        con.execute(
            "UPDATE recommendation SET response = ?, response_on = ?, response_text = ?, "
            "response_by = coalesce(?, addressed_to), lead_officer = ?, due_on = ?, "
            "sent_on = ?, status = CASE WHEN ? = 'rejected' THEN 'not_implemented' ELSE status "
            "END, updated_at = current_timestamp WHERE recommendation_id = ?",
            [response, response_on, _text(response_text), _text(response_by),
             _text(lead_officer), due_on, sent, response, rec_id],
        )  # fmt: skip
        detail = {"partnership_id": partnership_id, "response": response}
        tx.audit("respond", "recommendation", reference, detail)


def add_progress(
    path,
    partnership_id: int,
    reference: str,
    *,
    user: User,
    noted_on: date,
    note: str,
    status: str,
) -> None:
    """A dated progress update, and the implementation status it leaves."""
    with write(path, user, "scrutiny.respond", partnership_id) as tx:
        if status not in IMPLEMENTATION_STATUSES:
            raise TrackerError(f"status must be one of {', '.join(IMPLEMENTATION_STATUSES)}")
        if not _text(note):
            raise TrackerError("a progress update needs a note")
        con = tx.con
        rec_id = _rec_id(con, partnership_id, reference)
        closed = con.execute(
            "SELECT closed_on FROM recommendation WHERE recommendation_id = ?", [rec_id]
        ).fetchone()[0]
        if closed is not None:
            raise TrackerError(f"{reference} was closed by the committee on {closed}")
        con.execute(
            "INSERT INTO recommendation_progress (recommendation_id, noted_on, note, status, "
            "recorded_by) VALUES (?, ?, ?, ?, ?)",
            [rec_id, noted_on, _text(note), status, tx.actor],
        )
        con.execute(
            "UPDATE recommendation SET status = ?, updated_at = current_timestamp "
            "WHERE recommendation_id = ?",
            [status, rec_id],
        )
        tx.audit("progress", "recommendation", reference,
                 {"partnership_id": partnership_id, "status": status})  # fmt: skip


def judge_progress(path, partnership_id: int, reference: str, *, user: User, acceptable: bool):
    """The committee's view: progress acceptable (amber) or unacceptable (red)."""
    with write(path, user, "scrutiny.recommend", partnership_id) as tx:
        rec_id = _rec_id(tx.con, partnership_id, reference)
        tx.con.execute(
            "UPDATE recommendation SET progress_ok = ?, updated_at = current_timestamp "
            "WHERE recommendation_id = ?",
            [bool(acceptable), rec_id],
        )
        tx.audit("judge", "recommendation", reference,
                 {"partnership_id": partnership_id, "acceptable": bool(acceptable)})  # fmt: skip


def close_recommendation(
    path, partnership_id: int, reference: str, *, user: User, closed_on: date, evidence: str
) -> None:
    """Only the committee closes a recommendation, with the date and the evidence."""
    with write(path, user, "scrutiny.recommend", partnership_id) as tx:
        if not _text(evidence):
            raise TrackerError("closing a recommendation needs the evidence that it is done")
        con = tx.con
        rec_id = _rec_id(con, partnership_id, reference)
        response, made = con.execute(
            "SELECT response, made_on FROM recommendation WHERE recommendation_id = ?", [rec_id]
        ).fetchone()
        if response is None:
            raise TrackerError(f"{reference} has no response yet: it cannot be closed")
        if closed_on < made:
            raise TrackerError("a recommendation cannot be closed before it was made")
        con.execute(
            "UPDATE recommendation SET closed_on = ?, closure_evidence = ?, closed_by = ?, "
            "updated_at = current_timestamp WHERE recommendation_id = ?",
            [closed_on, _text(evidence), tx.actor, rec_id],
        )
        tx.audit("close", "recommendation", reference, {"partnership_id": partnership_id})


def import_recommendations(
    path, partnership_id: int, rows: pd.DataFrame, *, user: User, today: date | None = None
) -> dict[str, int]:
    """Load a read tracker workbook (:func:`analytics.scrutiny.workbook.read_tracker`) in one
    transaction: new references are added, known ones updated, a new progress note added as
    a dated update. New rows and committee fields need ``scrutiny.recommend``; responses and
    progress ``scrutiny.respond``; closures ``scrutiny.recommend``."""
    today = today or date.today()
    counts = {"added": 0, "updated": 0, "unchanged": 0, "progress_updates": 0}
    with write(path, user, "scrutiny.read", partnership_id) as tx:
        con = tx.con
        existing = {
            r["reference"]: r
            for r in con.execute(
                "SELECT * FROM recommendation WHERE partnership_id = ?", [partnership_id]
            )
            .fetchdf()
            .to_dict("records")
        }
        refs = list(existing)
        latest = dict(
            con.execute(
                "SELECT r.reference, arg_max(p.note, p.progress_id) FROM recommendation_progress"
                " p JOIN recommendation r USING (recommendation_id) WHERE r.partnership_id = ?"
                " GROUP BY 1",
                [partnership_id],
            ).fetchall()
        )
        for rec in rows.to_dict("records"):
            reference = _text(rec.get("reference")) or next_reference(refs, _day(rec["made_on"]))
            refs.append(reference)
            values = {
                "review": _text(rec["review"]), "made_on": _day(rec["made_on"]),
                "text": _text(rec["text"]), "addressed_to": _text(rec["addressed_to"]),
                "theme_id": None if pd.isna(rec.get("theme_id")) else int(rec["theme_id"]),
                "indicator_codes": rec.get("indicator_codes") or "",
                "sent_on": _day(rec.get("sent_on")), "response": _text(rec.get("response")),
                "response_on": _day(rec.get("response_on")),
                "response_text": _text(rec.get("response_text")),
                "response_by": _text(rec.get("response_by"))
                or (_text(rec["addressed_to"]) if rec.get("response") else None),
                "lead_officer": _text(rec.get("lead_officer")), "due_on": _day(rec.get("due_on")),
                "status": _text(rec.get("status")) or "not_started",
                "closed_on": _day(rec.get("closed_on")),
                "closure_evidence": _text(rec.get("closure_evidence")),
            }  # fmt: skip
            _check_values(values)
            old = existing.get(reference)
            if old is None:
                tx.require("scrutiny.recommend", partnership_id)
                changed = {k for k, v in values.items() if v not in (None, "", "not_started")}
            else:
                changed = {k for k, v in values.items() if _same(old.get(k)) != _same(v)}
            if changed & set(COMMITTEE_FIELDS):
                tx.require("scrutiny.recommend", partnership_id)
            if changed & set(RESPONSE_FIELDS):
                tx.require("scrutiny.respond", partnership_id)
            if changed & set(CLOSURE_FIELDS):
                tx.require("scrutiny.recommend", partnership_id)
            if old is None:
                # column names come from ``values``' own keys above, never from the file
                names, marks = ", ".join(values), ", ".join("?" for _ in values)
                con.execute(
                    f"INSERT INTO recommendation (partnership_id, reference, recorded_by, {names}) "  # noqa: S608
                    f"VALUES (?, ?, ?, {marks})",
                    [partnership_id, reference, tx.actor, *values.values()],
                )
                counts["added"] += 1
            elif changed:
                sets = ", ".join(f"{k} = ?" for k in values)
                con.execute(
                    f"UPDATE recommendation SET {sets}, updated_at = current_timestamp "  # noqa: S608
                    "WHERE partnership_id = ? AND reference = ?",
                    [*values.values(), partnership_id, reference],
                )
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            note = _text(rec.get("progress_note"))
            if note and note != latest.get(reference):
                tx.require("scrutiny.respond", partnership_id)
                rec_id = _rec_id(con, partnership_id, reference)
                con.execute(
                    "INSERT INTO recommendation_progress (recommendation_id, noted_on, note, "
                    "status, recorded_by) VALUES (?, ?, ?, ?, ?)",
                    [rec_id, _day(rec.get("progress_on")) or today, note, values["status"],
                     tx.actor],
                )  # fmt: skip
                counts["progress_updates"] += 1
        tx.audit("import", "recommendations", rows.attrs.get("file_name"),
                 {"partnership_id": partnership_id, **counts})  # fmt: skip
    return counts


def _same(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return pd.Timestamp(value).date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def add_red_flag(
    path,
    partnership_id: int,
    *,
    user: User,
    title: str,
    reason: str,
    source: str,
    flagged_on: date,
    theme_id: int | None = None,
    indicator_codes: str = "",
) -> int:
    """A dated red flag on a theme group or indicators: an area of significant concern."""
    with write(path, user, "scrutiny.manage", partnership_id) as tx:
        for name, value in (("title", title), ("reason", reason), ("source", source)):
            if not _text(value):
                raise TrackerError(f"a red flag needs its {name}")
        if theme_id is None and not _text(indicator_codes):
            raise TrackerError("a red flag is on a theme group or on indicators: choose one")
        flag_id = tx.con.execute(
            "INSERT INTO red_flag (partnership_id, theme_id, indicator_codes, title, reason, "
            "source, flagged_on, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING red_flag_id",
            [partnership_id, theme_id, _text(indicator_codes) or "", _text(title),
             _text(reason), _text(source), flagged_on, tx.actor],
        ).fetchone()[0]  # fmt: skip
        tx.audit("flag", "red_flag", str(flag_id), {"partnership_id": partnership_id})
    return int(flag_id)


def lift_red_flag(
    path, partnership_id: int, red_flag_id: int, *, user: User, lifted_on: date, reason: str
) -> None:
    with write(path, user, "scrutiny.manage", partnership_id) as tx:
        if not _text(reason):
            raise TrackerError("say why the red flag is lifted")
        row = first_row(
            tx.con.execute(
                "SELECT flagged_on, lifted_on FROM red_flag WHERE red_flag_id = ? "
                "AND partnership_id = ?",
                [red_flag_id, partnership_id],
            )
        )
        if row is None:
            raise TrackerError(f"there is no red flag {red_flag_id}")
        if row[1] is not None:
            raise TrackerError(f"that red flag was lifted on {row[1]}")
        if lifted_on < row[0]:
            raise TrackerError("a red flag cannot be lifted before it was raised")
        tx.con.execute(
            "UPDATE red_flag SET lifted_on = ?, lifted_reason = ? WHERE red_flag_id = ?",
            [lifted_on, _text(reason), red_flag_id],
        )
        tx.audit("lift", "red_flag", str(red_flag_id), {"partnership_id": partnership_id})


def add_review_date(
    path, partnership_id: int, *, user: User, meeting_date: date, title: str | None = None
) -> None:
    """A scrutiny review meeting (for 'since the last review')."""
    with write(path, user, "scrutiny.manage", partnership_id) as tx:
        save_review_dates(tx.con, partnership_id, [(meeting_date, title)])
        tx.audit("add", "review_meeting", str(meeting_date), {"partnership_id": partnership_id})


def remove_review_date(path, partnership_id: int, *, user: User, meeting_date: date) -> None:
    with write(path, user, "scrutiny.manage", partnership_id) as tx:
        tx.con.execute(
            "DELETE FROM review_meeting WHERE partnership_id = ? AND meeting_date = ?",
            [partnership_id, meeting_date],
        )
        tx.audit("remove", "review_meeting", str(meeting_date),
                 {"partnership_id": partnership_id})  # fmt: skip


def save_review_dates(con, partnership_id: int, meetings) -> int:
    """Upsert review meetings inside the caller's transaction (the framework import)."""
    n = 0
    for meeting_date, title in meetings:
        con.execute(
            "INSERT INTO review_meeting (partnership_id, meeting_date, title) VALUES (?, ?, ?) "
            "ON CONFLICT (partnership_id, meeting_date) DO UPDATE SET title = excluded.title",
            [partnership_id, meeting_date, _text(title) or "Overview and Scrutiny Committee"],
        )
        n += 1
    return n


# --- the six-monthly review (one read per page) -----------------------------------------------


def status_history(path, partnership_id: int, end: date) -> pd.DataFrame:
    """Every stored status up to ``end`` with commentary and remedial action."""
    return _frame(
        path,
        """
        WITH mine AS (SELECT indicator_id, code FROM indicator WHERE partnership_id = ?)
        SELECT m.code, s.period, s.period_end, s.rag_status, s.actual_value, s.target_value,
               s.rag_reason, a.commentary, a.remedial_action
        FROM indicator_status s JOIN mine m USING (indicator_id)
        LEFT JOIN board_actual a ON a.indicator_id = s.indicator_id AND a.period = s.period
        WHERE s.period_end <= ?
        ORDER BY m.code, s.period_end, s.period
        """,
        [partnership_id, end],
    )


def six_monthly_review(
    path, partnership_id: int, window, threshold: int = 2, as_of: date | None = None
):
    """Gather the review of ``window`` (:class:`analytics.scrutiny.review.Window`) once:
    the statuses at three positions, movers, persistent exceptions with their history,
    forecasts, milestones, red flags, missing returns and the tracker. ``as_of``: the
    tracker's date (default: the review meeting that considers the window, else today)."""
    known = queries.partnerships(path)
    names = known.loc[known["partnership_id"] == partnership_id, "name"]
    meetings = [pd.Timestamp(d).date() for d in review_dates(path, partnership_id)["meeting_date"]]
    meeting = rv.review_meeting_for(meetings, window) if window.kind == "half" else None
    tracker_as_of = as_of or meeting or date.today()
    last = rv.previous_meeting(meetings, meeting or tracker_as_of)
    if window.kind == "since":
        last = window.since
    end = views.statuses_as_at(path, partnership_id, window.end_quarter)
    base = views.statuses_as_at(path, partnership_id, window.baseline_quarter)
    year_ago = views.statuses_as_at(path, partnership_id, window.last_year_quarter)
    labels = (
        f"{window.end_quarter} (end of {window.label})" if window.kind == "half"
        else window.end_quarter,
        f"{window.baseline_quarter} (start)",
        f"{window.last_year_quarter} (a year earlier)",
    )  # fmt: skip
    history = status_history(path, partnership_id, window.end)
    on, runs = rv.persistent(end, history, threshold)
    late, moved = rv.action_exceptions(views.milestones(path, partnership_id), window)
    loaded = {q: views.returns_for_period(path, partnership_id, q) for q in window.quarters}
    table = tracker(recommendations(path, partnership_id), tracker_as_of)
    return rv.Review(
        partnership_id=partnership_id,
        partnership=str(names.iloc[0]) if len(names) else f"Partnership {partnership_id}",
        window=window,
        threshold=threshold,
        meeting=meeting,
        last_meeting=last,
        tracker_as_of=tracker_as_of,
        end_statuses=end,
        picture=rv.picture(dict(zip(labels, (end, base, year_ago), strict=True))),
        snapshot_labels=labels,
        movers=rv.movers(base, end) if not window.is_empty else rv.movers(end, end.iloc[0:0]),
        persistent=on,
        persistent_history=runs,
        forecast_misses=rv.forecast_misses(end),
        late_milestones=late,
        reprogrammed=moved,
        red_flags=rv.flags_in_window(red_flags(path, partnership_id), window),
        missing_returns=rv.missing_returns(loaded),
        tracker=table,
        tracker_summary=tracker_summary(table, last, tracker_as_of),
        progress=progress_updates(path, partnership_id),
    )
