"""Accounts and sessions in the accounts store: add, sign in, lock-out, disable, idle, and
the permission check in every write function (run against SQLite and PostgreSQL where the
store is what is tested)."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pytest

from analytics.access import Grant, PermissionDenied, User, cli_user, sessions, signin
from analytics.demo.spec import DEMO_PASSWORD
from analytics.framework.read import read_framework
from analytics.ingest.intake import intake_file
from analytics.warehouse import accounts, queries
from analytics.warehouse.accounts import NOT_RECOGNISED, AccountError
from analytics.warehouse.connection import close_readers
from analytics.warehouse.load import import_framework, init_warehouse
from analytics.warehouse.returns import commit_returns, withdraw_return
from tests.conftest import BOARD, store_counts, store_rows, table_counts

ADMIN = cli_user()
T0 = datetime(2026, 12, 1, 9, 0, 0)
SAFER = "Communities that are safe and feel safe"
HEALTH = "Improving health and well-being"


def _pid(path) -> int:
    found = queries.partnerships(path)
    return int(found[found["indicators"] > 0]["partnership_id"].iloc[0])


def _rows(path, sql: str, params=None) -> list[tuple]:
    """A query on the warehouse itself."""
    close_readers()
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


EVENTS = "SELECT event FROM access_log ORDER BY access_id"


def _return_file(tmp_path, name: str, theme_title: str, code: str) -> object:
    file = tmp_path / name
    file.write_text(
        f"{theme_title}\nPerformance return 2011/12 Q1\n\n"
        f"PI code,Measure,Outturn,Comments\n{code},A measure,14.5,On track\n"
    )
    return file


def test__demo__has_one_account_per_role_with_the_demo_password(demo_warehouse):
    listed = accounts.list_accounts(demo_warehouse).set_index("email")
    assert set(listed.index) == {
        "admin@wyvernvale.example", "officer@wyvernvale.example", "lead@wyvernvale.example",
        "board@wyvernvale.example", "scrutiny@wyvernvale.example",
        # two more theme leads, for the collection's web form (issue 23)
        "environment.lead@wyvernvale.example", "stronger.lead@wyvernvale.example",
        # the county's officer and a district's (docs/county.md)
        "officer@wyvernshire.example", "officer@brindlecombe.example",
    }  # fmt: skip
    assert listed.loc["officer@wyvernshire.example", "roles"] == "officer (WSP)"
    assert listed.loc["lead@wyvernvale.example", "theme_groups"] == SAFER
    assert listed.loc["stronger.lead@wyvernvale.example", "theme_groups"] == "Stronger communities"
    assert "password_hash" not in listed.columns
    assert accounts.demo_accounts(demo_warehouse)[0] == ("admin@wyvernvale.example", "admin")


def test__add_account__bad_input_is_refused_and_changes_nothing(accounts_copy):
    demo_copy = accounts_copy
    before = table_counts(demo_copy), store_counts(demo_copy)
    cases = [
        (("not-an-email", "X", "board"), {}, "not an email"),
        (("a@b.example", "X", "chief"), {}, "no role"),
        (("a@b.example", "X", "theme_lead"), {}, "needs their theme"),
        (("a@b.example", "X", "theme_lead"), {"themes": ["Nope"]}, "no theme group"),
        (("a@b.example", "X", "board"), {"partnership": "ZZZ"}, "no partnership"),
        (("a@b.example", "X", "board"), {"password": "short"}, "at least 10"),
        (("admin@wyvernvale.example", "X", "board"), {}, "already"),
    ]
    for args, options, message in cases:
        with pytest.raises(AccountError, match=message):
            accounts.add_account(demo_copy, *args, user=ADMIN, **options)
    assert (table_counts(demo_copy), store_counts(demo_copy)) == before


def test__sign_in__same_message_for_unknown_email_and_wrong_password(accounts_copy):
    unknown = signin.sign_in(accounts_copy, "nobody@wyvernvale.example", DEMO_PASSWORD, T0)
    wrong = signin.sign_in(accounts_copy, "board@wyvernvale.example", "not the password", T0)
    assert unknown.message == wrong.message == NOT_RECOGNISED
    assert unknown.user is None and wrong.user is None


def test__sign_in__starts_a_session_kept_only_as_a_hash(accounts_copy):
    result = signin.sign_in(accounts_copy, " Board@WyvernVale.example ", DEMO_PASSWORD, T0)
    assert result.user.email == "board@wyvernvale.example" and result.message is None
    assert result.user.roles(_pid(accounts_copy)) == {"board"}
    [(stored,)] = store_rows(accounts_copy, "SELECT token_sha256 FROM account_session")
    assert stored == sessions.token_hash(result.token) != result.token
    assert signin.resume_session(accounts_copy, result.token, T0).email == result.user.email


def test__sign_in__five_failures_lock_the_account_for_15_minutes_and_are_audited(accounts_copy):
    email = "officer@wyvernvale.example"
    for i in range(5):
        wrong = signin.sign_in(accounts_copy, email, "wrong password", T0 + timedelta(seconds=i))
        assert wrong.user is None and wrong.message == NOT_RECOGNISED
    locked = signin.sign_in(accounts_copy, email, DEMO_PASSWORD, T0 + timedelta(minutes=1))
    assert locked.user is None and locked.message == NOT_RECOGNISED  # nothing says "locked"
    events = [r[0] for r in store_rows(accounts_copy, EVENTS)]
    assert events == ["sign-in failed"] * 4 + ["locked", "sign-in refused"]
    trail = accounts.audit_trail(accounts_copy, actor=email)
    assert trail["kind"].tolist()[:2] == ["access sign-in refused", "access locked"]
    later = signin.sign_in(accounts_copy, email, DEMO_PASSWORD, T0 + timedelta(minutes=16))
    assert later.user is not None


def test__set_password__clears_a_lock_out(accounts_copy):
    email = "board@wyvernvale.example"
    now = accounts.now_local()  # the listing judges a lock-out by the clock
    for _ in range(5):
        signin.sign_in(accounts_copy, email, "wrong password", now)
    assert accounts.list_accounts(accounts_copy).set_index("email").loc[email, "state"] == "locked"
    accounts.set_password(accounts_copy, email, "a new long passphrase", user=ADMIN)
    assert signin.sign_in(accounts_copy, email, "a new long passphrase", now).user is not None
    assert accounts.list_accounts(accounts_copy).set_index("email").loc[email, "state"] == "active"


def test__session__ends_after_the_idle_limit(accounts_copy):
    result = signin.sign_in(accounts_copy, "board@wyvernvale.example", DEMO_PASSWORD, T0)
    digest = sessions.token_hash(result.token)
    assert signin.session_state(accounts_copy, digest, T0 + timedelta(hours=7)).active
    late = signin.session_state(accounts_copy, digest, T0 + timedelta(hours=8, minutes=1))
    assert not late.active and late.reason == "idle"
    assert signin.resume_session(accounts_copy, result.token, T0 + timedelta(hours=9)) is None
    [(reason,)] = store_rows(accounts_copy, "SELECT ended_reason FROM account_session")
    assert reason == "idle"


def test__session__use_is_written_at_most_every_touch_interval(accounts_copy):
    result = signin.sign_in(accounts_copy, "board@wyvernvale.example", DEMO_PASSWORD, T0)
    digest = sessions.token_hash(result.token)
    for seconds in (1, 60, sessions.TOUCH_INTERVAL.total_seconds() - 1):
        now = T0 + timedelta(seconds=seconds)
        signin.seen_session(accounts_copy, digest, signin.session_state(accounts_copy, digest, now),
                            now)  # fmt: skip
    [(seen,)] = store_rows(accounts_copy, "SELECT last_seen_at FROM account_session")
    assert seen == T0  # nothing written yet
    later = T0 + sessions.TOUCH_INTERVAL
    state = signin.session_state(accounts_copy, digest, later)
    signin.seen_session(accounts_copy, digest, state, later)
    [(seen,)] = store_rows(accounts_copy, "SELECT last_seen_at FROM account_session")
    assert seen == later


def test__disable__ends_the_accounts_sessions(accounts_copy):
    result = signin.sign_in(accounts_copy, "scrutiny@wyvernvale.example", DEMO_PASSWORD, T0)
    accounts.set_disabled(accounts_copy, "scrutiny@wyvernvale.example", user=ADMIN)
    state = signin.session_state(accounts_copy, sessions.token_hash(result.token), T0)
    assert not state.active and state.reason == "disabled"
    again = signin.sign_in(accounts_copy, "scrutiny@wyvernvale.example", DEMO_PASSWORD, T0)
    assert again.user is None and again.message == NOT_RECOGNISED


def test__sso__role_from_the_store_and_unknown_email_refused(accounts_copy):
    user = signin.sso_sign_in(accounts_copy, "Lead@WyvernVale.example", T0)
    assert user.roles(_pid(accounts_copy)) == {"theme_lead"}
    assert signin.sso_sign_in(accounts_copy, "stranger@council.example", T0) is None
    events = [r[0] for r in store_rows(accounts_copy, EVENTS)]
    assert events == ["sign in", "sign-in refused"]


def test__account_changes__audited_in_the_store_with_who_did_it_never_a_hash(accounts_copy):
    email = "board@wyvernvale.example"
    accounts.set_role(accounts_copy, email, "scrutiny", user=ADMIN, partnership="WVP")
    accounts.set_password(accounts_copy, email, "another long passphrase", user=ADMIN)
    accounts.set_disabled(accounts_copy, email, user=ADMIN)
    rows = store_rows(accounts_copy, "SELECT actor, event, subject, detail FROM account_audit"
                                     " ORDER BY audit_id")  # fmt: skip
    assert [(a, e, s) for a, e, s, _ in rows] == [
        (ADMIN.actor, "role", email), (ADMIN.actor, "password", email),
        (ADMIN.actor, "disable", email),
    ]  # fmt: skip
    assert not any("argon2" in d or "another long" in d for *_, d in rows)
    assert accounts.audit_trail(accounts_copy, kinds=["account disable"])["subject"].tolist() == [
        email
    ]


def test__every_write_function__refuses_a_board_member_and_changes_nothing(demo_copy, tmp_path):
    pid = _pid(demo_copy)
    board = User(BOARD.email, BOARD.display_name, (Grant("board", pid),))
    intake = intake_file(_return_file(tmp_path, "safer.csv", SAFER, "NI 32"),
                         queries.intake_context(demo_copy, pid))  # fmt: skip
    framework = read_framework(demo_copy.parent / "raw" / "demo" / "framework.xlsx") if (
        demo_copy.parent / "raw" / "demo" / "framework.xlsx").exists() else None  # fmt: skip
    [(return_id,)] = _rows(
        demo_copy, "SELECT max(return_id) FROM return_file WHERE state = 'loaded'"
    )
    before = table_counts(demo_copy)
    writes = {
        "init_warehouse": lambda: init_warehouse(demo_copy, user=board),
        "commit_returns": lambda: commit_returns([intake], demo_copy, user=board),
        "withdraw_return": lambda: withdraw_return(return_id, demo_copy, user=board),
        "add_account": lambda: accounts.add_account(demo_copy, "x@y.example", "X", "admin",
                                                    user=board),
        "set_disabled": lambda: accounts.set_disabled(demo_copy, "admin@wyvernvale.example",
                                                      user=board),
        "set_role": lambda: accounts.set_role(demo_copy, BOARD.email, "admin", user=board),
        "set_password": lambda: accounts.set_password(demo_copy, "admin@wyvernvale.example",
                                                      "my own choice here", user=board),
    }  # fmt: skip
    if framework is not None:
        writes["import_framework"] = lambda: import_framework(framework, demo_copy, user=board)
    before = before, store_counts(demo_copy)
    for name, write in writes.items():
        with pytest.raises(PermissionDenied):
            write()
        assert (table_counts(demo_copy), store_counts(demo_copy)) == before, name


def test__import_framework__refuses_a_board_member(demo_warehouse, empty_warehouse):
    framework = read_framework(demo_warehouse.parent / "raw" / "demo" / "framework.xlsx")
    before = table_counts(empty_warehouse)
    with pytest.raises(PermissionDenied, match="framework.import"):
        import_framework(framework, empty_warehouse, user=BOARD)
    assert table_counts(empty_warehouse) == before


def test__commit_returns__theme_lead_refused_another_themes_return_naming_it(demo_copy, tmp_path):
    pid = _pid(demo_copy)
    lead = signin.sign_in(demo_copy, "lead@wyvernvale.example", DEMO_PASSWORD, T0).user
    context = queries.intake_context(demo_copy, pid)
    health = intake_file(_return_file(tmp_path, "health.csv", HEALTH, "NI 8"), context)
    assert health.ok and health.theme == HEALTH
    before = table_counts(demo_copy)
    with pytest.raises(PermissionDenied, match=f"health.csv is the return of {HEALTH}"):
        commit_returns([health], demo_copy, user=lead)
    assert table_counts(demo_copy) == before
    safer = intake_file(_return_file(tmp_path, "safer.csv", SAFER, "NI 32"), context)
    [result] = commit_returns([safer], demo_copy, user=lead)
    assert result.rows_new == 1
    [(actor,)] = _rows(demo_copy, "SELECT actor FROM audit_log WHERE event = 'commit'"
                       " AND entity_key = 'safer.csv'")  # fmt: skip
    assert actor == "lead@wyvernvale.example"
