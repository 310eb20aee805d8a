"""The quarter's collection in the warehouse: settings, due dates, sign-off, locks, reopenings.

- **Settings** per partnership (:class:`Settings`): a return is due ``due_working_days``
  working days after its quarter ends (a theme group may have its own number), a reminder
  goes ``reminder_working_days`` before that, the Board may see only accepted figures, and
  escalations go to ``officer_email`` (else to the partnership's officer accounts).
- **Sign-off**: a return arrives ``submitted``; the officer accepts it or sends it back with a
  note (the theme lead sees the note on the form and is e-mailed). A correction is a new
  return, submitted in its turn. With ``board_accepted_only`` the Board pages read the latest
  accepted figures (the ``board_actual`` view), and statuses are stored from them.
- **Locks**: the officer sets the date a quarter locks (after the Board has seen it). From
  that day :func:`refuse_locked` stops every commit, withdrawal, review and draft in the
  quarter, for everyone, unless the officer has reopened it for that theme group with a
  reason (:func:`reopen`; closed again with :func:`close_reopening`). Both are audited.

Reads take the warehouse path first (like :mod:`analytics.warehouse.queries`); writes take
the acting ``user`` and go through :func:`analytics.warehouse.write.write`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import periods
from analytics.access import User
from analytics.collection import calendar
from analytics.warehouse.collection_state import (  # noqa: F401  (re-exported)
    PeriodLocked,
    Settings,
    awaiting_sign_off,
    is_locked,
    locked_quarters,
    refuse_locked,
    settings,
    settings_from,
)
from analytics.warehouse.connection import first_row, frame
from analytics.warehouse.queries import _frame
from analytics.warehouse.status_store import store_statuses
from analytics.warehouse.write import SOMEWHERE, write

REVIEW_STATES = ("submitted", "accepted", "sent_back")


class CollectionError(ValueError):
    """A collection setting, lock or review that cannot be made as asked (the message says
    why and what to do); nothing was written."""


def _check_email(text: str | None, what: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in text):
        raise CollectionError(
            f"{what} {text!r} is not an e-mail address such as performance@council.example: "
            "correct it or leave it blank."
        )
    return text


def save_settings(
    path,
    partnership_id: int,
    *,
    user: User,
    due_working_days: int,
    reminder_working_days: int,
    board_accepted_only: bool,
    officer_email: str | None = None,
    theme_due_working_days: dict[int, int | None] | None = None,
) -> Settings:
    """Save the collection settings (theme groups not named keep their own). Turning the
    Board's accepted-only view on or off stores the statuses again, in the same commit."""
    calendar.check_days(due_working_days, reminder_working_days)
    email = _check_email(officer_email, "The officer's e-mail")
    for days in (theme_due_working_days or {}).values():
        if days is not None:
            calendar.check_days(days, min(reminder_working_days, int(days) - 1))
    with write(path, user, "collection.manage", partnership_id) as tx:
        con = tx.con
        before = settings_from(con, partnership_id)
        con.execute(
            "INSERT INTO collection_setting (partnership_id, due_working_days,"
            " reminder_working_days, board_accepted_only, officer_email, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (partnership_id) DO UPDATE SET"
            " due_working_days = excluded.due_working_days,"
            " reminder_working_days = excluded.reminder_working_days,"
            " board_accepted_only = excluded.board_accepted_only,"
            " officer_email = excluded.officer_email, updated_by = excluded.updated_by,"
            " updated_at = now()",
            [partnership_id, int(due_working_days), int(reminder_working_days),
             bool(board_accepted_only), email, tx.actor],
        )  # fmt: skip
        themes = dict(
            con.execute("SELECT theme_id, name FROM theme WHERE partnership_id = ?",
                        [partnership_id]).fetchall()
        )  # fmt: skip
        for theme_id, days in (theme_due_working_days or {}).items():
            if int(theme_id) not in themes:
                raise CollectionError(f"Theme group {theme_id} is not one of this partnership's.")
            con.execute(
                "INSERT INTO collection_theme_setting (theme_id, partnership_id,"
                " due_working_days, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (theme_id)"
                " DO UPDATE SET due_working_days = excluded.due_working_days,"
                " updated_by = excluded.updated_by, updated_at = now()",
                [int(theme_id), partnership_id, None if days is None else int(days), tx.actor],
            )
        if before.board_accepted_only != bool(board_accepted_only):
            store_statuses(con, partnership_id)
        tx.audit(
            "settings",
            "collection",
            str(partnership_id),
            {
                "due_working_days": int(due_working_days),
                "reminder_working_days": int(reminder_working_days),
                "board_accepted_only": bool(board_accepted_only),
                "officer_email": email,
                "theme_due_working_days": {
                    themes[int(t)]: d for t, d in (theme_due_working_days or {}).items()
                },
            },
        )
        return settings_from(con, partnership_id)


