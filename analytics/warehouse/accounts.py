"""Accounts, their roles, sign-in sessions and the audit trail: reads and writes.

Account changes (add, disable, enable, password, role) are writes like any other: they take
the acting :class:`User`, ask :func:`analytics.access.require` for ``users.manage`` (a person
may also change their own password), run inside ``writer()`` and go in the audit log.

Signing in, signing out and a session's last use are not acts on the partnership's data:
they are written to ``access_log`` (shown beside the audit log). They are commits all the
same (each publishes a snapshot), so a session's last use is written at most every 30
minutes (analytics.access.sessions). No password, hash or token is ever written to either
log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from analytics.access import ROLES, Grant, User, passwords, require, sessions
from analytics.warehouse.audit import audit
from analytics.warehouse.connection import data_version, first_row, frame, reader, writer
from analytics.warehouse.partnerships import PartnershipError, find_partnership

NOT_RECOGNISED = "Email or password not recognised."
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A change to accounts that cannot be made; the message says why and what to do."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _access(con, actor: str, event: str, detail: dict | None = None) -> None:
    con.execute(
        "INSERT INTO access_log (actor, event, detail) VALUES (?, ?, ?)",
        [actor, event, json.dumps(detail or {}, default=str, sort_keys=True)],
    )


_schema_ok: set[str] = set()


def ensure_schema(path=None) -> None:
    """Bring a warehouse made before accounts existed up to date (once per process)."""
    from analytics.warehouse.connection import warehouse_path

    key = str(warehouse_path(path).resolve())
    if key in _schema_ok:
        return
    cur = reader(path)
    try:
        missing = not first_row(
            cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'access_log'"
            )
        )[0]
    finally:
        cur.close()
    if missing:
        with writer(path):
            pass  # opening for writing applies the migrations
    _schema_ok.add(key)


# --- Reading accounts ------------------------------------------------------------------------


def _grants(cur, account_id: int) -> tuple[Grant, ...]:
    rows = cur.execute(
        "SELECT role, partnership_id, theme_ids FROM account_grant WHERE account_id = ?"
        " ORDER BY role, partnership_id",
        [account_id],
    ).fetchall()
    return tuple(Grant(role, pid, frozenset(themes or ())) for role, pid, themes in rows)


def _user(cur, account_id: int, source: str) -> User | None:
    row = first_row(
        cur.execute("SELECT email, display_name FROM account WHERE account_id = ?", [account_id])
    )
    if row is None:
        return None
    return User(row[0], row[1], _grants(cur, account_id), account_id, source)


def account_count(path=None) -> int:
    cur = reader(path)
    try:
        return int(first_row(cur.execute("SELECT count(*) FROM account"))[0])
    finally:
        cur.close()


def list_accounts(path=None) -> pd.DataFrame:
    """Every account with its roles and theme groups (never a password hash)."""
    cur = reader(path)
    try:
        return frame(
            cur,
            """
            WITH g AS (
                SELECT g.account_id,
                       string_agg(g.role || CASE WHEN p.partnership_code IS NULL THEN ''
                                  ELSE ' (' || p.partnership_code || ')' END, ', '
                                  ORDER BY g.role) AS roles,
                       string_agg(t.name, ', ' ORDER BY t.name) AS theme_groups
                FROM account_grant g
                LEFT JOIN partnership p ON p.partnership_id = g.partnership_id
                LEFT JOIN (SELECT account_id, unnest(theme_ids) AS theme_id
                           FROM account_grant) gt ON gt.account_id = g.account_id
                LEFT JOIN theme t ON t.theme_id = gt.theme_id
                GROUP BY g.account_id)
            SELECT a.email, a.display_name, coalesce(g.roles, '') AS roles,
                   coalesce(g.theme_groups, '') AS theme_groups,
                   CASE WHEN a.is_disabled THEN 'disabled'
                        WHEN a.locked_until > current_localtimestamp() THEN 'locked'
                        ELSE 'active' END AS state,
                   a.password_hash IS NOT NULL AS has_password,
                   a.created_at, a.last_signed_in_at
            FROM account a LEFT JOIN g USING (account_id)
            ORDER BY a.email""",
        )
    finally:
        cur.close()


def demo_accounts(path=None) -> list[tuple[str, str]]:
    """(email, role) of the demo accounts in this warehouse, when it is the demo (its
    partnership and every demo account present); else empty."""
    from analytics.demo.spec import DEMO_ACCOUNTS, PARTNERSHIP

    cur = reader(path)
    try:
        found = first_row(
            cur.execute(
                "SELECT count(*) FROM partnership WHERE partnership_code = ?",
                [PARTNERSHIP["partnership_code"]],
            )
        )[0]
        emails = [email for email, *_ in DEMO_ACCOUNTS]
        present = {
            r[0]
            for r in cur.execute(
                "SELECT email FROM account WHERE email IN (SELECT unnest(?))", [emails]
            ).fetchall()
        }
    finally:
        cur.close()
    if not found or present != set(emails):
        return []
    return [(email, role) for email, _name, role, _themes in DEMO_ACCOUNTS]


def find_account(path, email: str) -> User | None:
    """The account with this email (any case), as a :class:`User`; None if there is none
    or it is disabled."""
    cur = reader(path)
    try:
        row = first_row(
            cur.execute(
                "SELECT account_id FROM account WHERE email = ? AND NOT is_disabled",
                [normalise_email(email)],
            )
        )
        return None if row is None else _user(cur, row[0], "sso")
    finally:
        cur.close()


# --- Changing accounts -----------------------------------------------------------------------


def _partnership(path, text: str | None) -> int | None:
    """The partnership a role holds in (None: every one), by the product's one lookup."""
    if text is None:
        return None
    try:
        return find_partnership(path, text).id
    except PartnershipError as exc:
        raise AccountError(str(exc)) from None


