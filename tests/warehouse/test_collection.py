"""The collection in the warehouse: sign-off, the Board's accepted-only view, period locks
tried by every route an attacker has (a theme lead, the officer without a reopening, `lsp
import`, a withdrawal, a restated quarter), recorded reopenings, and publication of accepted,
locked quarters only."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from analytics.access import Grant, PermissionDenied, User, cli_user
from analytics.cli import main as lsp
from analytics.ingest.intake import intake_file
from analytics.warehouse import collection, publication, queries, returns, views
from analytics.warehouse.collection import CollectionError, PeriodLocked
from analytics.warehouse.connection import close_readers, reader
from tests.conftest import OFFICER, fingerprint
from tests.security.conftest import HEALTH, SAFER, demo_pid, theme_id

NEW = "2011/12 Q1"  # the quarter after the demo's last
LOCKED = "2010/11 Q3"  # locked in the demo (the day after its Board)
ENVIRONMENT = "A better environment for today and tomorrow"


def _lead(path, theme=SAFER) -> User:
    grant = Grant("theme_lead", demo_pid(path), frozenset({theme_id(path, theme)}))
    return User("lead@test.example", "Test lead", (grant,))


def _filled(path, tmp_path, period, theme=SAFER, value=12.5, name="return.xlsx"):
    """The theme group's template for ``period``, every value filled in, read."""
    pid = demo_pid(path)
    out = returns.write_template(pid, theme, period, tmp_path / name, path)
    book = openpyxl.load_workbook(out)
    for row in range(5, book["Return"].max_row + 1):
        book["Return"].cell(row, 11, value)
        book["Return"].cell(row, 13, "Typed for the test.")
        if not book["Return"].cell(row, 15).protection.locked:  # a ratio: its two counts
            book["Return"].cell(row, 15, value)  # (NI 191's county adds them up)
            book["Return"].cell(row, 16, 100)
    book.save(out)
    intake = intake_file(out, queries.intake_context(path, pid))
    assert intake.ok, [m.format() for m in intake.errors]
    return intake


def _audit(path, event):
    close_readers()
    return (
        reader(path)
        .execute(
            "SELECT actor, entity_key, detail FROM audit_log WHERE event = ? ORDER BY audit_id",
            [event],
        )
        .fetchall()
    )


# --- the demo as built ------------------------------------------------------------------------


def test__demo__every_quarter_signed_off_and_locked_after_its_board(demo_warehouse):
    pid = demo_pid(demo_warehouse)
    locks = collection.locks(demo_warehouse, pid).set_index("period")["locks_on"]
    assert len(locks) == 12
    assert locks["2010/11 Q4"] == date(2011, 9, 30)
    assert all(locks[q] > date(2009, 10, 1) for q in ("2009/10 Q2", "2010/11 Q3"))
    queue = collection.review_queue(demo_warehouse, pid, "2010/11 Q4")
    assert len(queue) == 5 and set(queue["review_state"]) == {"accepted"}
    chosen = collection.settings(demo_warehouse, pid)
    assert (chosen.due_working_days, chosen.board_accepted_only) == (20, True)


# --- sign-off and the Board's accepted-only view ----------------------------------------------