def theme_dates(path, partnership_id: int, period: str) -> pd.DataFrame:
    """Each theme group's dates for a quarter: opens, reminder, due, overdue."""
    chosen = settings(path, partnership_id)
    themes = _frame(
        path,
        "SELECT theme_id, name AS theme FROM theme WHERE partnership_id = ?"
        " ORDER BY sort_order, name",
        [partnership_id],
    )
    rows = []
    for theme in themes.itertuples():
        dates = chosen.dates(period, int(theme.theme_id))
        rows.append({"theme_id": int(theme.theme_id), "theme": theme.theme,
                     "due_working_days": chosen.due_days_for(int(theme.theme_id)),
                     **dates.stage_dates()})  # fmt: skip
    columns = ["theme_id", "theme", "due_working_days", *calendar.STAGES]
    return pd.DataFrame(rows, columns=columns)


# --- locks and reopenings ------------------------------------------------------------------


def locks(path, partnership_id: int) -> pd.DataFrame:
    """Every quarter's lock date, latest quarter first."""
    found = _frame(
        path,
        "SELECT period, locks_on, set_by, set_at FROM period_lock WHERE partnership_id = ?",
        [partnership_id],
    )
    order = sorted(found["period"], key=periods.sort_key, reverse=True)
    return found.set_index("period").loc[order].reset_index() if order else found


def lock_date(path, partnership_id: int, period: str) -> date | None:
    from analytics.warehouse.queries import _scalar

    found = _scalar(
        path,
        "SELECT locks_on FROM period_lock WHERE partnership_id = ? AND period = ?",
        [partnership_id, period],
    )
    return None if found is None else pd.Timestamp(found).date()


def reopenings(path, partnership_id: int, period: str | None = None) -> pd.DataFrame:
    """Reopenings (open ones first, then closed), with the theme group's name."""
    return _frame(
        path,
        "SELECT o.reopening_id, o.period, t.name AS theme, o.theme_id, o.reason,"
        " o.reopened_by, o.reopened_at, o.closed_by, o.closed_at, o.closed_at IS NULL AS is_open"
        " FROM period_reopening o JOIN theme t USING (theme_id) WHERE o.partnership_id = ?"
        " AND (CAST(? AS VARCHAR) IS NULL OR o.period = ?)"
        " ORDER BY o.closed_at IS NULL DESC, o.reopened_at DESC",
        [partnership_id, period, period],
    )


def set_lock(path, partnership_id: int, period: str, locks_on: date, *, user: User,
             today: date | None = None) -> None:  # fmt: skip
    """Set (or move) the date a quarter locks. A quarter that has already locked keeps its
    date: it changes only through reopenings for one theme group at a time."""
    set_locks(path, partnership_id, {period: locks_on}, user=user, today=today)


def set_locks(path, partnership_id: int, dates: dict[str, date], *, user: User,
              today: date | None = None) -> None:  # fmt: skip
    """:func:`set_lock` for several quarters in one transaction (all of them, or none)."""
    checked = {}
    for period, locks_on in dates.items():
        code = periods.parse_code(period)
        if code.grain != "quarter":
            raise CollectionError(f"{code.code} is not a quarter: a lock is set per quarter.")
        if locks_on <= code.end:
            raise CollectionError(
                f"{code.code} cannot lock on {locks_on:%d %B %Y}, before its returns are due: "
                f"choose a date after the quarter ends ({code.end:%d %B %Y}), once the Board "
                "has seen its figures."
            )
        checked[code.code] = locks_on
    day = today or calendar.today()
    with write(path, user, "collection.manage", partnership_id) as tx:
        con = tx.con
        for code, locks_on in checked.items():
            held = first_row(
                con.execute(
                    "SELECT locks_on FROM period_lock WHERE partnership_id = ? AND period = ?",
                    [partnership_id, code],
                )
            )
            if held and held[0] <= day:
                raise CollectionError(
                    f"{code} has been locked since {held[0]:%d %B %Y}; its lock date cannot "
                    "change. Reopen it for the theme group that needs a change instead (with a "
                    "reason)."
                )
            con.execute(
                "INSERT INTO period_lock (partnership_id, period, locks_on, set_by) VALUES"
                " (?, ?, ?, ?) ON CONFLICT (partnership_id, period) DO UPDATE SET"
                " locks_on = excluded.locks_on, set_by = excluded.set_by,"
                " set_at = now()",
                [partnership_id, code, locks_on, tx.actor],
            )
            tx.audit("lock", "period", code,
                     {"partnership_id": partnership_id, "locks_on": locks_on.isoformat(),
                      "was": held[0].isoformat() if held else None})  # fmt: skip