def _themes(con, names: list[str], partnership_id: int | None) -> frozenset[int]:
    ids = set()
    for name in names:
        rows = con.execute(
            "SELECT theme_id FROM theme WHERE (lower(name) = lower(?) OR lower(short_name) ="
            " lower(?) OR CAST(theme_id AS VARCHAR) = ?) AND (? IS NULL OR partnership_id = ?)",
            [name, name, name, partnership_id, partnership_id],
        ).fetchall()
        if len(rows) != 1:
            known = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM theme WHERE ? IS NULL OR partnership_id = ? ORDER BY name",
                    [partnership_id, partnership_id],
                ).fetchall()
            ]
            what = "no theme group" if not rows else "several theme groups"
            raise AccountError(
                f"--theme {name!r}: {what} of that name"
                + (" (name the partnership with --partnership)" if rows else "")
                + f"; there are: {'; '.join(known) or 'none yet'}."
            )
        ids.add(int(rows[0][0]))
    return frozenset(ids)


def _check_role(role: str, themes: list[str]) -> None:
    if role not in ROLES:
        raise AccountError(f"There is no role {role!r}; the roles are: {', '.join(ROLES)}.")
    if role == "theme_lead" and not themes:
        raise AccountError("A theme lead needs their theme group(s): add --theme NAME.")
    if role != "theme_lead" and themes:
        raise AccountError("Only a theme lead has theme groups; leave out --theme.")


def add_account(
    path,
    email: str,
    display_name: str,
    role: str,
    *,
    user: User,
    themes: list[str] | tuple[str, ...] = (),
    partnership: str | None = None,
    password: str | None = None,
) -> User:
    """Create an account with one role (in one partnership, or in all when None).

    ``password`` None: the account signs in only through single sign-on.
    """
    require(user, "users.manage", None)
    email = normalise_email(email)
    display_name = (display_name or "").strip()
    if not _EMAIL_RE.match(email):
        raise AccountError(f"{email!r} is not an email address (name@example.org).")
    if not display_name:
        raise AccountError("Give the person's name (--name).")
    themes = list(themes)
    _check_role(role, themes)
    if password is not None:
        try:
            passwords.check_password(password, email=email, display_name=display_name)
        except passwords.PasswordRejected as exc:
            raise AccountError(str(exc)) from None
    hashed = None if password is None else passwords.hash_password(password)
    partnership_id = _partnership(path, partnership)
    with writer(path) as con:
        if first_row(con.execute("SELECT 1 FROM account WHERE email = ?", [email])):
            raise AccountError(f"There is already an account for {email}.")
        theme_ids = _themes(con, themes, partnership_id)
        account_id = first_row(
            con.execute(
                "INSERT INTO account (email, display_name, password_hash, password_set_at)"
                " VALUES (?, ?, ?, CASE WHEN ? THEN current_localtimestamp() END)"
                " RETURNING account_id",
                [email, display_name, hashed, hashed is not None],
            )
        )[0]
        con.execute(
            "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
            " VALUES (?, ?, ?, ?)",
            [account_id, role, partnership_id, sorted(theme_ids)],
        )
        audit(
            con,
            "add",
            "account",
            email,
            {"role": role, "partnership_id": partnership_id, "theme_ids": sorted(theme_ids),
             "sign_in": "password" if hashed else "single sign-on only"},
            actor=user.actor,
        )  # fmt: skip
        added = _user(con, account_id, "password")
    return added