def test__sign_off__a_return_arrives_submitted_and_the_board_sees_it_once_accepted(
    demo_copy, tmp_path
):
    pid, lead = demo_pid(demo_copy), _lead(demo_copy)
    [result] = returns.commit_returns([_filled(demo_copy, tmp_path, NEW)], demo_copy, user=lead)
    [row] = collection.review_queue(demo_copy, pid, NEW).to_dict("records")
    assert row["review_state"] == "submitted" and row["theme"] == SAFER
    board = views.statuses_as_at(demo_copy, pid, NEW)
    safer = board[board["theme"] == SAFER]
    assert (safer["period"] != NEW).all()  # not accepted: the Board sees the quarter before
    assert NEW not in queries.periods_with_data(demo_copy, pid)

    with pytest.raises(PermissionDenied):  # a theme lead does not sign off
        collection.review_return(demo_copy, result.return_id, "accepted", user=lead)
    with pytest.raises(CollectionError, match="Say what needs correcting"):
        collection.review_return(demo_copy, result.return_id, "sent_back", user=OFFICER)
    collection.review_return(demo_copy, result.return_id, "sent_back", user=OFFICER,
                             note="NI 32 looks ten times too high: check the figure.")  # fmt: skip
    review = collection.latest_review(demo_copy, pid, theme_id(demo_copy, SAFER), NEW)
    assert review["review_state"] == "sent_back" and "ten times" in review["review_note"]

    [fixed] = returns.commit_returns(
        [_filled(demo_copy, tmp_path, NEW, value=13.0, name="fixed.xlsx")], demo_copy, user=lead
    )
    assert fixed.superseded_id == result.return_id
    assert collection.latest_review(demo_copy, pid, theme_id(demo_copy, SAFER), NEW)[
        "review_state"] == "submitted"  # fmt: skip
    collection.review_return(demo_copy, fixed.return_id, "accepted", user=OFFICER)
    board = views.statuses_as_at(demo_copy, pid, NEW)
    safer = board[(board["theme"] == SAFER) & (board["period"] == NEW)]
    assert len(safer) > 0 and set(safer["actual_value"].dropna()) == {13.0}
    assert NEW in queries.periods_with_data(demo_copy, pid)
    assert [e[1] for e in _audit(demo_copy, "send back")] == [result.file_name]
    assert [e[0] for e in _audit(demo_copy, "accept")] == [OFFICER.email]


def test__form_and_spreadsheet__whichever_arrives_last_is_the_return(demo_copy, tmp_path):
    from analytics.collection import form as checks

    pid, lead, safer = demo_pid(demo_copy), _lead(demo_copy), theme_id(demo_copy, SAFER)
    rows, history, info = queries.template_rows(demo_copy, pid, SAFER, NEW)

    def by_form(value: str, base_version: int):
        entries = [{"code": c, "value": value, "dq_flag": "ok", "commentary": "By form.",
                    "remedial_action": ""} for c in rows["code"]]  # fmt: skip
        _, done = checks.submit(demo_copy, pid, safer, queries.intake_context(demo_copy, pid),
                                info, SAFER, NEW, rows, history, entries, base_version,
                                user=lead)  # fmt: skip
        return done

    [sheet] = returns.commit_returns([_filled(demo_copy, tmp_path, NEW)], demo_copy, user=lead)
    form = by_form("14", 0)
    assert form.superseded_id == sheet.return_id  # the form, arriving last, is the return
    [again] = returns.commit_returns(
        [_filled(demo_copy, tmp_path, NEW, value=15.0, name="again.xlsx")], demo_copy, user=lead
    )
    assert again.superseded_id == form.return_id  # and a spreadsheet after it replaces it
    files = queries.return_files(demo_copy, pid, NEW).set_index("return_id")
    assert files.loc[sheet.return_id, "state"] == "superseded"
    assert files.loc[form.return_id, "state"] == "superseded"
    assert files.loc[again.return_id, "state"] == "loaded"
    values = collection.return_values(demo_copy, again.return_id)
    assert set(values["actual_value"]) == {15.0}
    close_readers()
    [current] = (
        reader(demo_copy)
        .execute(
            "SELECT DISTINCT a.actual_value FROM actual a JOIN indicator i USING (indicator_id)"
            " WHERE i.theme_id = ? AND a.period = ? AND a.is_current",
            [safer, NEW],
        )
        .fetchall()
    )
    assert current == (15.0,)
    # every file kept as received: two spreadsheets and the form's workbook
    kept = sorted(p.name for p in (demo_copy.parent / "raw" / "2011-12" / "Q1").iterdir())
    assert len(kept) == 3 and sum(name.endswith("_form.xlsx") for name in kept) == 1