def reopen(
    path, partnership_id: int, theme_id: int, period: str, reason: str, *, user: User,
    today: date | None = None,
) -> int:  # fmt: skip
    """Reopen a locked quarter for one theme group, with the reason (audited). Returns the
    reopening's id; it stays open until :func:`close_reopening`."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise CollectionError(
            "Say why the quarter is reopened (at least a few words): the reason is kept in "
            "the audit log."
        )
    code = periods.parse_code(period).code
    with write(path, user, "collection.manage", partnership_id) as tx:
        con = tx.con
        theme = first_row(
            con.execute(
                "SELECT name FROM theme WHERE theme_id = ? AND partnership_id = ?",
                [theme_id, partnership_id],
            )
        )
        if theme is None:
            raise CollectionError(f"Theme group {theme_id} is not one of this partnership's.")
        if not locked_quarters(con, partnership_id, None, [code], today or calendar.today()):
            raise CollectionError(f"{code} is not locked: there is nothing to reopen.")
        if locked_quarters(con, partnership_id, theme_id, [code], today or calendar.today()) == []:
            raise CollectionError(f"{code} is already reopened for {theme[0]}.")
        reopening_id = first_row(
            con.execute(
                "INSERT INTO period_reopening (partnership_id, theme_id, period, reason,"
                " reopened_by) VALUES (?, ?, ?, ?, ?) RETURNING reopening_id",
                [partnership_id, theme_id, code, reason, tx.actor],
            )
        )[0]
        tx.audit("reopen", "period", code,
                 {"partnership_id": partnership_id, "theme": theme[0], "reason": reason,
                  "reopening_id": reopening_id})  # fmt: skip
        return int(reopening_id)


def close_reopening(path, reopening_id: int, *, user: User) -> None:
    """Lock a reopened quarter again for its theme group (audited)."""
    with write(path, user, "collection.manage", SOMEWHERE) as tx:
        con = tx.con
        found = first_row(
            con.execute(
                "SELECT o.partnership_id, o.period, t.name, o.closed_at FROM period_reopening o"
                " JOIN theme t USING (theme_id) WHERE o.reopening_id = ?",
                [reopening_id],
            )
        )
        if found is None:
            tx.require("collection.manage", None)
            raise CollectionError(f"There is no reopening {reopening_id}.")
        partnership_id, period, theme, closed_at = found
        tx.require("collection.manage", partnership_id)
        if closed_at is not None:
            raise CollectionError(f"{period} is already locked again for {theme}.")
        con.execute(
            "UPDATE period_reopening SET closed_by = ?, closed_at = now() WHERE reopening_id = ?",
            [tx.actor, reopening_id],
        )
        tx.audit("relock", "period", period,
                 {"partnership_id": partnership_id, "theme": theme,
                  "reopening_id": reopening_id})  # fmt: skip


def open_quarters(path, partnership_id: int, theme_id: int, today: date | None = None) -> list[str]:
    """The quarters a theme group's return can be sent for now, latest first: the last four
    whose window has opened and which are not locked for it, and any older one reopened for
    it."""
    from analytics.warehouse.connection import reader

    day = today or calendar.today()
    latest = calendar.collection_quarter(day)
    recent = [periods.shift(latest, -k) for k in range(4)]
    cur = reader(path)
    try:
        locked = {p for p, _ in locked_quarters(cur, partnership_id, theme_id, recent, day)}
        reopened = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT period FROM period_reopening WHERE partnership_id = ?"
                " AND theme_id = ? AND closed_at IS NULL",
                [partnership_id, theme_id],
            ).fetchall()
        ]
    finally:
        cur.close()
    found = {p for p in recent if p not in locked} | set(reopened)
    return sorted(found, key=periods.sort_key, reverse=True)


# --- sign-off ------------------------------------------------------------------------------


def review_queue(path, partnership_id: int, period: str) -> pd.DataFrame:
    """The returns in force for a quarter, one per theme group, with their sign-off state
    (theme groups without one are not listed)."""
    return _frame(
        path,
        "SELECT r.return_id, t.theme_id, t.name AS theme, r.file_name, r.layout,"
        " coalesce(r.received_on, CAST(r.loaded_at AS DATE)) AS received_on, r.loaded_by,"
        " r.review_state, r.reviewed_by, r.reviewed_at, r.review_note, r.supersedes_id,"
        " r.rows_new + r.rows_changed + r.rows_unchanged AS values_in_return"
        " FROM return_file r JOIN theme t USING (theme_id)"
        " WHERE r.partnership_id = ? AND r.period = ? AND r.state = 'loaded'"
        " ORDER BY t.sort_order, t.name",
        [partnership_id, period],
    )


def return_values(path, return_id: int) -> pd.DataFrame:
    """A return's values as committed, with the status each gets once accepted (worked out
    by the status engine as the preview does, whether or not the Board sees it yet): the
    officer's check before accepting it."""
    from analytics.warehouse.connection import reader
    from analytics.warehouse.returns import _with_statuses

    cur = reader(path)
    try:
        values = frame(
            cur,
            "SELECT a.indicator_id, i.code, i.title, i.unit, a.period, a.actual_value,"
            " a.dq_flag, a.commentary, a.remedial_action, i.partnership_id"
            " FROM actual a JOIN indicator i USING (indicator_id) WHERE a.return_id = ?"
            " ORDER BY i.code, a.period",
            [return_id],
        )
        if values.empty:
            return values.assign(status=None, status_reason=None)
        pid = int(values["partnership_id"].iloc[0])
        judged = _with_statuses(cur, pid, values.drop(columns=["title"]).assign(change="changed"))
    finally:
        cur.close()
    return judged.rename(columns={"status": "rag_status", "status_reason": "rag_reason"})


