"""Sign-in as an attacker would try it (issue 18, item 5), against the accounts store in
SQLite and in a real PostgreSQL:

- enumeration: an unknown address, a wrong password, a locked and a disabled account get one
  answer after the same work (one argon2id check, the same rows written);
- lock-out by account, seen by the administrator and cleared by `lsp user passwd`;
- throttling by client address, which a forged X-Forwarded-For does not dodge; the header is
  believed only from a proxy named in LSP_TRUSTED_PROXIES;
- no sign-in, failure, lock-out, sign-out or session touch writes to the warehouse;
- tampered, replayed and disabled-account cookies, and the cookie routes without XSRF.
"""

from __future__ import annotations

import asyncio
import json
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import streamlit as st
from streamlit.runtime.context import StreamlitHeaders
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

from analytics.access import clients, passwords, sessions, signin
from analytics.access.signin import NO_SUCH_ACCOUNT, THROTTLED
from analytics.cli import main
from analytics.demo.spec import DEMO_PASSWORD
from analytics.warehouse import accounts
from analytics.warehouse.accounts import NOT_RECOGNISED
from analytics.warehouse.connection import ENV_VAR, close_readers, data_version, snapshot_dir
from tests.conftest import ACTING, store_counts, store_rows
from tests.pages.signin_app import app_script
from tests.pages.test_access_pages import _sign_in, _texts
from ui import auth, auth_routes

T0 = datetime(2026, 12, 1, 9, 0, 0)
BOARD = "board@wyvernvale.example"
OFFICER = "officer@wyvernvale.example"
SCRUTINY = "scrutiny@wyvernvale.example"
ATTACKER = "203.0.113.66"


@pytest.fixture
def argon2_work(monkeypatch):
    """Every argon2id verification and hash done, in order."""
    done: list[str] = []
    real = passwords._HASHER

    class Counting:
        def verify(self, stored, password):
            done.append("verify")
            return real.verify(stored, password)

        def hash(self, password):
            done.append("hash")
            return real.hash(password)

        def check_needs_rehash(self, stored):
            return real.check_needs_rehash(stored)

    monkeypatch.setattr(passwords, "_HASHER", Counting())
    return done


def _changes(path, attempt) -> dict[str, int]:
    """Rows added to each store table by ``attempt()``."""
    before = store_counts(path)
    attempt()
    after = store_counts(path)
    return {t: after[t] - before[t] for t in after if after[t] != before[t]}


def _warehouse_state(path) -> tuple:
    """What any warehouse commit would change: the data version, the snapshots, the main file."""
    st_ = os.stat(path)
    snapshots = sorted(p.name for p in snapshot_dir(path).glob("*.duckdb"))
    return data_version(path), snapshots, st_.st_mtime_ns, st_.st_size


# --- Enumeration -------------------------------------------------------------------------------


def test__enumeration__unknown_wrong_locked_and_disabled_get_one_answer_after_the_same_work(
    accounts_copy, argon2_work
):
    path = accounts_copy
    for i in range(sessions.LOCK_AFTER_FAILURES):  # lock the officer (from another address)
        signin.sign_in(path, OFFICER, "not the password", T0 + timedelta(seconds=i), "192.0.2.1")
    accounts.set_disabled(path, SCRUTINY, user=ACTING)
    accounts.add_account(path, "sso.only@wyvernvale.example", "SSO Only", "board", user=ACTING)
    argon2_work.clear()
    tries = {
        "unknown address": ("nobody@wyvernvale.example", DEMO_PASSWORD),
        "wrong password": (BOARD, "not the password"),
        "locked, right password": (OFFICER, DEMO_PASSWORD),
        "disabled, right password": (SCRUTINY, DEMO_PASSWORD),
        "single sign-on only": ("sso.only@wyvernvale.example", DEMO_PASSWORD),
    }
    for what, (email, password) in tries.items():
        result = None

        def attempt(email=email, password=password):
            nonlocal result
            result = signin.sign_in(path, email, password, T0 + timedelta(minutes=1), ATTACKER)

        changed = _changes(path, attempt)
        assert (result.user, result.token, result.message) == (None, None, NOT_RECOGNISED), what
        assert argon2_work == ["verify"], what  # exactly one argon2id check, never skipped
        assert changed == {"signin_attempt": 1, "access_log": 1}, what  # the same writes
        argon2_work.clear()
    right = signin.sign_in(path, BOARD, DEMO_PASSWORD, T0 + timedelta(minutes=1), ATTACKER)
    assert right.user is not None and argon2_work == ["verify"]


