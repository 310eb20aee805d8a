-- 0004: cheaper writes of values and statuses. A quarter's commit writes every status of the
-- partnership again, and DuckDB keeps an ART index for a primary key and every CREATE INDEX:
-- building and storing them for (indicator_id, period) was a fifth of a 100,000-row commit,
-- and no query looks rows up by those keys (pages filter by partnership and join; DuckDB's
-- zone maps serve that). (indicator_id, period) stays unique in indicator_status because
-- analytics.warehouse.status_store replaces a partnership's rows whole, from the engine's
-- output, which has one row per key (tests/warehouse check it).
DROP INDEX IF EXISTS actual_by_indicator;

CREATE TABLE indicator_status_0004 (
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
    computed_at           TIMESTAMP NOT NULL DEFAULT current_timestamp
);

INSERT INTO indicator_status_0004 SELECT * FROM indicator_status;
DROP TABLE indicator_status;
ALTER TABLE indicator_status_0004 RENAME TO indicator_status;
