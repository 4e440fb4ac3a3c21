-- Deleting a session cascades to its heat rows and heat moves, whose keys
-- start with the page: without an index on the session, SQLite scans both
-- tables whole once per deleted session. Deleting the 1,791 sessions of
-- a workspace's first six hours out of 100k took over 14 minutes; with
-- these indexes the cascade takes a fraction of a second.
CREATE INDEX heat_rows_by_session ON heat_rows(sid);
CREATE INDEX heat_moves_by_session ON heat_moves(sid);