def test__enumeration__the_sign_in_page_says_the_same_for_a_locked_account(demo_copy, monkeypatch):
    for _ in range(sessions.LOCK_AFTER_FAILURES):
        signin.sign_in(demo_copy, OFFICER, "not the password", accounts.now_local())
    monkeypatch.setenv(ENV_VAR, str(demo_copy))
    close_readers()
    script = app_script(demo_copy.parent)
    locked = _sign_in(AppTest.from_file(str(script), default_timeout=90).run(), OFFICER,
                      DEMO_PASSWORD)  # fmt: skip
    unknown = _sign_in(AppTest.from_file(str(script), default_timeout=90).run(),
                       "nobody@wyvernvale.example", DEMO_PASSWORD)  # fmt: skip
    assert [e.value for e in locked.error] == [e.value for e in unknown.error] == [NOT_RECOGNISED]
    assert _texts(locked) == _texts(unknown) and "locked" not in _texts(locked).lower()


# --- Lock-out by account ---------------------------------------------------------------------


def test__lock_out__five_failures_lock_for_15_minutes_and_the_administrator_sees_and_clears_it(
    accounts_copy, monkeypatch, capsys
):
    path = accounts_copy
    now = accounts.now_local()  # the Users list judges a lock by the clock
    for _ in range(sessions.LOCK_AFTER_FAILURES):
        signin.sign_in(path, BOARD, "not the password", now, ATTACKER)
    assert signin.sign_in(path, BOARD, DEMO_PASSWORD, now, "192.0.2.7").user is None
    assert accounts.list_accounts(path).set_index("email").loc[BOARD, "state"] == "locked"
    trail = accounts.audit_trail(path, actor=BOARD)
    assert {"access locked", "access sign-in refused", "access sign-in failed"} <= set(
        trail["kind"]
    )
    assert '"reason": "locked"' in trail.loc[trail["kind"] == "access sign-in refused",
                                             "detail"].iloc[0]  # fmt: skip
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a fresh long passphrase\n"))
    assert main(["--warehouse", str(path), "user", "passwd", BOARD, "--password-stdin"]) == 0
    assert "lock-out cleared" in capsys.readouterr().out
    assert signin.sign_in(path, BOARD, "a fresh long passphrase", now, "192.0.2.7").user
    later = signin.sign_in(path, OFFICER, DEMO_PASSWORD, now + sessions.LOCK_FOR, ATTACKER)
    assert later.user is not None  # the attacker's address is not throttled by 5 failures


# --- Throttling by client address --------------------------------------------------------------


def test__throttle__an_address_that_failed_too_often_is_refused_without_a_check_or_a_write(
    accounts_copy, monkeypatch, argon2_work
):
    path = accounts_copy
    monkeypatch.setenv(clients.FAILURES_ENV, "3")
    monkeypatch.setenv(clients.WINDOW_ENV, "10")
    for i, email in enumerate(["a@wyvernvale.example", "b@wyvernvale.example", BOARD]):
        result = signin.sign_in(path, email, "guess", T0 + timedelta(seconds=i), ATTACKER)
        assert result.message == NOT_RECOGNISED
    argon2_work.clear()
    before = store_counts(path)
    refused = signin.sign_in(path, OFFICER, DEMO_PASSWORD, T0 + timedelta(minutes=1), ATTACKER)
    assert refused.user is None and refused.message == THROTTLED.format(minutes=10)
    assert argon2_work == [] and store_counts(path) == before  # no check, nothing written
    elsewhere = signin.sign_in(path, OFFICER, DEMO_PASSWORD, T0 + timedelta(minutes=1),
                               "198.51.100.20")  # fmt: skip
    assert elsewhere.user is not None  # another address is not held up
    after = signin.sign_in(path, OFFICER, DEMO_PASSWORD, T0 + timedelta(minutes=11), ATTACKER)
    assert after.user is not None  # the window has passed
    trail = accounts.audit_trail(path, kinds=["access address throttled"])
    assert trail["actor"].tolist() == [f"client {ATTACKER}"]
    unknown = accounts.audit_trail(path, actor=NO_SUCH_ACCOUNT)
    assert len(unknown) == 2 and all(ATTACKER in d for d in unknown["detail"])


