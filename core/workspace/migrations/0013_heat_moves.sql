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

-- moves is 0 in a workspace that had sessions before heat_moves existed:
-- its first move heatmap fills heat_moves from the moves table
-- (RebuildHeatMoves); the other kinds never need it.
ALTER TABLE heat_state ADD COLUMN moves INTEGER NOT NULL DEFAULT 1;
UPDATE heat_state SET moves = NOT EXISTS (SELECT 1 FROM sessions);