def test__board__a_correction_awaiting_sign_off_leaves_the_accepted_figure_in_view(
    demo_copy, tmp_path
):
    pid = demo_pid(demo_copy)
    first = returns.commit_returns([_filled(demo_copy, tmp_path, NEW)], demo_copy,
                                   user=OFFICER, accept=True)  # fmt: skip
    assert collection.review_queue(demo_copy, pid, NEW)["review_state"].tolist() == ["accepted"]
    again = _filled(demo_copy, tmp_path, NEW, value=99.0, name="again.xlsx")
    returns.commit_returns([again], demo_copy, user=OFFICER)
    board = views.statuses_as_at(demo_copy, pid, NEW)
    shown = board[(board["theme"] == SAFER) & (board["period"] == NEW)]["actual_value"]
    assert set(shown.dropna()) == {12.5}, first  # the accepted one, not the 99s
    collection.save_settings(demo_copy, pid, user=OFFICER, due_working_days=20,
                             reminder_working_days=5, board_accepted_only=False)  # fmt: skip
    board = views.statuses_as_at(demo_copy, pid, NEW)
    shown = board[(board["theme"] == SAFER) & (board["period"] == NEW)]["actual_value"]
    assert set(shown.dropna()) == {99.0}  # every figure in force


# --- locks, tried as an attacker ------------------------------------------------------------


def test__lock__a_theme_lead_cannot_change_a_locked_quarter(demo_copy, tmp_path):
    intake = _filled(demo_copy, tmp_path, LOCKED)
    before = fingerprint(demo_copy)
    with pytest.raises(PeriodLocked) as refused:
        returns.commit_returns([intake], demo_copy, user=_lead(demo_copy))
    [message] = refused.value.messages
    assert message.text.startswith(f"{LOCKED} is locked (since ")
    assert "reopen" in message.fix
    assert fingerprint(demo_copy) == before
    assert not list((demo_copy.parent / "raw" / "2010-11" / "Q3").glob("*return.xlsx"))


def test__lock__the_officer_cannot_either_nor_withdraw_nor_review_without_a_reopening(
    demo_copy, tmp_path
):
    pid = demo_pid(demo_copy)
    intake = _filled(demo_copy, tmp_path, LOCKED)
    [locked_return] = collection.review_queue(demo_copy, pid, LOCKED).query(
        "theme == @SAFER")["return_id"].tolist()  # fmt: skip
    before = fingerprint(demo_copy)
    for user in (OFFICER, cli_user()):
        with pytest.raises(PeriodLocked):
            returns.commit_returns([intake], demo_copy, user=user, accept=True)
        with pytest.raises(PeriodLocked):
            returns.withdraw_return(locked_return, demo_copy, user=user, reason="try")
        with pytest.raises(PeriodLocked):
            collection.review_return(demo_copy, locked_return, "sent_back", user=user,
                                     note="Please check again.")  # fmt: skip
    with pytest.raises(CollectionError, match="its lock date cannot change"):
        collection.set_lock(demo_copy, pid, LOCKED, date(2099, 1, 1), user=OFFICER)
    assert fingerprint(demo_copy) == before


def test__lock__lsp_import_into_a_locked_quarter_exits_1_and_says_why(demo_copy, tmp_path, capsys):
    intake = _filled(demo_copy, tmp_path, LOCKED)
    before = fingerprint(demo_copy)
    assert lsp(["--warehouse", str(demo_copy), "import", str(intake.path)]) == 1
    err = capsys.readouterr().err
    assert f"{LOCKED} is locked (since" in err and "Nothing was loaded" in err
    assert fingerprint(demo_copy) == before


