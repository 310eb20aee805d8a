"""The accounts store's tables, by numbered migrations (the same DDL for both back-ends).

``{id}`` stands for an auto-numbered primary key, the one thing SQLite and PostgreSQL spell
differently. Timestamps are written by the application (local time, no time zone), never by a
column default, so both back-ends hold the same values. Theme groups are a JSON list of the
warehouse's theme ids; a grant's partnership is the warehouse's partnership id: the store
holds no copy of the partnership's data, only who may sign in and with which role.

Passwords are kept only as argon2id hashes, session tokens only as SHA-256 hashes.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "accounts",
        """
CREATE TABLE account (
    account_id        {id},
    email             TEXT NOT NULL UNIQUE,  -- stored lower-case
    display_name      TEXT NOT NULL,
    password_hash     TEXT,                  -- argon2id; NULL: single sign-on only
    is_disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,  -- wrong passwords in a row
    locked_until      TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    last_signed_in_at TIMESTAMP,
    password_set_at   TIMESTAMP
);

-- A role in one partnership (partnership_id NULL: every partnership in the warehouse).
CREATE TABLE account_grant (
    account_id     BIGINT NOT NULL REFERENCES account (account_id),
    role           TEXT NOT NULL,
    partnership_id BIGINT,
    theme_ids      TEXT NOT NULL DEFAULT '[]'  -- JSON list: the theme groups a lead sends for
);
CREATE INDEX account_grant_account ON account_grant (account_id);

CREATE TABLE account_session (
    token_sha256 TEXT PRIMARY KEY,  -- hash of the random token in the browser's cookie
    account_id   BIGINT NOT NULL REFERENCES account (account_id),
    source       TEXT NOT NULL,     -- password | sso
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP,
    ended_reason TEXT               -- signed out | idle | disabled
);
CREATE INDEX account_session_account ON account_session (account_id);

-- Every password sign-in attempt, by client address: what throttling counts. Pruned after a
-- day (the access log keeps the record).
CREATE TABLE signin_attempt (
    attempt_id     {id},
    attempted_at   TIMESTAMP NOT NULL,
    client_address TEXT NOT NULL,
    account_id     BIGINT,          -- NULL: no such account
    outcome        TEXT NOT NULL    -- ok | wrong | unknown | locked | disabled
);
CREATE INDEX signin_attempt_client ON signin_attempt (client_address, attempted_at);
CREATE INDEX signin_attempt_time ON signin_attempt (attempted_at);

-- Sign-ins, failures, lock-outs, throttling and sign-outs.
CREATE TABLE access_log (
    access_id {id},
    logged_at TIMESTAMP NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    detail    TEXT  -- JSON
);
CREATE INDEX access_log_time ON access_log (logged_at);

-- Changes to accounts (add, disable, enable, role, password): who did it, to whom.
CREATE TABLE account_audit (
    audit_id  {id},
    logged_at TIMESTAMP NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT  -- JSON, never a password or hash
);
""",
    ),
]


def statements(sql: str, id_column: str) -> list[str]:
    """One migration's statements, ``{id}`` spelled for the back-end."""
    text = sql.replace("{id}", id_column)
    lines = [line.split("--")[0].rstrip() for line in text.splitlines()]  # comments off
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
