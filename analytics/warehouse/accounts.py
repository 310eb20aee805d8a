"""Accounts and their roles, and the merged audit trail: reads and writes.

Accounts live in the accounts store (``analytics.authstore``: a SQLite file beside the
warehouse, or PostgreSQL), not in the warehouse; this module joins the two where a grant
names the warehouse's partnerships and theme groups. Account changes (add, disable, enable,
password, role) take the acting :class:`User`, ask :func:`analytics.access.require` for
``users.manage`` (a person may also change their own password) and are audited in the store
(``account_audit``) in the same store transaction; no password or hash is ever written to a
log. Signing in and sessions are ``analytics.access.signin``.

:func:`store_for` is how everything reaches the store: the first time in a process it also
moves a warehouse made before the store existed (``legacy_accounts``).
"""

from __future__ import annotations

import json
import re
import threading
from datetime import date, datetime

import pandas as pd

from analytics.access import ROLES, Grant, User, passwords, require
from analytics.authstore import Store, open_store
from analytics.warehouse import legacy_accounts
from analytics.warehouse.connection import (
    WarehouseError,
    first_row,
    frame,
    reader,
    warehouse_path,
)
from analytics.warehouse.partnerships import PartnershipError, find_partnership

NOT_RECOGNISED = "Email or password not recognised."
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A change to accounts that cannot be made; the message says why and what to do."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def now_local() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- The store, with the warehouse's old accounts moved in once -------------------------------

_move_lock = threading.Lock()


def store_for(path=None) -> Store:
    """The accounts store of this warehouse. The first call in a process moves accounts still
    held by the warehouse (made before the store) into it, and says so on stderr."""
    file = warehouse_path(path)
    store = open_store(file)
    key = f"moved from {file.resolve()}"
    if key in store.done_once:
        return store
    with _move_lock:
        if key not in store.done_once:
            if not file.exists():
                return store  # nothing to move yet: ask again next time
            legacy_accounts.move(store, file)
            store.done_once.add(key)
    return store


def audit_account(tx, actor: str, event: str, subject: str, detail: dict | None = None) -> None:
    tx.run(
        "INSERT INTO account_audit (logged_at, actor, event, subject, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            datetime.now(),
            actor,
            event,
            subject,
            json.dumps(detail or {}, default=str, sort_keys=True),
        ],  # fmt: skip
    )


# --- Reading accounts ------------------------------------------------------------------------


def grants_of(tx, account_id: int) -> tuple[Grant, ...]:
    rows = tx.rows(
        "SELECT role, partnership_id, theme_ids FROM account_grant WHERE account_id = ?"
        " ORDER BY role, partnership_id",
        [account_id],
    )
    return tuple(
        Grant(role, None if pid is None else int(pid), frozenset(json.loads(themes or "[]")))
        for role, pid, themes in rows
    )


def user_of(tx, account_id: int, source: str) -> User | None:
    row = tx.row("SELECT email, display_name FROM account WHERE account_id = ?", [account_id])
    if row is None:
        return None
    return User(row[0], row[1], grants_of(tx, account_id), int(account_id), source)


def account_count(path=None) -> int:
    with store_for(path).read() as tx:
        return int(tx.row("SELECT count(*) FROM account")[0])


def _names(path) -> tuple[dict[int, str], dict[int, str]]:
    """Partnership codes and theme-group names by id, from the warehouse."""
    try:
        cur = reader(path)
    except WarehouseError:
        return {}, {}
    try:
        codes = dict(
            cur.execute("SELECT partnership_id, partnership_code FROM partnership").fetchall()
        )
        themes = dict(cur.execute("SELECT theme_id, name FROM theme").fetchall())
    finally:
        cur.close()
    return codes, themes


def list_accounts(path=None) -> pd.DataFrame:
    """Every account with its roles and theme groups (never a password hash)."""
    store = store_for(path)
    with store.read() as tx:
        accounts = tx.rows(
            "SELECT account_id, email, display_name, is_disabled, locked_until,"
            " password_hash IS NOT NULL, created_at, last_signed_in_at FROM account"
            " ORDER BY email"
        )
        grants = tx.rows(
            "SELECT account_id, role, partnership_id, theme_ids FROM account_grant"
            " ORDER BY role, partnership_id"
        )
    codes, theme_names = _names(path)
    roles: dict[int, list[str]] = {}
    themes: dict[int, set[str]] = {}
    for account_id, role, pid, theme_ids in grants:
        code = codes.get(int(pid)) if pid is not None else None
        roles.setdefault(account_id, []).append(role + (f" ({code})" if code else ""))
        themes.setdefault(account_id, set()).update(
            theme_names.get(t, str(t)) for t in json.loads(theme_ids or "[]")
        )
    now = datetime.now()
    columns = ["email", "display_name", "roles", "theme_groups", "state", "has_password",
               "created_at", "last_signed_in_at"]  # fmt: skip
    rows = [
        (
            email,
            name,
            ", ".join(roles.get(account_id, [])),
            ", ".join(sorted(themes.get(account_id, set()))),
            "disabled" if disabled else ("locked" if locked and locked > now else "active"),
            bool(has_password),
            created,
            signed,
        )
        for account_id, email, name, disabled, locked, has_password, created, signed in accounts
    ]
    listing = pd.DataFrame(rows, columns=columns)
    for column in ("created_at", "last_signed_in_at"):
        listing[column] = pd.to_datetime(listing[column])
    return listing


