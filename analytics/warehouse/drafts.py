"""The web form's drafts in the warehouse (``return_draft``, migration 0012).

A draft is what a theme lead typed, kept as typed (``value`` is text: ``45%``, ``£2.3m``),
not yet a return. Every save is a new version; a save (or a submission) made on an older
version than the latest is refused with :class:`DraftConflict`, naming who saved the newer
one and when, so two people editing the same form never lose each other's work silently.
Submitting records a version in state ``submitted`` with the return it made, in the same
transaction as the return's commit (:func:`record_submission`, through
:func:`analytics.warehouse.returns.commit_returns`'s ``also``).

Saving asks for ``returns.submit`` for the theme group (a theme lead: only their own), and a
quarter that has locked takes no draft unless reopened for the theme group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics.access import User
from analytics.warehouse.collection_state import refuse_locked
from analytics.warehouse.connection import first_row
from analytics.warehouse.queries import _frame
from analytics.warehouse.write import Transaction, write

FIELDS = ("code", "value", "dq_flag", "commentary", "remedial_action", "numerator", "denominator")


class DraftConflict(RuntimeError):
    """Someone saved (or submitted) the form after the version this save started from."""

    def __init__(self, version: int, saved_by: str, saved_at: datetime, state: str):
        self.version, self.saved_by, self.saved_at, self.state = version, saved_by, saved_at, state
        what = "submitted the return" if state == "submitted" else "saved a newer draft"
        super().__init__(
            f"{saved_by} {what} at {saved_at:%H:%M on %d %B %Y} (version {version}) after you "
            "opened this form, so your changes were not saved. Copy anything you need, then "
            "load their version and make your changes again."
        )


@dataclass(frozen=True)
class Draft:
    version: int  # 0: nothing saved yet
    state: str  # draft | submitted | new
    entries: list[dict]
    saved_by: str | None = None
    saved_at: datetime | None = None
    return_id: int | None = None


def _clean(entries: list[dict]) -> list[dict]:
    out = []
    for entry in entries:
        row = {k: ("" if entry.get(k) is None else str(entry.get(k))) for k in FIELDS}
        if not row["code"]:
            raise ValueError("every entry names its indicator code")
        out.append(row)
    return out


def latest_draft(path, partnership_id: int, theme_id: int, period: str) -> Draft:
    """The form's latest version (version 0, state ``new``: nothing saved yet)."""
    found = _frame(
        path,
        "SELECT version, state, entries_json, saved_by, saved_at, return_id FROM return_draft"
        " WHERE partnership_id = ? AND theme_id = ? AND period = ?"
        " ORDER BY version DESC LIMIT 1",
        [partnership_id, theme_id, period],
    )
    if found.empty:
        return Draft(0, "new", [])
    row = found.iloc[0]
    return_id = None if pd.isna(row["return_id"]) else int(row["return_id"])
    return Draft(int(row["version"]), row["state"], json.loads(row["entries_json"]),
                 row["saved_by"], row["saved_at"].to_pydatetime(), return_id)  # fmt: skip


def form_values(path, partnership_id: int, theme_id: int, value_periods) -> pd.DataFrame:
    """The values in force of a theme group's indicators for the periods of its return (the
    form opens with them when there is no draft: a return sent back is corrected so)."""
    return _frame(
        path,
        "SELECT i.code, a.period, a.actual_value, a.dq_flag, a.commentary, a.remedial_action,"
        " a.numerator_value, a.denominator_value"
        " FROM actual a JOIN indicator i USING (indicator_id) WHERE i.partnership_id = ?"
        " AND i.theme_id = ? AND a.is_current AND list_contains(?, a.period)",
        [partnership_id, theme_id, list(value_periods)],
    )


def _latest(con, partnership_id: int, theme_id: int, period: str):
    return first_row(
        con.execute(
            "SELECT version, saved_by, saved_at, state FROM return_draft WHERE partnership_id = ?"
            " AND theme_id = ? AND period = ? ORDER BY version DESC LIMIT 1",
            [partnership_id, theme_id, period],
        )
    )


def _insert_version(
    tx: Transaction, partnership_id: int, theme_id: int, period: str, entries: list[dict],
    base_version: int, state: str, return_id: int | None = None,
) -> int:  # fmt: skip
    latest = _latest(tx.con, partnership_id, theme_id, period)
    held = latest[0] if latest else 0
    if held != base_version:
        raise DraftConflict(held, latest[1], latest[2], latest[3])
    version = held + 1
    tx.con.execute(
        "INSERT INTO return_draft (partnership_id, theme_id, period, version, state,"
        " entries_json, saved_by, return_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [partnership_id, theme_id, period, version, state,
         json.dumps(_clean(entries), ensure_ascii=False), tx.actor, return_id],
    )  # fmt: skip
    return version


def save_draft(
    path, partnership_id: int, theme_id: int, period: str, entries: list[dict],
    base_version: int, *, user: User,
) -> int:  # fmt: skip
    """Keep what was typed as a new version of the draft; its version number. Refused
    (:class:`DraftConflict`) when the latest version is not ``base_version``."""
    with write(path, user, "returns.submit", partnership_id, theme_id) as tx:
        theme = first_row(
            tx.con.execute(
                "SELECT name FROM theme WHERE theme_id = ? AND partnership_id = ?",
                [theme_id, partnership_id],
            )
        )
        if theme is None:
            raise ValueError(f"theme group {theme_id} is not one of this partnership's")
        refuse_locked(tx.con, partnership_id, theme_id, [period], what=f"{theme[0]}'s form",
                      theme=theme[0])  # fmt: skip
        version = _insert_version(tx, partnership_id, theme_id, period, entries, base_version,
                                  "draft")  # fmt: skip
        tx.audit("save draft", "return form", f"{theme[0]}, {period}", {"version": version})
        return version


def record_submission(
    partnership_id: int, theme_id: int, period: str, entries: list[dict], base_version: int
):
    """For ``commit_returns(..., also=...)``: in the return's own transaction, record the
    form as submitted (the return it made), refusing when someone saved after
    ``base_version``."""

    def also(tx: Transaction, results) -> None:
        [result] = results
        tx.require("returns.submit", partnership_id, theme_id)  # the form's own theme group
        sql = "SELECT theme_id FROM return_file WHERE return_id = ?"
        theme = first_row(tx.con.execute(sql, [result.return_id]))
        if theme is None or theme[0] != theme_id:
            raise ValueError("the return made is not the form's theme group's")
        version = _insert_version(tx, partnership_id, theme_id, period, entries, base_version,
                                  "submitted", result.return_id)  # fmt: skip
        tx.audit("submit", "return form", result.file_name,
                 {"version": version, "return_id": result.return_id})  # fmt: skip

    return also
