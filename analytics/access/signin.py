"""Signing in, and the sessions that follow: all in the accounts store, never a warehouse write.

**One answer, the same work.** A wrong password, an address with no account, a disabled
account and a locked one all get :data:`NOT_RECOGNISED`, after the same work: one read of the
store, exactly one argon2id verification (an address with no password is checked against a
dummy hash), one write of the attempt. Nothing returns early.

**Lock-out by account.** Five wrong passwords in a row lock the account for 15 minutes
(``sessions.LOCK_AFTER_FAILURES``, ``sessions.LOCK_FOR``); while locked even the right
password is refused, with the same answer. An administrator clears it by setting the password.

**Throttling by address.** An address (``clients.client_address``) that has made
``clients.failures_allowed()`` failed sign-ins (default 30 in 15 minutes) is refused outright,
without a password check or a write, until the oldest leaves the window: a flood costs one
indexed read per try. That answer names the address's failures, never an account.

Every attempt is a row of ``signin_attempt``; sign-ins, failures, lock-outs, throttling and
sign-outs go in ``access_log`` (the Audit page and ``lsp audit`` show it). No password, hash
or token is ever written to either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from analytics.access import User, clients, passwords, sessions
from analytics.warehouse.accounts import (
    NOT_RECOGNISED,
    find_account,
    normalise_email,
    now_local,
    store_for,
    user_of,
)

THROTTLED = (
    "Too many failed sign-ins have come from your network in the last {minutes:g} minutes, "
    "so sign-in is paused there for a while. Try again later, or ask an administrator."
)
NO_SUCH_ACCOUNT = "(no such account)"  # the access log's actor for an unknown address
KEEP_ATTEMPTS = timedelta(days=1)


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: the user and their new session token, or a message."""

    user: User | None
    token: str | None
    message: str | None


def _access(tx, actor: str, event: str, detail: dict | None = None) -> None:
    tx.run(
        "INSERT INTO access_log (logged_at, actor, event, detail) VALUES (?, ?, ?, ?)",
        [datetime.now(), actor, event, json.dumps(detail or {}, default=str, sort_keys=True)],
    )


def sign_in(
    path, email: str, password: str, now: datetime | None = None, client: str = clients.LOOPBACK
) -> SignIn:
    """Check a password from ``client`` (an address). Success starts a session (its token is
    returned once and only its hash kept); anything else gets :data:`NOT_RECOGNISED`, or
    :data:`THROTTLED` when the address has failed too often."""
    now = now or now_local()
    email = normalise_email(email)
    store = store_for(path)
    limit, window = clients.failures_allowed()
    with store.read() as tx:
        [failures] = tx.row(
            "SELECT count(*) FROM signin_attempt WHERE client_address = ? AND attempted_at > ?"
            " AND outcome <> 'ok'",
            [client, now - window],
        )
        throttled = failures >= limit
        row = None if throttled else tx.row(
            "SELECT account_id, password_hash, is_disabled, locked_until FROM account"
            " WHERE email = ?",
            [email],
        )  # fmt: skip
    if throttled:
        return SignIn(None, None, THROTTLED.format(minutes=window.total_seconds() / 60))
    account_id, stored, disabled, locked_until = row or (None, None, False, None)
    good = passwords.verify_password(stored, password)  # always exactly one argon2id check
    if row is None:
        outcome = "unknown"
    elif disabled:
        outcome = "disabled"
    elif locked_until is not None and locked_until > now:
        outcome = "locked"
    else:
        outcome = "ok" if good else "wrong"
    token = sessions.new_token() if outcome == "ok" else None
    rehashed = None
    if token and passwords.needs_rehash(stored):
        rehashed = passwords.hash_password(password)
    seen = {"client": client}
    with store.write(changes_access=False) as tx:
        tx.run(
            "INSERT INTO signin_attempt (attempted_at, client_address, account_id, outcome)"
            " VALUES (?, ?, ?, ?)",
            [now, client, account_id, outcome],
        )
        tx.run("DELETE FROM signin_attempt WHERE attempted_at < ?", [now - KEEP_ATTEMPTS])
        if outcome == "ok":
            tx.run(
                "UPDATE account SET failed_attempts = 0, locked_until = NULL,"
                " last_signed_in_at = ?, password_hash = coalesce(?, password_hash)"
                " WHERE account_id = ?",
                [now, rehashed, account_id],
            )
            tx.run(
                "INSERT INTO account_session (token_sha256, account_id, source, created_at,"
                " last_seen_at) VALUES (?, ?, 'password', ?, ?)",
                [sessions.token_hash(token), account_id, now, now],
            )
            _access(tx, email, "sign in", {"source": "password", **seen})
            return SignIn(user_of(tx, account_id, "password"), token, None)
        if outcome == "wrong":
            [count] = tx.row(
                "UPDATE account SET failed_attempts = failed_attempts + 1 WHERE account_id = ?"
                " RETURNING failed_attempts",
                [account_id],
            )
            if count >= sessions.LOCK_AFTER_FAILURES:
                until = now + sessions.LOCK_FOR
                tx.run(
                    "UPDATE account SET failed_attempts = 0, locked_until = ? WHERE account_id = ?",
                    [until, account_id],
                )
                _access(tx, email, "locked", {"failed_attempts": count, "until": until, **seen})
            else:
                _access(tx, email, "sign-in failed", {"failed_attempts": count, **seen})
        elif outcome == "unknown":
            _access(tx, NO_SUCH_ACCOUNT, "sign-in failed", seen)
        else:
            _access(tx, email, "sign-in refused", {"reason": outcome, **seen})
        if failures + 1 == limit:
            _access(tx, f"client {client}", "address throttled",
                    {"failures": limit, "minutes": window.total_seconds() / 60})  # fmt: skip
    return SignIn(None, None, NOT_RECOGNISED)


