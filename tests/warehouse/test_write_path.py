"""Every write made for a person goes through one path: it refuses whoever may not make it
with the warehouse unchanged (every row of every table), and it audits the signed-in person,
never the operating-system account.

The write functions are found, not listed: every public function of a module of
``analytics/warehouse/`` with a keyword-only ``user``. Each needs a row in :data:`CALLS`
saying how to call it on the demo; a new write without one fails
:func:`test__write_path__every_write_function_is_called_here`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import analytics.warehouse
from analytics.access import Grant, PermissionDenied, User, cli_user
from analytics.framework.read import read_framework
from analytics.ingest.intake import intake_file
from analytics.warehouse import (
    collection,
    drafts,
    load,
    publication,
    queries,
    reminders,
    returns,
    scrutiny,
)
from analytics.warehouse.connection import close_readers, reader, writer
from analytics.warehouse.write import SOMEWHERE, UncheckedWrite, write
from tests.conftest import BOARD, OFFICER, ROOT, SCRUTINY, fingerprint
from tests.security.conftest import SAFER, demo_pid, theme_id

# Modules whose public functions taking ``user`` are not writes made through this path.
NOT_HERE = {
    "analytics.warehouse.write": "the write path itself",
    "analytics.warehouse.accounts": "accounts are written in the accounts store "
    "(analytics/authstore), never the warehouse, and audited there; tests/warehouse/"
    "test_accounts.py and tests/security/test_signin.py cover their refusals",
}


def write_functions() -> dict[str, Callable]:
    """``module.function`` -> function, for every public write found."""
    found = {}
    for info in pkgutil.iter_modules(analytics.warehouse.__path__, "analytics.warehouse."):
        if info.name in NOT_HERE:
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            user = inspect.signature(function).parameters.get("user")
            if user is not None:
                found[f"{info.name.rpartition('.')[2]}.{name}"] = function
    return found


# --- how to call each write on a copy of the demo ------------------------------------------


@dataclass
class Demo:
    path: Path  # the warehouse written (and fingerprinted)
    source: Path  # the demo as built, with its files under raw/demo/
    tmp: Path
    pid: int


def _fresh(tmp: Path) -> Path:
    """A warehouse with its tables and nothing in them (for ``lsp init``'s catalogue load)."""
    path = tmp / "fresh" / "warehouse.duckdb"
    with writer(path):
        pass
    return path


def _return(demo: Demo) -> list:
    """Safer communities' template for 2011/12 Q1, every value filled in, read."""
    out = returns.write_template(demo.pid, SAFER, "2011/12 Q1", demo.tmp / "safer.xlsx", demo.path)
    book = openpyxl.load_workbook(out)
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, 12.5)
    book.save(out)
    intake = intake_file(out, queries.intake_context(demo.path, demo.pid))
    assert intake.ok, [m.format() for m in intake.errors]
    return [intake]


def _open_flag(demo: Demo) -> int:
    flags = scrutiny.red_flags(demo.path, demo.pid)
    return int(flags.loc[flags["lifted_on"].isna(), "red_flag_id"].iloc[0])


def _tracker_rows() -> pd.DataFrame:
    """A tracker workbook as read, with one new recommendation."""
    rows = pd.DataFrame(
        [{"review": "Review", "made_on": date(2011, 6, 14), "text": "Publish waiting times.",
          "addressed_to": "Cabinet"}]
    )  # fmt: skip
    rows.attrs["file_name"] = "tracker.xlsx"
    return rows


def _committed(demo: Demo, user: User) -> int:
    """A new return (Safer communities, 2011/12 Q1) committed by ``user``: its id."""
    [result] = returns.commit_returns(_return(demo), demo.path, user=user)
    return result.return_id


def _reopened(demo: Demo, user: User) -> int:
    """2010/11 Q3 reopened for Safer communities by ``user`` (a reopening the others may
    not make: nothing is written for them, and the write under test refuses them)."""
    from analytics.access import may

    if not may(user, "collection.manage", demo.pid):
        return 1
    return collection.reopen(demo.path, demo.pid, theme_id(demo.path, SAFER), "2010/11 Q3",
                             "A correction.", user=user)  # fmt: skip


