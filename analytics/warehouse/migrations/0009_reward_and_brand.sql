-- 0009: the Performance Reward Grant, the year-end forecast as published, and the council's
-- brand kept for the public site.
--
-- Reward (stretch) targets earned Performance Reward Grant in proportion to the share of the
-- stretch achieved: the improvement over the level expected without the stretch. The
-- framework's Targets sheet gives that level per year (target_without_stretch; the
-- target_value of a reward target is the stretched one) and the Partnership sheet the grant
-- the Local Area Agreement could earn in full (reward_grant_total, pounds; split equally
-- across the reward targets). Both NULL (every row before this migration): no stretch or
-- amount recorded, and the annual report says so rather than inventing one.
ALTER TABLE target ADD COLUMN target_without_stretch DOUBLE;
ALTER TABLE partnership ADD COLUMN reward_grant_total DOUBLE;

-- The status engine's year-end forecast, frozen with the published figure (the annual
-- report's "what comes next" judges it against the next year's target). NULL for figures
-- published before this migration: the report then uses a year-end figure as it stands.
ALTER TABLE published_value ADD COLUMN forecast_value DOUBLE;

-- The council's logo for the public site's header, set once with the council's name and
-- colour (`lsp site brand`, the Publish page) and used by every later build: the file's
-- bytes as checked (SVG without script or external reference, or PNG; under 200 KB).
ALTER TABLE partnership_profile ADD COLUMN logo_file BLOB;
ALTER TABLE partnership_profile ADD COLUMN logo_type VARCHAR;  -- 'svg' or 'png'