def latest_review(path, partnership_id: int, theme_id: int, period: str) -> dict | None:
    """The sign-off state of a theme group's return in force for a quarter (None: none)."""
    found = _frame(
        path,
        "SELECT return_id, review_state, reviewed_by, reviewed_at, review_note, file_name,"
        " layout, coalesce(received_on, CAST(loaded_at AS DATE)) AS received_on"
        " FROM return_file WHERE partnership_id = ? AND theme_id = ? AND period = ?"
        " AND state = 'loaded' ORDER BY loaded_at DESC, return_id DESC LIMIT 1",
        [partnership_id, theme_id, period],
    )
    return None if found.empty else found.iloc[0].to_dict()


def review_return(
    path, return_id: int, decision: str, *, user: User, note: str | None = None,
    today: date | None = None,
) -> dict:  # fmt: skip
    """Accept a return, or send it back with a note (required). Only the return in force can
    be reviewed, in a quarter that is not locked for its theme group. With the Board's
    accepted-only view, the statuses are stored again in the same commit."""
    if decision not in ("accepted", "sent_back"):
        raise CollectionError(f"Unknown decision {decision!r}: accept, or send back.")
    note = (note or "").strip() or None
    if decision == "sent_back" and (note is None or len(note) < 5):
        raise CollectionError(
            "Say what needs correcting (at least a few words): the theme lead sees the note "
            "on the form and in the e-mail."
        )
    with write(path, user, "returns.review", SOMEWHERE) as tx:
        con = tx.con
        found = first_row(
            con.execute(
                "SELECT r.partnership_id, r.theme_id, r.period, r.file_name, r.state,"
                " r.review_state, t.name FROM return_file r JOIN theme t USING (theme_id)"
                " WHERE r.return_id = ?",
                [return_id],
            )
        )
        if found is None:
            tx.require("returns.review", None)
            raise CollectionError(f"There is no return {return_id}.")
        partnership_id, theme_id, period, file_name, state, review_state, theme = found
        tx.require("returns.review", partnership_id)
        if state != "loaded":
            raise CollectionError(
                f"{file_name} is {state}: only the return in force for {theme}, {period} can "
                "be accepted or sent back."
            )
        refuse_locked(con, partnership_id, theme_id, [period], what=file_name, theme=theme,
                      today=today)  # fmt: skip
        con.execute(
            "UPDATE return_file SET review_state = ?, reviewed_by = ?,"
            " reviewed_at = now(), review_note = ? WHERE return_id = ?",
            [decision, tx.actor, note, return_id],
        )
        if settings_from(con, partnership_id).board_accepted_only:
            store_statuses(con, partnership_id)
        tx.audit("accept" if decision == "accepted" else "send back", "return", file_name,
                 {"return_id": return_id, "theme": theme, "period": period, "note": note,
                  "was": review_state})  # fmt: skip
        return {"return_id": return_id, "theme": theme, "period": period, "state": decision}


