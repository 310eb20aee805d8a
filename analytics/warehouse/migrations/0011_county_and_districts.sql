-- 0011: the county and its districts (the county's Local Area Agreement as one agreement),
-- and the Performance Reward Grant forecast (docs/county.md).
--
-- partnership.parent_id (0001) already says which county a district is in. A county's
-- framework workbook may list its districts (a "Districts" sheet); a district's names its
-- county (parent_name). Both are checked at import: no cycle, no district in two counties.

-- Whose workbook set a partnership's parent: its own (parent_name) or its county's
-- (Districts sheet). A district listed by one county cannot name another (a district is in
-- one county); one that named its county itself may name another.
ALTER TABLE partnership ADD COLUMN parent_set_by_id INTEGER;

-- How a county indicator's figure is made from its districts' figures of the same code:
-- 'sum', 'ratio' (sum of numerators over sum of denominators), 'rate_per_population' (sum
-- of events over sum of populations x the multiplier) or 'county_only' (measured at county
-- level; districts show the county's figure). NULL: not made from districts.
ALTER TABLE indicator ADD COLUMN aggregation_rule VARCHAR;

-- A reward target's share of the reward grant, as a percentage of the pot (NULL: the pot is
-- split equally between the reward targets that have no share of their own).
ALTER TABLE indicator ADD COLUMN reward_share_pct DOUBLE;

-- The reward rules of the partnership's agreement: nothing is paid below this share of the
-- stretch (NULL: 60%, the Local PSA rule); this share of the grant is capital, the rest
-- revenue (NULL: 30%, the 2010/11 determination).
ALTER TABLE partnership ADD COLUMN reward_threshold_pct DOUBLE;
ALTER TABLE partnership ADD COLUMN reward_capital_pct DOUBLE;

-- Populations per area and financial year (the framework's "Populations" sheet), for the
-- rate_per_population rule. Keyed by the partnership's code, so a county's workbook can give
-- its districts' populations before their own frameworks are loaded.
CREATE TABLE population (
    partnership_code VARCHAR NOT NULL,
    financial_year   VARCHAR NOT NULL,
    population       DOUBLE NOT NULL,
    source           VARCHAR,
    loaded_by_id     INTEGER NOT NULL,  -- the partnership whose workbook gave it
    PRIMARY KEY (partnership_code, financial_year)
);

-- A district's contribution to a county target (the county's "Contributions" sheet): the
-- county's own target stays the one agreed with government (the target table).
CREATE TABLE contribution_target (
    indicator_id       INTEGER NOT NULL,   -- the county's indicator
    district_code      VARCHAR NOT NULL,   -- the district partnership's code
    financial_year     VARCHAR NOT NULL,
    contribution_value DOUBLE NOT NULL,
    set_on             DATE NOT NULL,
    reason             VARCHAR,
    PRIMARY KEY (indicator_id, district_code, financial_year)
);

-- A reward target's grant split between the partners responsible ("according to the
-- contribution made"): shares of one target add up to 100.
CREATE TABLE reward_allocation (
    indicator_id INTEGER NOT NULL,
    partner      VARCHAR NOT NULL,
    share_pct    DOUBLE NOT NULL,
    PRIMARY KEY (indicator_id, partner)
);

-- Government decisions that changed what this partnership's reward pays, with their date:
-- 'withdrawn' (nothing paid: the 2008-11 LAA reward, withdrawn in October 2010) or 'reduced'
-- (paid reduction_pct less: agreements made before June 2008 were paid at a 50% reduction).
-- Each applies to the reward forecast from decided_on.
CREATE TABLE reward_adjustment (
    partnership_id INTEGER NOT NULL,
    decided_on     DATE NOT NULL,
    adjustment     VARCHAR NOT NULL CHECK (adjustment IN ('withdrawn', 'reduced')),
    reduction_pct  DOUBLE,
    note           VARCHAR,
    PRIMARY KEY (partnership_id, decided_on, adjustment)
);