def sso_sign_in(path, email: str, now: datetime | None = None) -> User | None:
    """The account for an identity-provider email (its role from the store, never from the
    token); None, and logged, when there is no such active account."""
    now = now or now_local()
    user = find_account(path, email)
    with store_for(path).write(changes_access=False) as tx:
        if user is None:
            _access(tx, normalise_email(email), "sign-in refused", {"reason": "no account",
                                                                   "source": "sso"})  # fmt: skip
            return None
        tx.run("UPDATE account SET last_signed_in_at = ? WHERE account_id = ?", [now, user.user_id])
        _access(tx, user.email, "sign in", {"source": "sso"})
    return user


# --- Sessions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionState:
    """A session as stored: whether it may go on, and when it was last written as seen."""

    account_id: int
    active: bool
    reason: str | None  # why not: signed out | idle | disabled
    last_seen_at: datetime


# (store, key) -> (store generation, read at, row): what a rerun reuses for RECHECK_AFTER
_read: dict[tuple[int, str], tuple[int, datetime, tuple | None]] = {}


def _cached(store, key: str, now: datetime, read):
    slot = (id(store), key)
    generation = store.generation
    hit = _read.get(slot)
    if (
        hit is not None
        and hit[0] == generation
        and timedelta(0) <= now - hit[1] < sessions.RECHECK_AFTER
    ):
        return hit[2]
    with store.read() as tx:
        row = read(tx)
    if len(_read) > 10_000:
        _read.clear()
    _read[slot] = (generation, now, row)
    return row


def session_state(path, token_sha256: str, now: datetime | None = None) -> SessionState | None:
    """The session and its account (None: no such session): read from the store at most
    every ``sessions.RECHECK_AFTER`` (and after this process changes an account)."""
    now = now or now_local()
    row = _cached(
        store_for(path),
        f"session:{token_sha256}",
        now,
        lambda tx: tx.row(
            "SELECT s.account_id, s.ended_reason, s.ended_at, s.last_seen_at, a.is_disabled"
            " FROM account_session s JOIN account a ON a.account_id = s.account_id"
            " WHERE s.token_sha256 = ?",
            [token_sha256],
        ),
    )
    if row is None:
        return None
    account_id, ended_reason, ended_at, stored_seen, disabled = row
    last_seen = sessions.LAST_SEEN.last(token_sha256, stored_seen)
    if ended_at is not None:
        return SessionState(account_id, False, ended_reason or "signed out", last_seen)
    if disabled:
        return SessionState(account_id, False, "disabled", last_seen)
    if sessions.is_idle(last_seen, now):
        return SessionState(account_id, False, "idle", last_seen)
    return SessionState(account_id, True, None, stored_seen)


def account_active(path, account_id: int, now: datetime | None = None) -> bool:
    """Whether an account may still act (not disabled): asked at every rerun of a single
    sign-on session, which has no stored session; read as seldom as a session."""
    row = _cached(
        store_for(path),
        f"account:{account_id}",
        now or now_local(),
        lambda tx: tx.row("SELECT is_disabled FROM account WHERE account_id = ?", [account_id]),
    )
    return row is not None and not row[0]


def resume_session(path, token: str, now: datetime | None = None) -> User | None:
    """The user of a session cookie, if that session may go on (a new tab, a reload)."""
    now = now or now_local()
    digest = sessions.token_hash(token)
    state = session_state(path, digest, now)
    if state is None:
        return None
    if not state.active:
        if state.reason in ("idle", "disabled"):
            end_session(path, digest, state.reason, now)
        return None
    seen_session(path, digest, state, now)
    with store_for(path).read() as tx:
        return user_of(tx, state.account_id, "password")


def seen_session(path, token_sha256: str, state: SessionState, now: datetime) -> None:
    """A session was used: noted in memory; written to the store at most every
    ``sessions.TOUCH_INTERVAL``."""
    if sessions.LAST_SEEN.seen(token_sha256, now, state.last_seen_at):
        with store_for(path).write(changes_access=False) as tx:
            tx.run(
                "UPDATE account_session SET last_seen_at = ? WHERE token_sha256 = ?"
                " AND ended_at IS NULL",
                [now, token_sha256],
            )


def end_session(path, token_sha256: str, reason: str = "signed out", now=None) -> None:
    """End a session (sign-out, idle, disabled); logged once."""
    now = now or now_local()
    sessions.LAST_SEEN.forget(token_sha256)
    with store_for(path).write() as tx:
        row = tx.row(
            "SELECT a.email FROM account_session s JOIN account a ON a.account_id = s.account_id"
            " WHERE s.token_sha256 = ? AND s.ended_at IS NULL",
            [token_sha256],
        )
        if row is None:
            return
        tx.run(
            "UPDATE account_session SET ended_at = ?, ended_reason = ? WHERE token_sha256 = ?",
            [now, reason, token_sha256],
        )
        _access(tx, row[0], "sign out" if reason == "signed out" else f"session ended ({reason})")
