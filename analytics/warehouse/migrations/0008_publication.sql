-- 0008: publication. Nothing is public until the performance officer publishes it: a
-- publication freezes the figures as published (published_value), so the public site and the
-- annual report read only what was approved, and a figure corrected later shows as revised,
-- with the date, when it is published again. The annual report's foreword and per-theme
-- narratives are written in the app and kept with every version; the partnership's vision,
-- terms of reference, community strategy and member organisations describe it to the public.

CREATE TABLE partnership_profile (
    partnership_id     INTEGER PRIMARY KEY,
    vision             VARCHAR,
    terms_of_reference VARCHAR,
    community_strategy VARCHAR,
    board_chair        VARCHAR,
    council_name       VARCHAR,   -- the council that hosts the public site
    brand_colour       VARCHAR,   -- '#1d70b8': the site's header and links
    public_contact     VARCHAR,   -- how the public gets in touch (an address, not an account)
    updated_by         VARCHAR NOT NULL,
    updated_at         TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE member_organisation_seq START 1;
CREATE TABLE member_organisation (
    member_id      INTEGER PRIMARY KEY DEFAULT nextval('member_organisation_seq'),
    partnership_id INTEGER NOT NULL,
    name           VARCHAR NOT NULL,
    sector         VARCHAR,   -- 'Local government', 'Police', 'Health', 'Voluntary sector', ...
    sort_order     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (partnership_id, name)
);

-- The annual report's own words: the foreword (theme_id NULL) and a narrative per theme group,
-- every version kept with who wrote it and when. The latest version is the one in force.
CREATE SEQUENCE annual_text_seq START 1;
CREATE TABLE annual_text (
    text_id        INTEGER PRIMARY KEY DEFAULT nextval('annual_text_seq'),
    partnership_id INTEGER NOT NULL,
    financial_year VARCHAR NOT NULL,
    section        VARCHAR NOT NULL CHECK (section IN ('foreword', 'theme')),
    theme_id       INTEGER,
    version        INTEGER NOT NULL,
    body           VARCHAR NOT NULL,
    written_by     VARCHAR NOT NULL,
    written_at     TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One act of publishing: a quarter's figures (everything that ended on or before it) or a
-- year's annual report (its figures to Q4 and its words).
CREATE SEQUENCE publication_seq START 1;
CREATE TABLE publication (
    publication_id INTEGER PRIMARY KEY DEFAULT nextval('publication_seq'),
    partnership_id INTEGER NOT NULL,
    kind           VARCHAR NOT NULL CHECK (kind IN ('quarter', 'year')),
    period         VARCHAR NOT NULL,  -- '2010/11 Q2' or '2010/11'
    period_end     DATE NOT NULL,     -- the figures published run to this date
    published_by   VARCHAR NOT NULL,
    published_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    values_new     INTEGER NOT NULL DEFAULT 0,
    values_revised INTEGER NOT NULL DEFAULT 0
);

-- The figures as published. A row is written when a figure is first published and again
-- whenever it is published with a different value, target, status or text; the latest row
-- per (indicator, period) is the one in force. is_revision: the value or target changed
-- after it was first published (previous_value is what was published before).
-- Data-quality flags, who loaded the return and unpublished commentary are never copied.
CREATE TABLE published_value (
    publication_id      INTEGER NOT NULL,
    partnership_id      INTEGER NOT NULL,
    indicator_id        INTEGER NOT NULL,
    period              VARCHAR NOT NULL,
    period_end          DATE NOT NULL,
    actual_value        DOUBLE,
    target_value        DOUBLE,
    annual_target_value DOUBLE,
    rag_status          VARCHAR NOT NULL,
    rag_reason          VARCHAR NOT NULL,
    dot_previous        VARCHAR,
    dot_last_year       VARCHAR,
    commentary          VARCHAR,
    remedial_action     VARCHAR,
    is_revision         BOOLEAN NOT NULL DEFAULT false,
    previous_value      DOUBLE
);

-- Positive activities (achievements) as published, per theme group and quarter.
CREATE TABLE published_activity (
    publication_id INTEGER NOT NULL,
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    description    VARCHAR
);

-- The annual report's words as published: which version of each text went out.
CREATE TABLE published_annual_text (
    publication_id INTEGER NOT NULL,
    text_id        INTEGER NOT NULL
);