def contacts(path, partnership_id: int) -> pd.DataFrame:
    """Who the collection's e-mails go to in a partnership: every account that is not
    disabled and has a role there (officers, and theme leads with their theme groups; an
    administrator's role in every partnership is not a contact). email, display_name, role,
    theme_ids (a frozenset)."""
    with store_for(path).read() as tx:
        rows = tx.rows(
            "SELECT a.email, a.display_name, g.role, g.partnership_id, g.theme_ids"
            " FROM account a JOIN account_grant g ON g.account_id = a.account_id"
            " WHERE NOT a.is_disabled AND g.role IN ('officer', 'theme_lead')"
            " ORDER BY a.email"
        )
    out = [
        (email, name, role, frozenset(json.loads(themes or "[]")))
        for email, name, role, pid, themes in rows
        if pid is None or int(pid) == int(partnership_id)
    ]
    return pd.DataFrame(out, columns=["email", "display_name", "role", "theme_ids"])


def demo_accounts(path=None) -> list[tuple[str, str]]:
    """(email, role) of the demo accounts of this warehouse, when it is the demo (its
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
    finally:
        cur.close()
    if not found:
        return []
    from analytics.demo.county_spec import COUNTY_ACCOUNTS

    emails = [email for email, *_ in DEMO_ACCOUNTS]
    with store_for(path).read() as tx:
        held = {r[0] for r in tx.rows("SELECT email FROM account")}
    if held & set(emails) != set(emails):
        return []
    # the county's and a district's officers, in a demo built with its county
    county = [(email, role) for email, _name, role, _code in COUNTY_ACCOUNTS if email in held]
    return [(email, role) for email, _name, role, _themes in DEMO_ACCOUNTS] + county


def find_account(path, email: str) -> User | None:
    """The account with this email (any case), as a :class:`User`; None if there is none
    or it is disabled."""
    with store_for(path).read() as tx:
        row = tx.row(
            "SELECT account_id FROM account WHERE email = ? AND NOT is_disabled",
            [normalise_email(email)],
        )
        return None if row is None else user_of(tx, row[0], "sso")


# --- Changing accounts -----------------------------------------------------------------------


def _resolve(path, code: str | None, names: list[str]) -> tuple[int | None, frozenset[int]]:
    """A partnership code or name and theme-group names as the warehouse's ids."""
    if code is None and not names:
        return None, frozenset()
    try:
        cur = reader(path)
    except WarehouseError as exc:
        raise AccountError(str(exc)) from None
    try:
        partnership_id = _partnership(path, code)
        return partnership_id, _themes(cur, names, partnership_id)
    finally:
        cur.close()


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
    partnership_id, theme_ids = _resolve(path, partnership, themes)
    store = store_for(path)
    with store.read() as tx:
        if tx.row("SELECT 1 FROM account WHERE email = ?", [email]):
            raise AccountError(f"There is already an account for {email}.")
    hashed = None if password is None else passwords.hash_password(password)
    now = now_local()
    try:
        with store.write() as tx:
            [account_id] = tx.row(
                "INSERT INTO account (email, display_name, password_hash, created_at,"
                " password_set_at) VALUES (?, ?, ?, ?, ?) RETURNING account_id",
                [email, display_name, hashed, now, now if hashed else None],
            )
            tx.run(
                "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
                " VALUES (?, ?, ?, ?)",
                [account_id, role, partnership_id, json.dumps(sorted(theme_ids))],
            )
            audit_account(tx, user.actor, "add", email,
                          {"role": role, "partnership_id": partnership_id,
                           "theme_ids": sorted(theme_ids),
                           "sign_in": "password" if hashed else "single sign-on only"})  # fmt: skip
            added = user_of(tx, account_id, "password")
    except Exception as exc:
        if store.backend.is_duplicate(exc):  # added by someone else meanwhile
            raise AccountError(f"There is already an account for {email}.") from None
        raise
    return added