REMINDER = {"theme_id": 1, "period": "2011/12 Q1", "kind": "opening", "return_id": None,
            "to": ["lead@test.example"], "cc": [], "subject": "Return due"}  # fmt: skip


def _claimed(demo: Demo, user: User) -> int:
    [claim] = reminders.claim(demo.path, demo.pid, [REMINDER], user=user,
                              run_on=date(2011, 7, 1))  # fmt: skip
    return claim.reminder_id


@dataclass(frozen=True)
class Call:
    user: User  # a signed-in person allowed to make the write
    run: Callable[[Demo, User], object]
    fresh: bool = False  # on a warehouse with nothing in it, not on the demo


SENT = "2010/11-02"  # sent, no response yet
ANSWERED = "2009/10-05"  # has a response, not closed
FRAMEWORK = Path("raw", "demo", "framework.xlsx")  # beside the demo as built

CALLS: dict[str, Call] = {
    "load.init_warehouse": Call(OFFICER, lambda d, u: load.init_warehouse(d.path, user=u),
                                fresh=True),
    "load.import_framework": Call(OFFICER, lambda d, u: load.import_framework(
        read_framework(d.source.parent / FRAMEWORK), d.path, user=u)),
    "returns.commit_returns": Call(OFFICER, lambda d, u: returns.commit_returns(
        _return(d), d.path, user=u)),
    "returns.withdraw_return": Call(OFFICER, lambda d, u: returns.withdraw_return(
        _committed(d, u), d.path, user=u, reason="sent twice")),  # (the demo's are locked)
    "scrutiny.record_recommendation": Call(SCRUTINY, lambda d, u: scrutiny.record_recommendation(
        d.path, d.pid, user=u, review="Review", made_on=date(2011, 6, 14), text="Do it.",
        addressed_to="Cabinet")),
    "scrutiny.record_response": Call(OFFICER, lambda d, u: scrutiny.record_response(
        d.path, d.pid, SENT, user=u, response="accepted", response_on=date(2011, 6, 1))),
    "scrutiny.add_progress": Call(OFFICER, lambda d, u: scrutiny.add_progress(
        d.path, d.pid, SENT, user=u, noted_on=date(2011, 6, 2), note="Started.",
        status="in_progress")),
    "scrutiny.judge_progress": Call(SCRUTINY, lambda d, u: scrutiny.judge_progress(
        d.path, d.pid, SENT, user=u, acceptable=False)),
    "scrutiny.close_recommendation": Call(SCRUTINY, lambda d, u: scrutiny.close_recommendation(
        d.path, d.pid, ANSWERED, user=u, closed_on=date(2011, 6, 14), evidence="Done.")),
    "scrutiny.import_recommendations": Call(SCRUTINY, lambda d, u:
        scrutiny.import_recommendations(d.path, d.pid, _tracker_rows(), user=u,
                                        today=date(2011, 6, 14))),
    "scrutiny.add_red_flag": Call(OFFICER, lambda d, u: scrutiny.add_red_flag(
        d.path, d.pid, user=u, title="Housing", reason="Waiting lists", source="CAA",
        flagged_on=date(2011, 1, 1), indicator_codes="NI 154")),
    "scrutiny.lift_red_flag": Call(OFFICER, lambda d, u: scrutiny.lift_red_flag(
        d.path, d.pid, _open_flag(d), user=u, lifted_on=date(2011, 6, 14), reason="Improved")),
    "scrutiny.add_review_date": Call(OFFICER, lambda d, u: scrutiny.add_review_date(
        d.path, d.pid, user=u, meeting_date=date(2011, 11, 15))),
    "scrutiny.remove_review_date": Call(OFFICER, lambda d, u: scrutiny.remove_review_date(
        d.path, d.pid, user=u, meeting_date=date(2011, 6, 14))),
    "publication.publish_period": Call(OFFICER, lambda d, u: publication.publish_period(
        d.path, d.pid, "2010/11 Q4", user=u)),
    "publication.publish_year": Call(OFFICER, lambda d, u: publication.publish_year(
        d.path, d.pid, "2010/11", user=u)),
    "publication.publish_periods": Call(OFFICER, lambda d, u: publication.publish_periods(
        d.path, [d.pid], "2010/11 Q4", user=u)),
    "publication.save_annual_text": Call(OFFICER, lambda d, u: publication.save_annual_text(
        d.path, d.pid, "2010/11", "New words.", user=u)),
    "publication.save_profile": Call(OFFICER, lambda d, u: publication.save_profile(
        d.path, d.pid, {"vision": "A better place."}, [("Police", "Police")], user=u)),
    "publication.save_brand": Call(OFFICER, lambda d, u: publication.save_brand(
        d.path, d.pid, user=u, council_name="Wyvern Vale Council")),
    "collection.save_settings": Call(OFFICER, lambda d, u: collection.save_settings(
        d.path, d.pid, user=u, due_working_days=15, reminder_working_days=3,
        board_accepted_only=False)),
    "collection.set_lock": Call(OFFICER, lambda d, u: collection.set_lock(
        d.path, d.pid, "2011/12 Q1", date(2099, 9, 30), user=u)),
    "collection.set_locks": Call(OFFICER, lambda d, u: collection.set_locks(
        d.path, d.pid, {"2011/12 Q1": date(2099, 9, 30)}, user=u)),
    "collection.reopen": Call(OFFICER, lambda d, u: collection.reopen(
        d.path, d.pid, theme_id(d.path, SAFER), "2010/11 Q3", "A correction.", user=u)),
    "collection.close_reopening": Call(OFFICER, lambda d, u: collection.close_reopening(
        d.path, _reopened(d, u), user=u)),
    "collection.review_return": Call(OFFICER, lambda d, u: collection.review_return(
        d.path, _committed(d, u), "accepted", user=u)),
    "collection.accept_quarter": Call(OFFICER, lambda d, u: collection.accept_quarter(
        d.path, [d.pid], "2011/12 Q1", user=u)),
    "drafts.save_draft": Call(OFFICER, lambda d, u: drafts.save_draft(
        d.path, d.pid, theme_id(d.path, SAFER), "2011/12 Q1",
        [{"code": "NI 32", "value": "19%"}], 0, user=u)),
    "reminders.claim": Call(OFFICER, lambda d, u: reminders.claim(
        d.path, d.pid, [REMINDER], user=u, run_on=date(2011, 7, 1))),
    "reminders.finish": Call(OFFICER, lambda d, u: reminders.finish(
        d.path, [(_claimed(d, u), None)], user=u)),
}  # fmt: skip


