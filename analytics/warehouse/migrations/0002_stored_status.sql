-- 0002: statuses are stored, recomputed in the same transaction as every return commit or
-- framework change, so pages read them instead of recomputing.
CREATE TABLE indicator_status (
    indicator_id          INTEGER NOT NULL,
    period                VARCHAR NOT NULL,
    period_end            DATE NOT NULL,
    actual_value          DOUBLE,
    period_value          DOUBLE,
    ytd_value             DOUBLE,
    target_value          DOUBLE,
    annual_target_value   DOUBLE,
    original_target_value DOUBLE,
    target_version        INTEGER,
    is_placeholder        BOOLEAN,
    rag_status            VARCHAR NOT NULL
                          CHECK (rag_status IN ('green', 'amber', 'red', 'missing',
                                                'no_target', 'no_new_data')),
    rag_reason            VARCHAR NOT NULL,
    dot_previous          VARCHAR,
    dot_last_year         VARCHAR,
    forecast_value        DOUBLE,
    forecast_status       VARCHAR,
    persistence_periods   INTEGER NOT NULL DEFAULT 0,
    status_rule           VARCHAR NOT NULL,
    computed_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (indicator_id, period)
);

-- How a theme group's own spreadsheet layout maps to our columns, remembered for next quarter.
CREATE TABLE return_mapping (
    partnership_id INTEGER NOT NULL,
    theme_id       INTEGER NOT NULL,
    mapping_json   VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (partnership_id, theme_id)
);
