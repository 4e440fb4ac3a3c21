-- A move heatmap's input, kept per page and session like heat_rows (see
-- heat_moves.go): the session's viewport width and the packed mouse
-- positions of each of its pageviews on that page. The moves table keeps
-- the same positions keyed by session, for reading one session's facts;
-- this copy is keyed by page first, so a move heatmap reads one range per
-- matching page instead of every session's positions.
CREATE TABLE heat_moves (
	path_id INTEGER NOT NULL,
	sid     INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	data    BLOB NOT NULL,
	PRIMARY KEY (path_id, sid)
) WITHOUT ROWID;

-- Sessions already in the workspace get their rows on the next heatmap,
-- which rebuilds heat_rows and heat_moves together (RebuildHeatRows).
UPDATE heat_state SET complete = 0 WHERE EXISTS (SELECT 1 FROM sessions);