def test__write_path__every_write_function_is_called_here():
    found = set(write_functions())
    assert found - set(CALLS) == set(), "add a row to CALLS for each new write function"
    assert set(CALLS) - found == set(), "a row of CALLS names a write that is gone"


def _audit_rows_after(path: Path, audit_id: int) -> list[tuple[str, str]]:
    close_readers()
    return (
        reader(path)
        .execute(
            "SELECT actor, event FROM audit_log WHERE audit_id > ? ORDER BY audit_id", [audit_id]
        )
        .fetchall()
    )


@pytest.mark.parametrize("name", sorted(CALLS))
def test__write_path__refuses_a_board_member_unchanged_and_audits_the_signed_in_person(
    name, demo_warehouse, demo_copy, tmp_path
):
    call = CALLS[name]
    path = _fresh(tmp_path) if call.fresh else demo_copy
    demo = Demo(path, demo_warehouse, tmp_path, demo_pid(demo_warehouse))
    before = fingerprint(path)
    with pytest.raises(PermissionDenied, match="may not do this"):
        call.run(demo, BOARD)
    assert fingerprint(path) == before
    last = reader(path).execute("SELECT coalesce(max(audit_id), 0) FROM audit_log").fetchone()[0]
    call.run(demo, call.user)
    audited = _audit_rows_after(path, last)
    assert audited, f"{name} wrote no audit entry"
    assert {actor for actor, _ in audited} == {call.user.email}
    assert not any(actor.startswith("cli:") for actor, _ in audited)


