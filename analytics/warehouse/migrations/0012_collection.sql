-- 0012: collecting the quarter. Due dates and reminders, the theme leads' web form (drafts),
-- sign-off (accepted or sent back), period locks and recorded reopenings, and the Board's
-- choice to see only accepted figures. (0010 and 0011 are other branches' migrations; a
-- warehouse applies whichever it lacks, in order, whatever order they arrive in.)

-- Per partnership. NULL row: the defaults (20 working days, a reminder 5 working days
-- before, the Board sees every figure loaded, escalations to the partnership's officers).
CREATE TABLE collection_setting (
    partnership_id        INTEGER PRIMARY KEY,
    due_working_days      INTEGER NOT NULL DEFAULT 20,
    reminder_working_days INTEGER NOT NULL DEFAULT 5,
    board_accepted_only   BOOLEAN NOT NULL DEFAULT false,
    officer_email         VARCHAR,  -- escalations (NULL: the partnership's officer accounts)
    updated_by            VARCHAR NOT NULL,
    updated_at            TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- A theme group's own due date (NULL: the partnership's).
CREATE TABLE collection_theme_setting (
    theme_id         INTEGER PRIMARY KEY,
    partnership_id   INTEGER NOT NULL,
    due_working_days INTEGER,
    updated_by       VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The chair's e-mail (escalations go to the chair too, when recorded): Themes sheet column.
ALTER TABLE theme ADD COLUMN chair_email VARCHAR;

-- Sign-off of a return: submitted -> accepted, or sent back with a note (then corrected by a
-- later return, which is submitted in its turn). Returns loaded before this migration were
-- loaded by the officer, before sign-off existed: they count as accepted.
ALTER TABLE return_file ADD COLUMN review_state VARCHAR DEFAULT 'submitted';
ALTER TABLE return_file ADD COLUMN reviewed_by VARCHAR;
ALTER TABLE return_file ADD COLUMN reviewed_at TIMESTAMP;
ALTER TABLE return_file ADD COLUMN review_note VARCHAR;
UPDATE return_file SET review_state = 'accepted', reviewed_by = 'before sign-off (0012)';

-- When a quarter locks (the officer sets it, after the Board has seen the quarter). From that
-- day no value of the quarter changes, except through a reopening.
CREATE TABLE period_lock (
    partnership_id INTEGER NOT NULL,
    period         VARCHAR NOT NULL,  -- a quarter: '2010/11 Q4'
    locks_on       DATE NOT NULL,
    set_by         VARCHAR NOT NULL,
    set_at         TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (partnership_id, period)
);

-- A locked quarter reopened by the officer for one theme group, with the reason, until the
-- officer closes it again. Every reopening and closing is in the audit log too.
CREATE SEQUENCE period_reopening_seq START 1;
CREATE TABLE period_reopening (
    reopening_id   INTEGER PRIMARY KEY DEFAULT nextval('period_reopening_seq'),
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    reopened_by    VARCHAR NOT NULL,
    reopened_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    closed_by      VARCHAR,
    closed_at      TIMESTAMP
);

-- The web form's drafts: every save a new version (never updated in place), so a save made
-- on an older version is told a newer one exists instead of overwriting it. The latest
-- version is the form's state: 'draft', or 'submitted' (its return_id is the return made).
CREATE TABLE return_draft (
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    version        INTEGER NOT NULL,
    state          VARCHAR NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
    entries_json   VARCHAR NOT NULL,  -- [{code, value, dq_flag, commentary, remedial_action}]
    saved_by       VARCHAR NOT NULL,
    saved_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    return_id      INTEGER,
    PRIMARY KEY (partnership_id, theme_id, period, version)
);

-- Every reminder e-mail: claimed before it is sent ('sending'), then 'sent' or 'failed'
-- (a failed one is tried again by the next run; one left 'sending' by a run that died is
-- never sent twice). Recipients and subject only: a reminder never holds figures.
CREATE SEQUENCE reminder_seq START 1;
CREATE TABLE reminder (
    reminder_id    INTEGER PRIMARY KEY DEFAULT nextval('reminder_seq'),
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL
                   CHECK (kind IN ('opening', 'reminder', 'due', 'overdue', 'sent_back')),
    return_id      INTEGER,           -- sent_back: the return sent back
    run_on         DATE NOT NULL,     -- the day the run worked to (--today)
    recipients     VARCHAR NOT NULL,  -- To, comma separated
    copied         VARCHAR,           -- Cc
    subject        VARCHAR NOT NULL,
    state          VARCHAR NOT NULL DEFAULT 'sending'
                   CHECK (state IN ('sending', 'sent', 'failed')),
    error          VARCHAR,
    sent_by        VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    sent_at        TIMESTAMP
);

-- What the Board pages read: the value in force for each (indicator, period), or, for a
-- partnership whose Board sees only accepted figures, the latest value of an accepted
-- return (not withdrawn) and values loaded without a return. Columns are listed, so a later
-- migration adding a column to actual leaves the view as it is (a migration that adds one
-- the Board pages read recreates the view). numerator_value and denominator_value come
-- from 0010, which every warehouse has before this one.
CREATE VIEW board_actual AS
WITH strict AS (
    SELECT i.indicator_id FROM indicator i
    JOIN collection_setting s ON s.partnership_id = i.partnership_id
    WHERE s.board_accepted_only
)
SELECT a.actual_id, a.indicator_id, a.period, a.period_end, a.actual_value, a.commentary,
       a.remedial_action, a.dq_flag, a.return_id, a.loaded_at, a.numerator_value,
       a.denominator_value
FROM actual a
WHERE a.is_current AND a.indicator_id NOT IN (SELECT indicator_id FROM strict)
UNION ALL
SELECT actual_id, indicator_id, period, period_end, actual_value, commentary,
       remedial_action, dq_flag, return_id, loaded_at, numerator_value, denominator_value
FROM (
    SELECT a.*
    FROM actual a
    JOIN strict USING (indicator_id)
    LEFT JOIN return_file r ON r.return_id = a.return_id
    WHERE (a.return_id IS NULL AND a.is_current)
       OR (r.review_state = 'accepted' AND r.state <> 'withdrawn')
    QUALIFY row_number() OVER (PARTITION BY a.indicator_id, a.period
                               ORDER BY a.actual_id DESC) = 1
);
