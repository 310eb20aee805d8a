-- 0010: statistical process control beside red/amber/green, and numerators and denominators.
--
-- SPC settings (docs/spc.md): a partnership's defaults, and an indicator's own where it
-- differs. NULL means "not set": the indicator takes the partnership's, the partnership the
-- documented defaults (a run of 7, outlying moving ranges screened out, limits not fixed).
ALTER TABLE partnership ADD COLUMN spc_run_length INTEGER;          -- 6 or 7
ALTER TABLE partnership ADD COLUMN spc_screen_outliers BOOLEAN;
ALTER TABLE partnership ADD COLUMN spc_fix_after_points INTEGER;    -- at least 12
ALTER TABLE indicator ADD COLUMN spc_run_length INTEGER;
ALTER TABLE indicator ADD COLUMN spc_screen_outliers BOOLEAN;
ALTER TABLE indicator ADD COLUMN spc_fix_after_points INTEGER;

-- A series rebased at a dated point (a change of definition, a new service): its process
-- limits restart from the first value on or after ``period``. From the framework's
-- "SPC rebases" sheet; replaced whole for an indicator when the sheet is loaded again.
CREATE TABLE spc_rebase (
    indicator_id INTEGER NOT NULL,
    period       VARCHAR NOT NULL,
    period_end   DATE NOT NULL,
    reason       VARCHAR NOT NULL,
    PRIMARY KEY (indicator_id, period)
);

-- Each stored status carries the SPC reading as at its own period, from the values up to and
-- including it (NULL where the period has no value): the mean and process limits, whether
-- they are trial limits (fewer than 12 points), the rule the point meets, Making Data Count's
-- variation and assurance codes, and the sentence.
ALTER TABLE indicator_status ADD COLUMN spc_mean DOUBLE;
ALTER TABLE indicator_status ADD COLUMN spc_lower_limit DOUBLE;
ALTER TABLE indicator_status ADD COLUMN spc_upper_limit DOUBLE;
ALTER TABLE indicator_status ADD COLUMN spc_trial_limits BOOLEAN;
ALTER TABLE indicator_status ADD COLUMN spc_point VARCHAR;
ALTER TABLE indicator_status ADD COLUMN spc_variation VARCHAR;
ALTER TABLE indicator_status ADD COLUMN spc_assurance VARCHAR;
ALTER TABLE indicator_status ADD COLUMN spc_reason VARCHAR;

-- Numerators and denominators: a value that is a sample proportion or a rate may come with
-- both (a survey's respondents and those agreeing; events and population). Confidence
-- intervals use them, and county figures are made from them (sum of numerators over sum of
-- denominators). NULL where a return gave none.
ALTER TABLE actual ADD COLUMN numerator_value DOUBLE;
ALTER TABLE actual ADD COLUMN denominator_value DOUBLE;

-- What the ratio is: value = numerator / denominator x ratio_multiplier. ratio_type
-- 'proportion' (a percentage: Wilson intervals) or 'rate' (events per population: Byar's or
-- exact Poisson); NULL: from the unit (% is a proportion x 100, "per 1,000" a rate x 1,000).
ALTER TABLE indicator ADD COLUMN ratio_type VARCHAR;
ALTER TABLE indicator ADD COLUMN ratio_multiplier DOUBLE;