def _browser(monkeypatch, remote: str | None, forwarded: list[str]) -> None:
    class Context:
        ip_address = remote
        headers = StreamlitHeaders([("X-Forwarded-For", v) for v in forwarded])

    monkeypatch.setattr(st, "context", Context())


def test__throttle__a_forged_forwarded_header_from_an_untrusted_client_is_ignored(
    accounts_copy, monkeypatch
):
    monkeypatch.setenv(clients.FAILURES_ENV, "3")
    monkeypatch.delenv(clients.TRUSTED_ENV, raising=False)
    monkeypatch.setenv("LSP_WAREHOUSE", str(accounts_copy))
    for i in range(3):
        _browser(monkeypatch, ATTACKER, [f"198.51.100.{i}"])  # a new "address" each time
        assert auth.client_address() == ATTACKER
        signin.sign_in(accounts_copy, BOARD, "guess", T0, auth.client_address())
    _browser(monkeypatch, ATTACKER, ["198.51.100.99"])
    assert signin.sign_in(accounts_copy, OFFICER, DEMO_PASSWORD, T0,
                          auth.client_address()).message.startswith("Too many")  # fmt: skip


def test__trusted_proxy__its_forwarded_header_names_the_client_and_only_its(monkeypatch):
    monkeypatch.setenv(clients.TRUSTED_ENV, "10.0.0.0/8, 127.0.0.1")
    _browser(monkeypatch, "10.1.2.3", ["198.51.100.7"])
    assert auth.client_address() == "198.51.100.7"
    _browser(monkeypatch, None, ["198.51.100.8, 10.9.9.9"])  # a local proxy, then another
    assert auth.client_address() == "198.51.100.8"
    _browser(monkeypatch, "10.1.2.3", ["6.6.6.6, 198.51.100.7"])  # the client's own forgery
    assert auth.client_address() == "198.51.100.7"
    _browser(monkeypatch, "10.1.2.3", ["not-an-address"])
    assert auth.client_address() == "10.1.2.3"
    _browser(monkeypatch, "192.0.2.50", ["198.51.100.7"])  # not a trusted proxy
    assert auth.client_address() == "192.0.2.50"
    monkeypatch.delenv(clients.TRUSTED_ENV)
    _browser(monkeypatch, "10.1.2.3", ["198.51.100.7"])
    assert auth.client_address() == "10.1.2.3"


def test__trusted_proxy__addresses_parsed_and_a_bad_setting_says_what_to_do():
    trusted = clients.trusted_proxies("127.0.0.1 ::1,10.0.0.0/8")
    assert clients.client_address("::ffff:10.0.0.5", ["[2001:db8::1]:4711"], trusted) == (
        "2001:db8::1"
    )
    assert clients.client_address("::1", ["192.0.2.9:5050"], trusted) == "192.0.2.9"
    assert clients.client_address("::1", [], trusted) == "::1"
    with pytest.raises(ValueError, match="LSP_TRUSTED_PROXIES: 'proxy.local' is not an IP"):
        clients.trusted_proxies("proxy.local")


# --- No warehouse commit -----------------------------------------------------------------------


def test__no_warehouse_commit__on_sign_in_failure_lock_out_touch_or_sign_out(
    accounts_copy, monkeypatch
):
    path = accounts_copy
    monkeypatch.setenv(clients.FAILURES_ENV, "8")
    accounts.store_for(path)
    before = _warehouse_state(path)
    for i in range(sessions.LOCK_AFTER_FAILURES + 4):  # failures, a lock-out, then throttled
        signin.sign_in(path, BOARD, "wrong", T0 + timedelta(seconds=i), ATTACKER)
    signin.sign_in(path, "nobody@wyvernvale.example", "wrong", T0, "192.0.2.2")
    result = signin.sign_in(path, OFFICER, DEMO_PASSWORD, T0, "192.0.2.3")
    digest = sessions.token_hash(result.token)
    for minutes in (1, 6, 12):  # each past the touch interval: written to the store
        now = T0 + timedelta(minutes=minutes)
        signin.seen_session(path, digest, signin.session_state(path, digest, now), now)
    assert signin.resume_session(path, result.token, T0 + timedelta(minutes=13)) is not None
    signin.sso_sign_in(path, "lead@wyvernvale.example", T0)
    signin.end_session(path, digest)
    assert _warehouse_state(path) == before
    [(seen,)] = store_rows(path, "SELECT last_seen_at FROM account_session")
    assert seen >= T0 + timedelta(minutes=12)