def accept_quarter(path, partnership_ids: list[int], period: str, locks_on: date | None = None,
                   *, user: User, today: date | None = None) -> int:  # fmt: skip
    """Accept every return in force for a quarter that awaits sign-off, for several
    partnerships in one transaction, and (``locks_on``) set the quarter's lock date: how a
    script or a benchmark signs off a quarter it loaded. Returns how many were accepted."""
    code = periods.parse_code(period).code
    with write(path, user, "returns.review", SOMEWHERE) as tx:
        con = tx.con
        for pid in partnership_ids:
            tx.require("returns.review", pid)
            if locks_on is not None:
                tx.require("collection.manage", pid)
        waiting = frame(
            con,
            "SELECT r.return_id, r.partnership_id, r.theme_id, r.file_name FROM return_file r"
            " WHERE list_contains(?, r.partnership_id) AND r.period = ? AND r.state = 'loaded'"
            " AND r.review_state <> 'accepted'",
            [list(partnership_ids), code],
        )
        for row in waiting.itertuples():
            refuse_locked(con, int(row.partnership_id), int(row.theme_id), [code],
                          what=row.file_name, today=today)  # fmt: skip
        con.execute(
            "UPDATE return_file SET review_state = 'accepted', reviewed_by = ?,"
            " reviewed_at = now() WHERE list_contains(?, return_id)",
            [tx.actor, waiting["return_id"].astype(int).tolist()],
        )
        for pid in partnership_ids:
            if locks_on is not None:
                con.execute(
                    "INSERT INTO period_lock (partnership_id, period, locks_on, set_by) VALUES"
                    " (?, ?, ?, ?) ON CONFLICT (partnership_id, period) DO UPDATE SET"
                    " locks_on = excluded.locks_on, set_by = excluded.set_by,"
                    " set_at = now()",
                    [pid, code, locks_on, tx.actor],
                )
            if settings_from(con, pid).board_accepted_only:
                store_statuses(con, pid)
        tx.audit("accept quarter", "period", code,
                 {"partnerships": len(partnership_ids), "accepted": len(waiting),
                  "locks_on": locks_on.isoformat() if locks_on else None})  # fmt: skip
        return len(waiting)


# --- completeness and timeliness ------------------------------------------------------------


def collection_rates(path, partnership_id: int, quarters: list[str], today: date | None = None):
    """Per quarter (oldest first): returns expected (theme groups with an indicator due),
    received (in force), received by their due date, completeness (received / expected) and
    timeliness (on time / expected), as percentages."""
    from analytics.warehouse.queries import submission_tracker

    rows = []
    for quarter in sorted(set(quarters), key=periods.sort_key):
        tracker = submission_tracker(path, partnership_id, quarter, today=today)
        expected = tracker[tracker["expected"]] if not tracker.empty else tracker
        n = len(expected)
        received = int(expected["returned"].sum()) if n else 0
        on_time = int((expected["submission"] == "on time").sum()) if n else 0
        rows.append({
            "period": quarter, "expected": n, "received": received, "on_time": on_time,
            "completeness_pct": 100.0 * received / n if n else None,
            "timeliness_pct": 100.0 * on_time / n if n else None,
        })  # fmt: skip
    columns = ["period", "expected", "received", "on_time", "completeness_pct", "timeliness_pct"]
    return pd.DataFrame(rows, columns=columns)
