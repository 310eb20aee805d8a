-- Scrutiny: review meeting dates, red flags, recommendations, responses, progress updates.

CREATE TABLE review_meeting (
    partnership_id INTEGER NOT NULL,
    meeting_date   DATE NOT NULL,
    title          VARCHAR NOT NULL DEFAULT 'Overview and Scrutiny Committee',
    PRIMARY KEY (partnership_id, meeting_date)
);

CREATE SEQUENCE red_flag_seq START 1;
CREATE TABLE red_flag (
    red_flag_id     INTEGER PRIMARY KEY DEFAULT nextval('red_flag_seq'),
    partnership_id  INTEGER NOT NULL,
    theme_id        INTEGER,              -- the theme group flagged, or NULL
    indicator_codes VARCHAR NOT NULL DEFAULT '',  -- comma-separated codes, or ''
    title           VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,     -- 'Comprehensive Area Assessment', 'Performance officer'
    flagged_on      DATE NOT NULL,
    lifted_on       DATE,
    lifted_reason   VARCHAR,
    recorded_by     VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE recommendation_seq START 1;
CREATE TABLE recommendation (
    recommendation_id INTEGER PRIMARY KEY DEFAULT nextval('recommendation_seq'),
    partnership_id    INTEGER NOT NULL,
    reference         VARCHAR NOT NULL,   -- municipal year and number: 2010/11-03
    review            VARCHAR NOT NULL,   -- the review or meeting that made it
    made_on           DATE NOT NULL,
    text              VARCHAR NOT NULL,
    addressed_to      VARCHAR NOT NULL,   -- Cabinet, the partnership Board, a theme group, a partner
    theme_id          INTEGER,
    indicator_codes   VARCHAR NOT NULL DEFAULT '',
    sent_on           DATE,
    response          VARCHAR,            -- accepted, partly_accepted, rejected
    response_on       DATE,
    response_text     VARCHAR,
    response_by       VARCHAR,            -- the body that gave the response
    lead_officer      VARCHAR,
    due_on            DATE,               -- implementation due
    status            VARCHAR NOT NULL DEFAULT 'not_started',
    progress_ok       BOOLEAN NOT NULL DEFAULT true,  -- the committee's view of progress
    closed_on         DATE,
    closure_evidence  VARCHAR,
    closed_by         VARCHAR,
    recorded_by       VARCHAR NOT NULL,
    recorded_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (partnership_id, reference)
);

CREATE SEQUENCE recommendation_progress_seq START 1;
CREATE TABLE recommendation_progress (
    progress_id       INTEGER PRIMARY KEY DEFAULT nextval('recommendation_progress_seq'),
    recommendation_id INTEGER NOT NULL,
    noted_on          DATE NOT NULL,
    note              VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,   -- implementation status after this update
    recorded_by       VARCHAR NOT NULL,
    recorded_at       TIMESTAMP NOT NULL DEFAULT current_timestamp
);
