-- 0001: a partnership's performance framework, its returns and values.
-- Integrity between tables is kept by the one writer (analytics/warehouse/load.py): DuckDB
-- turns updates of referenced rows into delete+insert, which foreign keys would refuse.
-- Periods are canonical codes ('2009/10', '2009/10 Q2'); period_end is stored beside them
-- so that SQL can order and range over periods without parsing text.

CREATE SEQUENCE partnership_seq START 1;
CREATE TABLE partnership (
    partnership_id   INTEGER PRIMARY KEY DEFAULT nextval('partnership_seq'),
    partnership_code VARCHAR NOT NULL UNIQUE,
    name             VARCHAR NOT NULL,
    tier             VARCHAR NOT NULL DEFAULT 'district'
                     CHECK (tier IN ('county', 'district', 'unitary')),
    parent_id        INTEGER,
    area_name        VARCHAR,
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The National Indicator Set, as shipped in data/reference/.
CREATE TABLE catalogue_indicator (
    code          VARCHAR PRIMARY KEY,
    parent_code   VARCHAR,
    title         VARCHAR NOT NULL,
    polarity      VARCHAR CHECK (polarity IN ('higher', 'lower', 'none')),
    unit          VARCHAR,
    in_final_set  BOOLEAN NOT NULL,
    title_checked BOOLEAN NOT NULL
);

CREATE SEQUENCE theme_seq START 1;
CREATE TABLE theme (
    theme_id       INTEGER PRIMARY KEY DEFAULT nextval('theme_seq'),
    partnership_id INTEGER NOT NULL,
    name           VARCHAR NOT NULL,
    short_name     VARCHAR,
    chair          VARCHAR,
    lead_officer   VARCHAR,
    contact_email  VARCHAR,
    sort_order     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (partnership_id, name)
);

CREATE SEQUENCE indicator_seq START 1;
CREATE TABLE indicator (
    indicator_id        INTEGER PRIMARY KEY DEFAULT nextval('indicator_seq'),
    partnership_id      INTEGER NOT NULL,
    code                VARCHAR NOT NULL,
    catalogue_code      VARCHAR,
    title               VARCHAR NOT NULL,
    theme_id            INTEGER NOT NULL,
    polarity            VARCHAR NOT NULL CHECK (polarity IN ('higher', 'lower', 'none')),
    unit                VARCHAR NOT NULL DEFAULT '',
    decimals            INTEGER NOT NULL DEFAULT 1 CHECK (decimals BETWEEN 0 AND 6),
    frequency           VARCHAR NOT NULL DEFAULT 'quarterly'
                        CHECK (frequency IN ('monthly', 'quarterly', 'annual', 'biennial')),
    measure_type        VARCHAR NOT NULL DEFAULT 'snapshot'
                        CHECK (measure_type IN ('snapshot', 'cumulative')),
    laa_status          VARCHAR NOT NULL DEFAULT 'local'
                        CHECK (laa_status IN ('designated', 'statutory', 'reward', 'local')),
    is_laa              BOOLEAN NOT NULL DEFAULT false,
    is_reward           BOOLEAN NOT NULL DEFAULT false,
    data_source         VARCHAR,
    lead_partner        VARCHAR,
    lead_officer        VARCHAR,
    baseline_value      DOUBLE,
    baseline_period     VARCHAR,
    status_rule         VARCHAR NOT NULL DEFAULT 'pct_tolerance'
                        CHECK (status_rule IN ('pct_tolerance', 'abs_tolerance', 'ideal_minimum',
                                               'improved_last_year', 'data_only')),
    amber_tolerance_pct DOUBLE,
    amber_tolerance_abs DOUBLE,
    minimum_standard    DOUBLE,
    dot_threshold       DOUBLE,
    survey_years        VARCHAR,  -- biennial: the financial years with a survey, '2008/09,2010/11'
    notes               VARCHAR,
    is_active           BOOLEAN NOT NULL DEFAULT true,
    UNIQUE (partnership_id, code)
);

-- Every version of a target is kept; the one in force at a date is the latest set_on <= date.
CREATE SEQUENCE target_seq START 1;
CREATE TABLE target (
    target_id      INTEGER PRIMARY KEY DEFAULT nextval('target_seq'),
    indicator_id   INTEGER NOT NULL,
    financial_year VARCHAR NOT NULL,
    version        INTEGER NOT NULL,
    target_value   DOUBLE,
    q1_value       DOUBLE,
    q2_value       DOUBLE,
    q3_value       DOUBLE,
    q4_value       DOUBLE,
    is_placeholder BOOLEAN NOT NULL DEFAULT false,
    provenance     VARCHAR NOT NULL DEFAULT 'framework'
                   CHECK (provenance IN ('framework', 'from return', 'refresh')),
    set_on         DATE NOT NULL,
    reason         VARCHAR,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (indicator_id, financial_year, version)
);

-- A spreadsheet as received: kept under data/raw/ with its SHA-256.
CREATE SEQUENCE return_seq START 1;
CREATE TABLE return_file (
    return_id      INTEGER PRIMARY KEY DEFAULT nextval('return_seq'),
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER,
    period         VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    stored_path    VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    size_bytes     BIGINT NOT NULL,
    layout         VARCHAR NOT NULL DEFAULT 'template',
    state          VARCHAR NOT NULL DEFAULT 'loaded'
                   CHECK (state IN ('loaded', 'superseded', 'withdrawn')),
    loaded_by      VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    rows_new       INTEGER NOT NULL DEFAULT 0,
    rows_changed   INTEGER NOT NULL DEFAULT 0,
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    supersedes_id  INTEGER
);

-- Every value ever loaded; is_current marks the one in force for (indicator, period).
CREATE SEQUENCE actual_seq START 1;
CREATE TABLE actual (
    actual_id       BIGINT PRIMARY KEY DEFAULT nextval('actual_seq'),
    indicator_id    INTEGER NOT NULL,
    period          VARCHAR NOT NULL,
    period_end      DATE NOT NULL,
    actual_value    DOUBLE,
    commentary      VARCHAR,
    remedial_action VARCHAR,
    dq_flag         VARCHAR NOT NULL DEFAULT 'ok'
                    CHECK (dq_flag IN ('ok', 'provisional', 'estimate', 'concern')),
    return_id       INTEGER,
    is_current      BOOLEAN NOT NULL DEFAULT true,
    loaded_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX actual_by_indicator ON actual (indicator_id, period);

CREATE TABLE comparator (
    indicator_id     INTEGER NOT NULL,
    period           VARCHAR NOT NULL,
    period_end       DATE NOT NULL,
    comparator       VARCHAR NOT NULL CHECK (comparator IN ('county', 'england', 'neighbours')),
    comparator_value DOUBLE NOT NULL,
    source           VARCHAR,
    PRIMARY KEY (indicator_id, period, comparator)
);

CREATE SEQUENCE action_seq START 1;
CREATE TABLE action (
    action_id      INTEGER PRIMARY KEY DEFAULT nextval('action_seq'),
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    action_code    VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    indicator_code VARCHAR,
    lead_partner   VARCHAR,
    lead_officer   VARCHAR,
    start_date     DATE,
    due_date       DATE,
    UNIQUE (partnership_id, action_code)
);

CREATE SEQUENCE milestone_seq START 1;
CREATE TABLE milestone (
    milestone_id     INTEGER PRIMARY KEY DEFAULT nextval('milestone_seq'),
    action_id        INTEGER NOT NULL,
    milestone_code   VARCHAR NOT NULL,
    title            VARCHAR NOT NULL,
    due_date         DATE NOT NULL,
    revised_due_date DATE,
    completed_on     DATE,
    percent_complete DOUBLE,
    is_reprogrammed  BOOLEAN NOT NULL DEFAULT false,  -- reprogrammed or suspended with approval
    progress_note    VARCHAR,
    UNIQUE (action_id, milestone_code)
);

CREATE SEQUENCE activity_seq START 1;
CREATE TABLE positive_activity (
    activity_id    INTEGER PRIMARY KEY DEFAULT nextval('activity_seq'),
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    description    VARCHAR
);

CREATE TABLE board_meeting (
    partnership_id INTEGER NOT NULL,
    meeting_date   DATE NOT NULL,
    title          VARCHAR NOT NULL DEFAULT 'Partnership Board',
    PRIMARY KEY (partnership_id, meeting_date)
);

CREATE SEQUENCE audit_seq START 1;
CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    logged_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR NOT NULL,
    event      VARCHAR NOT NULL,
    entity     VARCHAR NOT NULL,
    entity_key VARCHAR,
    detail     VARCHAR  -- JSON
);
