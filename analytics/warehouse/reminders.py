"""The reminder e-mails in the warehouse: what each theme group is owed, and every message
claimed, sent or failed (``reminder``, migration 0012).

A message is **claimed** (a row in state ``sending``) in a write before it is sent, then
marked ``sent`` or ``failed``. Two runs at once cannot both claim it (the claim is made in the
one writer's turn and checks again); a run that dies after sending leaves ``sending``, which
is never sent again; a ``failed`` one is tried by the next run. So a message goes at most
once, and a missed day is caught up by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import periods
from analytics.access import User
from analytics.collection import calendar
from analytics.warehouse.collection_state import locked_quarters, settings
from analytics.warehouse.connection import first_row, reader
from analytics.warehouse.queries import _frame, submission_tracker
from analytics.warehouse.write import SOMEWHERE, write

CLAIMED = ("sending", "sent")  # a message in one of these states is never sent again


def candidates(path, partnership_id: int, today: date) -> pd.DataFrame:
    """Each theme group's return for the quarters being collected on ``today`` (the two that
    ended most recently), with its dates, whether it is expected, has arrived, is locked for
    the theme group, and its sign-off state."""
    chosen = settings(path, partnership_id)
    latest = calendar.collection_quarter(today)
    quarters = [latest, periods.previous_period(latest)]
    name = _frame(path, "SELECT name FROM partnership WHERE partnership_id = ?",
                  [partnership_id])["name"].iloc[0]  # fmt: skip
    cur = reader(path)
    try:
        parts = []
        for quarter in quarters:
            tracker = submission_tracker(path, partnership_id, quarter, today=today)
            if tracker.empty:
                continue
            for row in tracker.to_dict("records"):
                dates = chosen.dates(quarter, int(row["theme_id"]))
                locked = bool(
                    locked_quarters(cur, partnership_id, int(row["theme_id"]), [quarter], today)
                )
                parts.append({
                    "partnership_id": partnership_id, "partnership": name,
                    "theme_id": int(row["theme_id"]), "theme": row["theme"], "period": quarter,
                    "expected": bool(row["expected"]), "returned": bool(row["returned"]),
                    "return_id": row["return_id"], "review_state": row["review_state"],
                    "locked": locked, **dates.stage_dates(),
                })  # fmt: skip
    finally:
        cur.close()
    columns = ["partnership_id", "partnership", "theme_id", "theme", "period", "expected",
               "returned", "return_id", "review_state", "locked", *calendar.STAGES]  # fmt: skip
    return pd.DataFrame(parts, columns=columns)


def reminder_log(path, partnership_id: int, period: str | None = None) -> pd.DataFrame:
    """Every reminder claimed, sent or failed, latest first: to whom, what, when."""
    return _frame(
        path,
        "SELECT m.reminder_id, m.period, t.name AS theme, m.theme_id, m.kind, m.return_id,"
        " m.run_on, m.recipients, m.copied, m.subject, m.state, m.error, m.sent_by,"
        " m.created_at, m.sent_at FROM reminder m JOIN theme t USING (theme_id)"
        " WHERE m.partnership_id = ? AND (CAST(? AS VARCHAR) IS NULL OR m.period = ?)"
        " ORDER BY m.created_at DESC, m.reminder_id DESC",
        [partnership_id, period, period],
    )


def recipients(path, partnership_id: int) -> tuple[dict[int, dict[str, list[str]]], list[str]]:
    """({theme_id: {"leads": [...], "chair": [...]}}, officers): the theme groups' leads (their
    accounts, and the Themes sheet's contact e-mail), chairs, and the officers escalations
    go to (the setting's address, else the partnership's officer accounts)."""
    from analytics.warehouse.accounts import contacts

    people = contacts(path, partnership_id)
    themes = _frame(
        path,
        "SELECT theme_id, contact_email, chair_email FROM theme WHERE partnership_id = ?",
        [partnership_id],
    )
    out: dict[int, dict[str, list[str]]] = {}
    leads = people[people["role"] == "theme_lead"]
    for row in themes.itertuples():
        mine = [e for e, ids in zip(leads["email"], leads["theme_ids"], strict=True)
                if int(row.theme_id) in ids]  # fmt: skip
        if isinstance(row.contact_email, str) and row.contact_email.strip():
            mine.append(row.contact_email.strip())
        chair = [row.chair_email.strip()] if isinstance(row.chair_email, str) and (
            row.chair_email.strip()) else []  # fmt: skip
        out[int(row.theme_id)] = {"leads": _unique(mine), "chair": chair}
    officer = settings(path, partnership_id).officer_email
    officers = [officer] if officer else people.loc[people["role"] == "officer", "email"].tolist()
    return out, _unique(officers)


def _unique(emails: list[str]) -> list[str]:
    seen, out = set(), []
    for email in emails:
        key = email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(email.strip())
    return out


@dataclass(frozen=True)
class Claim:
    """One message to send, as claimed: its row and what it says."""

    reminder_id: int
    theme_id: int
    period: str
    kind: str
    return_id: int | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str


def claim(path, partnership_id: int, items: list[dict], *, user: User, run_on: date) -> list[Claim]:
    """Claim messages to send (state ``sending``), skipping any already claimed or sent by
    another run meanwhile. ``items``: theme_id, period, kind, return_id, to, cc, subject."""
    claimed: list[Claim] = []
    if not items:
        return claimed
    with write(path, user, "collection.manage", partnership_id) as tx:
        con = tx.con
        for item in items:
            held = first_row(
                con.execute(
                    "SELECT count(*) FROM reminder WHERE partnership_id = ? AND theme_id = ?"
                    " AND period = ? AND kind = ? AND coalesce(return_id, -1) = ?"
                    " AND list_contains(?, state)",
                    [
                        partnership_id,
                        item["theme_id"],
                        item["period"],
                        item["kind"],
                        item.get("return_id") or -1,
                        list(CLAIMED),
                    ],
                )  # fmt: skip
            )[0]
            if held:
                continue
            reminder_id = first_row(
                con.execute(
                    "INSERT INTO reminder (partnership_id, theme_id, period, kind, return_id,"
                    " run_on, recipients, copied, subject, sent_by) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?, ?) RETURNING reminder_id",
                    [
                        partnership_id,
                        item["theme_id"],
                        item["period"],
                        item["kind"],
                        item.get("return_id"),
                        run_on,
                        ", ".join(item["to"]),
                        ", ".join(item["cc"]) or None,
                        item["subject"],
                        tx.actor,
                    ],
                )  # fmt: skip
            )[0]
            claimed.append(Claim(int(reminder_id), int(item["theme_id"]), item["period"],
                                 item["kind"], item.get("return_id"), tuple(item["to"]),
                                 tuple(item["cc"]), item["subject"]))  # fmt: skip
        tx.audit("claim", "reminders", str(partnership_id),
                 {"run_on": run_on.isoformat(), "messages": len(claimed)})  # fmt: skip
    return claimed


def finish(path, results: list[tuple[int, str | None]], *, user: User) -> None:
    """Mark claimed messages sent (error None) or failed (with the error's text, which never
    holds a password)."""
    if not results:
        return
    with write(path, user, "collection.manage", SOMEWHERE) as tx:
        con = tx.con
        ids = [rid for rid, _ in results]
        owners = {r[0] for r in con.execute(
            "SELECT DISTINCT partnership_id FROM reminder WHERE list_contains(?, reminder_id)",
            [ids]).fetchall()}  # fmt: skip
        for pid in sorted(owners) or [None]:
            tx.require("collection.manage", pid)
        for reminder_id, error in results:
            con.execute(
                "UPDATE reminder SET state = ?, error = ?, sent_at = CASE WHEN ? IS NULL THEN"
                " current_timestamp END WHERE reminder_id = ? AND state = 'sending'",
                ["sent" if error is None else "failed", error, error, reminder_id],
            )
        sent = sum(error is None for _, error in results)
        tx.audit("send", "reminders", ", ".join(str(p) for p in sorted(owners)),
                 {"sent": sent, "failed": len(results) - sent})  # fmt: skip
