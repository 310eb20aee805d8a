-- 0006: who may sign in, with which role in which partnership, and their sessions.
-- Passwords are kept only as argon2id hashes, session tokens only as SHA-256 hashes: the
-- warehouse never holds anything that would let a reader sign in as someone else.
CREATE SEQUENCE account_seq START 1;
CREATE TABLE account (
    account_id        INTEGER PRIMARY KEY DEFAULT nextval('account_seq'),
    email             VARCHAR NOT NULL UNIQUE,  -- stored lower-case
    display_name      VARCHAR NOT NULL,
    password_hash     VARCHAR,                  -- argon2id; NULL: single sign-on only
    is_disabled       BOOLEAN NOT NULL DEFAULT false,
    failed_attempts   INTEGER NOT NULL DEFAULT 0,
    locked_until      TIMESTAMP,
    created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_signed_in_at TIMESTAMP,
    password_set_at   TIMESTAMP
);

-- A role in one partnership (partnership_id NULL: every partnership in the warehouse).
-- theme_ids: the theme groups a theme lead sends returns for.
CREATE TABLE account_grant (
    account_id     INTEGER NOT NULL,
    role           VARCHAR NOT NULL,
    partnership_id INTEGER,
    theme_ids      INTEGER[] NOT NULL DEFAULT []
);

CREATE TABLE account_session (
    token_sha256  VARCHAR PRIMARY KEY,  -- hash of the random token in the browser's cookie
    account_id    INTEGER NOT NULL,
    source        VARCHAR NOT NULL,     -- password | sso
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_seen_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    ended_at      TIMESTAMP,
    ended_reason  VARCHAR               -- signed out | idle | disabled
);

-- Sign-ins, failures, lock-outs and sign-outs: kept apart from audit_log, the record of
-- changes to the partnership's data (the Audit page and `lsp audit` show both).
CREATE SEQUENCE access_seq START 1;
CREATE TABLE access_log (
    access_id  BIGINT PRIMARY KEY DEFAULT nextval('access_seq'),
    logged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR NOT NULL,
    event      VARCHAR NOT NULL,
    detail     VARCHAR  -- JSON
);