def _account_id(con, email: str) -> int:
    row = first_row(
        con.execute("SELECT account_id FROM account WHERE email = ?", [normalise_email(email)])
    )
    if row is None:
        raise AccountError(f"There is no account for {normalise_email(email)}.")
    return int(row[0])


def set_disabled(path, email: str, disabled: bool = True, *, user: User) -> None:
    """Disable an account (its sessions end at their next page rerun) or enable it again."""
    require(user, "users.manage", None)
    if disabled and normalise_email(email) == user.email:
        raise AccountError("You cannot disable your own account; ask another administrator.")
    with writer(path) as con:
        account_id = _account_id(con, email)
        con.execute(
            "UPDATE account SET is_disabled = ?, failed_attempts = 0, locked_until = NULL"
            " WHERE account_id = ?",
            [disabled, account_id],
        )
        if disabled:
            con.execute(
                "UPDATE account_session SET ended_at = current_localtimestamp(),"
                " ended_reason = 'disabled' WHERE account_id = ? AND ended_at IS NULL",
                [account_id],
            )
        audit(con, "disable" if disabled else "enable", "account", normalise_email(email),
              actor=user.actor)  # fmt: skip


def set_role(
    path,
    email: str,
    role: str,
    *,
    user: User,
    themes: list[str] | tuple[str, ...] = (),
    partnership: str | None = None,
) -> None:
    """Replace an account's role (in one partnership, or all when None)."""
    require(user, "users.manage", None)
    themes = list(themes)
    _check_role(role, themes)
    partnership_id = _partnership(path, partnership)
    with writer(path) as con:
        account_id = _account_id(con, email)
        theme_ids = _themes(con, themes, partnership_id)
        con.execute("DELETE FROM account_grant WHERE account_id = ?", [account_id])
        con.execute(
            "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
            " VALUES (?, ?, ?, ?)",
            [account_id, role, partnership_id, sorted(theme_ids)],
        )
        audit(con, "role", "account", normalise_email(email),
              {"role": role, "partnership_id": partnership_id, "theme_ids": sorted(theme_ids)},
              actor=user.actor)  # fmt: skip


def set_password(path, email: str, password: str, *, user: User) -> None:
    """Set an account's password (an administrator, or the person themselves); clears a
    lock-out. The old sessions stay: the person is still who they were."""
    if normalise_email(email) != user.email:
        require(user, "users.manage", None)
    with writer(path) as con:
        account_id = _account_id(con, email)
        name = first_row(
            con.execute("SELECT display_name FROM account WHERE account_id = ?", [account_id])
        )[0]
        try:
            passwords.check_password(password, email=normalise_email(email), display_name=name)
        except passwords.PasswordRejected as exc:
            raise AccountError(str(exc)) from None
        con.execute(
            "UPDATE account SET password_hash = ?, password_set_at = current_localtimestamp(),"
            " failed_attempts = 0, locked_until = NULL WHERE account_id = ?",
            [passwords.hash_password(password), account_id],
        )
        audit(con, "password", "account", normalise_email(email), actor=user.actor)


# --- Signing in ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to: the user and their new session token, or a message."""

    user: User | None
    token: str | None
    message: str | None