def test__lock__a_wide_file_cannot_restate_a_locked_quarter_inside_an_open_ones_return(
    demo_copy, tmp_path
):
    pid = demo_pid(demo_copy)
    wide = tmp_path / "safer_wide.csv"
    wide.write_text("PI code,Q3 10/11,Q1 11/12\nNI 32,1.5,14.5\n")
    intake = intake_file(wide, queries.intake_context(demo_copy, pid), theme=SAFER)
    assert intake.ok and set(intake.values["period"]) == {LOCKED, NEW}
    before = fingerprint(demo_copy)
    with pytest.raises(PeriodLocked, match=LOCKED):
        returns.commit_returns([intake], demo_copy, user=OFFICER)
    assert fingerprint(demo_copy) == before


def test__reopen__for_one_theme_group_with_a_reason_recorded_then_locked_again(demo_copy, tmp_path):
    pid, safer, lead = demo_pid(demo_copy), theme_id(demo_copy, SAFER), _lead(demo_copy)
    with pytest.raises(PermissionDenied):
        collection.reopen(demo_copy, pid, safer, LOCKED, "A correction.", user=lead)
    with pytest.raises(CollectionError, match="Say why"):
        collection.reopen(demo_copy, pid, safer, LOCKED, "", user=OFFICER)
    with pytest.raises(CollectionError, match="not locked"):
        collection.reopen(demo_copy, pid, safer, NEW, "A correction.", user=OFFICER)
    reopening = collection.reopen(demo_copy, pid, safer, LOCKED,
                                  "Police data revised after the audit.", user=OFFICER)  # fmt: skip
    [result] = returns.commit_returns([_filled(demo_copy, tmp_path, LOCKED)], demo_copy, user=lead)
    assert result.superseded_id is not None
    with pytest.raises(PeriodLocked):  # only for Safer communities
        returns.commit_returns(
            [_filled(demo_copy, tmp_path, LOCKED, theme=ENVIRONMENT, name="env.xlsx")],
            demo_copy, user=OFFICER,
        )  # fmt: skip
    [(actor, key, detail)] = _audit(demo_copy, "reopen")
    assert (actor, key) == (OFFICER.email, LOCKED) and "revised after the audit" in detail
    collection.close_reopening(demo_copy, reopening, user=OFFICER)
    with pytest.raises(PeriodLocked):
        returns.commit_returns([_filled(demo_copy, tmp_path, LOCKED, value=7.0, name="again.xlsx")],
                               demo_copy, user=lead)  # fmt: skip
    assert [k for _, k, _ in _audit(demo_copy, "relock")] == [LOCKED]
    listed = collection.reopenings(demo_copy, pid, LOCKED)
    assert listed["theme"].tolist() == [SAFER] and not listed["is_open"].any()


def test__lock__a_future_lock_date_can_move_and_locks_nothing_yet(demo_copy, tmp_path):
    pid = demo_pid(demo_copy)
    collection.set_lock(demo_copy, pid, NEW, date(2099, 1, 31), user=OFFICER)
    collection.set_lock(demo_copy, pid, NEW, date(2099, 2, 28), user=OFFICER)
    returns.commit_returns([_filled(demo_copy, tmp_path, NEW)], demo_copy, user=OFFICER)
    with pytest.raises(CollectionError, match="before its returns are due"):
        collection.set_lock(demo_copy, pid, NEW, date(2011, 6, 1), user=OFFICER)
    assert [e[1] for e in _audit(demo_copy, "lock")][-2:] == [NEW, NEW]


# --- publication ------------------------------------------------------------------------------