# --- Cookies -----------------------------------------------------------------------------------


def test__cookie__tampered_replayed_and_disabled_account_tokens_resume_nothing(accounts_copy):
    path = accounts_copy
    now = T0 + timedelta(minutes=1)
    token = signin.sign_in(path, SCRUTINY, DEMO_PASSWORD, T0, "192.0.2.4").token
    assert signin.resume_session(path, token, now).email == SCRUTINY
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert signin.resume_session(path, tampered, now) is None
    assert signin.resume_session(path, sessions.token_hash(token), now) is None  # the hash
    accounts.set_disabled(path, SCRUTINY, user=ACTING)
    assert signin.resume_session(path, token, now) is None
    accounts.set_disabled(path, SCRUTINY, False, user=ACTING)
    assert signin.resume_session(path, token, now) is None  # enabling does not revive it
    other = signin.sign_in(path, BOARD, DEMO_PASSWORD, T0, "192.0.2.4").token
    signin.end_session(path, sessions.token_hash(other))
    assert signin.resume_session(path, other, now) is None  # replayed after sign-out
    ended = dict(store_rows(path, "SELECT token_sha256, ended_reason FROM account_session"))
    assert ended == {sessions.token_hash(token): "disabled",
                     sessions.token_hash(other): "signed out"}  # fmt: skip


def _post(route, path: str, body: dict, cookies: dict, xsrf: str | None):
    from starlette.requests import Request

    headers = [(b"content-type", b"application/json")]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    if xsrf is not None:
        headers.append((b"x-xsrftoken", xsrf.encode()))
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers,
             "scheme": "http", "server": ("testserver", 80), "query_string": b"",
             "client": (ATTACKER, 4242)}  # fmt: skip
    payload = json.dumps(body).encode()

    async def receive():
        return {"type": "http.request", "body": payload, "more_body": False}

    with ThreadPoolExecutor(1) as pool:  # its own event loop, whatever runs in this thread
        return pool.submit(asyncio.run, route(Request(scope, receive))).result()


def test__cookie_routes__a_code_is_used_once_by_its_browser_and_never_without_xsrf(
    accounts_copy, monkeypatch
):
    monkeypatch.setenv("LSP_WAREHOUSE", str(accounts_copy))
    mine, theirs = generate_xsrf_token_string(), generate_xsrf_token_string()
    token = signin.sign_in(accounts_copy, BOARD, DEMO_PASSWORD, T0, "192.0.2.5").token
    code = sessions.issue_handover(token, auth_routes.xsrf_binding(mine), datetime.now())
    session = auth_routes._session
    cookie = {auth_routes.XSRF_COOKIE: mine}
    assert _post(session, auth_routes.SESSION_PATH, {"code": code}, cookie, None).status_code == 403
    other = {auth_routes.XSRF_COOKIE: theirs}
    assert _post(session, auth_routes.SESSION_PATH, {"code": code}, other, theirs).status_code == (
        400
    )  # another browser's XSRF token: the code was spent on that try
    code = sessions.issue_handover(token, auth_routes.xsrf_binding(mine), datetime.now())
    assert _post(session, auth_routes.SESSION_PATH, {"code": code + "x"}, cookie,
                 mine).status_code == 400  # fmt: skip
    ok = _post(session, auth_routes.SESSION_PATH, {"code": code}, cookie, mine)
    assert ok.status_code == 204 and "HttpOnly" in ok.headers["set-cookie"]
    assert _post(session, auth_routes.SESSION_PATH, {"code": code}, cookie, mine).status_code == (
        400
    )  # replayed
    signout = auth_routes._signout
    with_session = {**cookie, sessions.COOKIE_NAME: token}
    assert _post(signout, auth_routes.SIGNOUT_PATH, {}, with_session, None).status_code == 403
    assert signin.resume_session(accounts_copy, token, T0 + timedelta(minutes=1)) is not None
    assert _post(signout, auth_routes.SIGNOUT_PATH, {}, with_session, mine).status_code == 204
    assert signin.resume_session(accounts_copy, token, T0 + timedelta(minutes=1)) is None