def sign_in(path, email: str, password: str, now: datetime | None = None) -> SignIn:
    """Check a password. Success starts a session (its token is returned once and only its
    hash kept). Five failures in a row lock the account for 15 minutes. Whichever of email
    and password was wrong, the message is the same."""
    now = now or _now()
    email = normalise_email(email)
    cur = reader(path)
    try:
        row = first_row(
            cur.execute(
                "SELECT account_id, password_hash, is_disabled, failed_attempts, locked_until"
                " FROM account WHERE email = ?",
                [email],
            )
        )
    finally:
        cur.close()
    if row is None:
        passwords.verify_password(None, password)  # as slow as a real check
        return SignIn(None, None, NOT_RECOGNISED)
    account_id, stored, disabled, failures, locked_until = row
    if locked_until is not None and locked_until > now:
        with writer(path) as con:
            _access(con, email, "sign-in refused", {"reason": "locked"})
        return SignIn(
            None,
            None,
            "This account is locked for 15 minutes after 5 failed sign-ins "
            f"(until {locked_until:%H:%M}). Try again then, or ask an administrator.",
        )
    good = passwords.verify_password(stored, password) and not disabled
    with writer(path) as con:
        if not good:
            failures = int(failures or 0) + 1
            if failures >= sessions.LOCK_AFTER_FAILURES:
                con.execute(
                    "UPDATE account SET failed_attempts = 0, locked_until = ? WHERE account_id = ?",
                    [now + sessions.LOCK_FOR, account_id],
                )
                _access(con, email, "locked", {"failed_attempts": failures,
                                               "until": now + sessions.LOCK_FOR})  # fmt: skip
            else:
                con.execute(
                    "UPDATE account SET failed_attempts = ? WHERE account_id = ?",
                    [failures, account_id],
                )
                _access(con, email, "sign-in failed", {"failed_attempts": failures})
            return SignIn(None, None, NOT_RECOGNISED)
        token = sessions.new_token()
        con.execute(
            "UPDATE account SET failed_attempts = 0, locked_until = NULL,"
            " last_signed_in_at = ? WHERE account_id = ?",
            [now, account_id],
        )
        if passwords.needs_rehash(stored):
            con.execute(
                "UPDATE account SET password_hash = ? WHERE account_id = ?",
                [passwords.hash_password(password), account_id],
            )
        con.execute(
            "INSERT INTO account_session (token_sha256, account_id, source, created_at,"
            " last_seen_at) VALUES (?, ?, 'password', ?, ?)",
            [sessions.token_hash(token), account_id, now, now],
        )
        _access(con, email, "sign in", {"source": "password"})
        user = _user(con, account_id, "password")
    return SignIn(user, token, None)


def sso_sign_in(path, email: str, now: datetime | None = None) -> User | None:
    """The account for an identity-provider email (its role from the warehouse, never from
    the token); None, and logged, when there is no such active account."""
    now = now or _now()
    user = find_account(path, email)
    with writer(path) as con:
        if user is None:
            _access(con, normalise_email(email), "sign-in refused", {"reason": "no account",
                                                                    "source": "sso"})  # fmt: skip
            return None
        con.execute(
            "UPDATE account SET last_signed_in_at = ? WHERE account_id = ?", [now, user.user_id]
        )
        _access(con, user.email, "sign in", {"source": "sso"})
    return user


@dataclass(frozen=True)
class SessionState:
    """A session as stored: whether it may go on, and when it was last written as seen."""

    account_id: int
    active: bool
    reason: str | None  # why not: signed out | idle | disabled
    last_seen_at: datetime


_session_rows: dict[str, tuple[int, tuple | None]] = {}


def _session_row(path, token_sha256: str) -> tuple | None:
    """The stored session and its account's disabled flag, read once per data version: any
    change to either is a commit, which makes a new version (so a rerun costs no query)."""
    version = data_version(path)
    cached = _session_rows.get(token_sha256)
    if cached is not None and cached[0] == version:
        return cached[1]
    cur = reader(path)
    try:
        row = first_row(
            cur.execute(
                "SELECT s.account_id, s.ended_reason, s.ended_at IS NOT NULL, s.last_seen_at,"
                " a.is_disabled FROM account_session s JOIN account a USING (account_id)"
                " WHERE s.token_sha256 = ?",
                [token_sha256],
            )
        )
    finally:
        cur.close()
    if len(_session_rows) > 10_000:
        _session_rows.clear()
    _session_rows[token_sha256] = (version, row)
    return row