def test__publish__only_accepted_figures_of_a_locked_quarter(demo_copy, tmp_path):
    pid = demo_pid(demo_copy)
    [result] = returns.commit_returns([_filled(demo_copy, tmp_path, NEW)], demo_copy,
                                      user=OFFICER)  # fmt: skip
    collection.save_settings(demo_copy, pid, user=OFFICER, due_working_days=20,
                             reminder_working_days=5, board_accepted_only=False)  # fmt: skip
    with pytest.raises(publication.PublishError, match=f"{NEW} is not locked yet"):
        publication.publish_period(demo_copy, pid, NEW, user=OFFICER)
    collection.set_lock(demo_copy, pid, NEW, date(2011, 9, 30), user=OFFICER,
                        today=date(2011, 9, 1))  # fmt: skip
    with pytest.raises(publication.PublishError, match="await sign-off: Communities that are"):
        publication.publish_period(demo_copy, pid, NEW, user=OFFICER)
    assert "await sign-off" in publication.publication_blockers(demo_copy, pid, NEW)
    with pytest.raises(PeriodLocked):  # locked before it was accepted: reopen to accept
        collection.review_return(demo_copy, result.return_id, "accepted", user=OFFICER)
    reopening = collection.reopen(demo_copy, pid, theme_id(demo_copy, SAFER), NEW,
                                  "Accept the return the Board saw.", user=OFFICER)  # fmt: skip
    collection.review_return(demo_copy, result.return_id, "accepted", user=OFFICER)
    collection.close_reopening(demo_copy, reopening, user=OFFICER)
    assert publication.publication_blockers(demo_copy, pid, NEW) is None
    published = publication.publish_period(demo_copy, pid, NEW, user=OFFICER)
    assert published.values_new > 0


def test__publish__a_year_needs_its_q4_locked(demo_copy):
    pid = demo_pid(demo_copy)
    assert publication.publication_blockers(demo_copy, pid, "2010/11") is None  # 30 Sep 2011
    assert "2011/12 Q4 is not locked" in publication.publication_blockers(demo_copy, pid,
                                                                          "2011/12")  # fmt: skip


# --- settings and the tracker ---------------------------------------------------------------


def test__settings__a_theme_group_due_later_and_the_template_says_so(demo_copy, tmp_path):
    pid, health = demo_pid(demo_copy), theme_id(demo_copy, HEALTH)
    with pytest.raises(CollectionError, match="not an e-mail address"):
        collection.save_settings(demo_copy, pid, user=OFFICER, due_working_days=20,
                                 reminder_working_days=5, board_accepted_only=True,
                                 officer_email="not an address")  # fmt: skip
    collection.save_settings(demo_copy, pid, user=OFFICER, due_working_days=15,
                             reminder_working_days=3, board_accepted_only=True,
                             officer_email="performance@wyvernvale.example",
                             theme_due_working_days={health: 30})  # fmt: skip
    tracker = queries.submission_tracker(demo_copy, pid, NEW, today=date(2011, 7, 1))
    due = tracker.set_index("theme")["due_date"]
    assert due[SAFER] == date(2011, 7, 21) and due[HEALTH] == date(2011, 8, 11)
    dates = collection.theme_dates(demo_copy, pid, NEW).set_index("theme")
    assert dates.at[HEALTH, "due"] == date(2011, 8, 11)
    out = returns.write_template(pid, HEALTH, NEW, tmp_path / "h.xlsx", demo_copy)
    assert "Please return by 11 August 2011" in openpyxl.load_workbook(out)["Return"]["A2"].value
    assert collection.settings(demo_copy, pid).officer_email == "performance@wyvernvale.example"


def test__open_quarters__the_last_four_ended_not_locked_and_any_reopened(demo_copy):
    pid, safer = demo_pid(demo_copy), theme_id(demo_copy, SAFER)
    assert collection.open_quarters(demo_copy, pid, safer, date(2011, 7, 20)) == [
        NEW, "2010/11 Q4"]  # fmt: skip
    collection.reopen(demo_copy, pid, safer, "2009/10 Q1", "Late police figures.",
                      user=OFFICER)  # fmt: skip
    assert collection.open_quarters(demo_copy, pid, safer, date(2011, 7, 20))[-1] == "2009/10 Q1"
    # from 30 September 2011 the year's last quarter is locked too
    assert "2010/11 Q4" not in collection.open_quarters(demo_copy, pid, safer, date(2011, 10, 3))
