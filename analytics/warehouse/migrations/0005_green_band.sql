-- 0005: a green band for every status rule. Councils publish "green = on or within 10% of
-- the target" (Havering's Cabinet reports, 2013/14 to 2014/15), so an indicator may count a
-- miss of no more than green_tolerance_pct % of its target as green, whatever its rule; the
-- rule then decides amber and red beyond the band. NULL (the default, and every indicator
-- loaded before this migration): the target itself must be met, as before.
ALTER TABLE indicator ADD COLUMN green_tolerance_pct DOUBLE;