def session_state(path, token_sha256: str, now: datetime | None = None) -> SessionState | None:
    """The session and its account (None: no such session); one read per data version."""
    now = now or _now()
    row = _session_row(path, token_sha256)
    if row is None:
        return None
    account_id, ended_reason, ended, stored_seen, disabled = row
    last_seen = sessions.LAST_SEEN.last(token_sha256, stored_seen)
    if ended:
        return SessionState(account_id, False, ended_reason or "signed out", last_seen)
    if disabled:
        return SessionState(account_id, False, "disabled", last_seen)
    if sessions.is_idle(last_seen, now):
        return SessionState(account_id, False, "idle", last_seen)
    return SessionState(account_id, True, None, stored_seen)


def account_active(path, account_id: int) -> bool:
    """Whether an account may still act (not disabled): asked at every rerun of an SSO
    session, which has no stored session row."""
    cur = reader(path)
    try:
        row = first_row(
            cur.execute("SELECT is_disabled FROM account WHERE account_id = ?", [account_id])
        )
    finally:
        cur.close()
    return row is not None and not row[0]


def resume_session(path, token: str, now: datetime | None = None) -> User | None:
    """The user of a session cookie, if that session may go on (a new tab, a reload)."""
    now = now or _now()
    digest = sessions.token_hash(token)
    state = session_state(path, digest, now)
    if state is None:
        return None
    if not state.active:
        if state.reason in ("idle", "disabled"):
            end_session(path, digest, state.reason, now)
        return None
    seen_session(path, digest, state, now)
    cur = reader(path)
    try:
        return _user(cur, state.account_id, "password")
    finally:
        cur.close()


def seen_session(path, token_sha256: str, state: SessionState, now: datetime) -> None:
    """A session was used: noted in memory; written at most every few minutes."""
    if sessions.LAST_SEEN.seen(token_sha256, now, state.last_seen_at):
        with writer(path) as con:
            con.execute(
                "UPDATE account_session SET last_seen_at = ? WHERE token_sha256 = ?"
                " AND ended_at IS NULL",
                [now, token_sha256],
            )


def end_session(path, token_sha256: str, reason: str = "signed out", now=None) -> None:
    """End a session (sign-out, idle, disabled); logged once."""
    now = now or _now()
    sessions.LAST_SEEN.forget(token_sha256)
    with writer(path) as con:
        row = first_row(
            con.execute(
                "SELECT a.email FROM account_session s JOIN account a USING (account_id)"
                " WHERE s.token_sha256 = ? AND s.ended_at IS NULL",
                [token_sha256],
            )
        )
        if row is None:
            return
        con.execute(
            "UPDATE account_session SET ended_at = ?, ended_reason = ? WHERE token_sha256 = ?",
            [now, reason, token_sha256],
        )
        _access(con, row[0], "sign out" if reason == "signed out" else f"session ended ({reason})")


# --- The audit trail -------------------------------------------------------------------------


def audit_trail(
    path=None,
    *,
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    kinds: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Who did what and when, latest first: every write (``audit_log``) and every sign-in,
    failure, lock-out and sign-out (``access_log``). ``kinds`` filters on ``kind``
    (``entity event``, e.g. ``return commit``, ``access sign in``)."""
    cur = reader(path)
    try:
        trail = frame(
            cur,
            """
            SELECT logged_at, actor, entity || ' ' || event AS kind, entity_key AS subject,
                   detail
            FROM audit_log
            UNION ALL
            SELECT logged_at, actor, 'access ' || event AS kind, NULL AS subject, detail
            FROM access_log
            ORDER BY logged_at DESC""",
        )
    finally:
        cur.close()
    keep = pd.Series(True, index=trail.index)
    if since is not None:
        keep &= trail["logged_at"] >= pd.Timestamp(since)
    if until is not None:
        keep &= trail["logged_at"] < pd.Timestamp(until) + pd.Timedelta(days=1)
    if actor:
        keep &= trail["actor"] == actor
    if kinds:
        keep &= trail["kind"].isin(list(kinds))
    return trail[keep].reset_index(drop=True)