@pytest.mark.parametrize("name", sorted(n for n, c in CALLS.items() if c.user != SCRUTINY))
def test__write_path__refuses_a_scrutiny_councillor_every_write_not_scrutinys_own(
    name, demo_warehouse, demo_copy, tmp_path
):
    """The other reading role: a scrutiny councillor records recommendations and judges
    progress, and nothing else; every other write is refused where it happens."""
    call = CALLS[name]
    path = _fresh(tmp_path) if call.fresh else demo_copy
    demo = Demo(path, demo_warehouse, tmp_path, demo_pid(demo_warehouse))
    before = fingerprint(path)
    with pytest.raises(PermissionDenied, match="may not do this"):
        call.run(demo, SCRUTINY)
    assert fingerprint(path) == before


# --- the write path itself ------------------------------------------------------------------


def test__write__a_theme_lead_is_refused_another_theme_groups_write(demo_copy):
    pid = demo_pid(demo_copy)
    lead = User("lead@test.example", "Lead", (Grant("theme_lead", pid, frozenset({1_000})),))
    before = fingerprint(demo_copy)
    with (
        pytest.raises(PermissionDenied),
        write(demo_copy, lead, "returns.submit", pid, theme_id(demo_copy, SAFER)),
    ):
        pytest.fail("the block must not run")
    assert fingerprint(demo_copy) == before


def test__write__somewhere_must_check_the_partnership_before_it_audits_or_ends(demo_copy):
    before = fingerprint(demo_copy)
    with (
        pytest.raises(UncheckedWrite, match="before it audits"),
        write(demo_copy, OFFICER, "publish", SOMEWHERE) as tx,
    ):
        tx.audit("publish", "publication", "2010/11 Q4")
    with (
        pytest.raises(UncheckedWrite, match="nothing was committed"),
        write(demo_copy, OFFICER, "publish", SOMEWHERE) as tx,
    ):
        tx.con.execute("DELETE FROM review_meeting")
    assert fingerprint(demo_copy) == before


def test__write__somewhere_then_the_partnership_writes_and_audits_the_user(demo_copy):
    pid = demo_pid(demo_copy)
    with write(demo_copy, OFFICER, "scrutiny.manage", SOMEWHERE) as tx:
        tx.require("scrutiny.manage", pid)
        tx.con.execute("DELETE FROM review_meeting WHERE partnership_id = ?", [pid])
        tx.audit("remove", "review_meeting", None, {"partnership_id": pid})
    assert scrutiny.review_dates(demo_copy, pid).empty
    assert _audit_rows_after(demo_copy, 0)[-1] == (OFFICER.email, "remove")


def test__write__the_command_line_is_audited_as_cli_and_its_os_user(demo_copy, monkeypatch):
    monkeypatch.setenv("LSP_USER", "operator")
    pid = demo_pid(demo_copy)
    scrutiny.add_review_date(demo_copy, pid, user=cli_user(), meeting_date=date(2011, 11, 15))
    assert _audit_rows_after(demo_copy, 0)[-1] == ("cli:operator", "add")


# Modules allowed to open the writer or insert into the audit log themselves.
LOW_LEVEL = {
    "analytics/warehouse/connection.py": "defines writer()",
    "analytics/warehouse/audit.py": "defines audit()",
    "analytics/warehouse/write.py": "the write path",
    "analytics/warehouse/legacy_accounts.py": "clears an older warehouse's account tables once, "
    "after moving them into the accounts store (a system write, made for nobody)",
}


def test__write_path__nothing_else_opens_the_writer_or_audits_by_hand():
    found = []
    for file in sorted((ROOT / "analytics").rglob("*.py")):
        rel = file.relative_to(ROOT).as_posix()
        if rel in LOW_LEVEL:
            continue
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                (node.module == "analytics.warehouse.connection"
                 and any(a.name == "writer" for a in node.names))
                or node.module == "analytics.warehouse.audit"
                or (node.module == "analytics.warehouse"
                    and any(a.name == "audit" for a in node.names))
            ):  # fmt: skip
                found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "writer"
                and isinstance(node.value, ast.Name)
                and node.value.id == "connection"
            ):
                found.append(f"{rel}:{node.lineno} connection.writer")
    assert not found, "write through analytics.warehouse.write.write():\n" + "\n".join(found)