def _account_id(tx, email: str) -> int:
    row = tx.row("SELECT account_id FROM account WHERE email = ?", [normalise_email(email)])
    if row is None:
        raise AccountError(f"There is no account for {normalise_email(email)}.")
    return int(row[0])


def set_disabled(path, email: str, disabled: bool = True, *, user: User) -> None:
    """Disable an account (its sessions end at their next page rerun) or enable it again."""
    require(user, "users.manage", None)
    if disabled and normalise_email(email) == user.email:
        raise AccountError("You cannot disable your own account; ask another administrator.")
    now = now_local()
    with store_for(path).write() as tx:
        account_id = _account_id(tx, email)
        tx.run(
            "UPDATE account SET is_disabled = ?, failed_attempts = 0, locked_until = NULL"
            " WHERE account_id = ?",
            [disabled, account_id],
        )
        if disabled:
            tx.run(
                "UPDATE account_session SET ended_at = ?, ended_reason = 'disabled'"
                " WHERE account_id = ? AND ended_at IS NULL",
                [now, account_id],
            )
        audit_account(tx, user.actor, "disable" if disabled else "enable", normalise_email(email))


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
    partnership_id, theme_ids = _resolve(path, partnership, themes)
    with store_for(path).write() as tx:
        account_id = _account_id(tx, email)
        tx.run("DELETE FROM account_grant WHERE account_id = ?", [account_id])
        tx.run(
            "INSERT INTO account_grant (account_id, role, partnership_id, theme_ids)"
            " VALUES (?, ?, ?, ?)",
            [account_id, role, partnership_id, json.dumps(sorted(theme_ids))],
        )
        audit_account(tx, user.actor, "role", normalise_email(email),
                      {"role": role, "partnership_id": partnership_id,
                       "theme_ids": sorted(theme_ids)})  # fmt: skip


def set_password(path, email: str, password: str, *, user: User) -> None:
    """Set an account's password (an administrator, or the person themselves); clears a
    lock-out. The old sessions stay: the person is still who they were."""
    if normalise_email(email) != user.email:
        require(user, "users.manage", None)
    store = store_for(path)
    with store.read() as tx:
        row = tx.row("SELECT display_name FROM account WHERE email = ?", [normalise_email(email)])
    if row is None:
        raise AccountError(f"There is no account for {normalise_email(email)}.")
    try:
        passwords.check_password(password, email=normalise_email(email), display_name=row[0])
    except passwords.PasswordRejected as exc:
        raise AccountError(str(exc)) from None
    hashed = passwords.hash_password(password)
    with store.write() as tx:
        account_id = _account_id(tx, email)
        tx.run(
            "UPDATE account SET password_hash = ?, password_set_at = ?, failed_attempts = 0,"
            " locked_until = NULL WHERE account_id = ?",
            [hashed, now_local(), account_id],
        )
        audit_account(tx, user.actor, "password", normalise_email(email))


# --- The audit trail -------------------------------------------------------------------------

_TRAIL_COLUMNS = ["logged_at", "actor", "kind", "subject", "detail"]


def audit_trail(
    path=None,
    *,
    since: date | None = None,
    until: date | None = None,
    actor: str | None = None,
    kinds: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Who did what and when, latest first: every write to the warehouse (its
    ``audit_log``), every account change and every sign-in, failure, lock-out and sign-out
    (the accounts store). ``kinds`` filters on ``kind`` (``entity event``, e.g.
    ``return commit``, ``account add``, ``access sign in``)."""
    store = store_for(path)
    cur = reader(path)
    try:
        data = frame(
            cur,
            "SELECT logged_at, actor, entity || ' ' || event AS kind, entity_key AS subject,"
            " detail FROM audit_log ORDER BY audit_id",
        )
    finally:
        cur.close()
    with store.read() as tx:
        access = tx.rows(
            "SELECT logged_at, actor, 'account ' || event, subject, detail FROM account_audit"
            " ORDER BY audit_id"
        ) + tx.rows(
            "SELECT logged_at, actor, 'access ' || event, NULL, detail FROM access_log"
            " ORDER BY access_id"
        )
    trail = pd.concat(
        [frame_ for frame_ in (data, pd.DataFrame(access, columns=_TRAIL_COLUMNS)) if len(frame_)]
        or [data],
        ignore_index=True,
    )
    trail["logged_at"] = pd.to_datetime(trail["logged_at"])
    # latest first; entries made in the same instant: the one written last first
    trail = trail.iloc[::-1].sort_values("logged_at", ascending=False, kind="stable")
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
