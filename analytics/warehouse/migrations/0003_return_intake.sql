-- 0003: returns in any layout. When a return was received (for the submission tracker; NULL:
-- the day it was loaded), and which return wrote each positive activity, so that withdrawing a
-- return takes its activities with it.
ALTER TABLE return_file ADD COLUMN received_on DATE;
ALTER TABLE positive_activity ADD COLUMN return_id INTEGER;
