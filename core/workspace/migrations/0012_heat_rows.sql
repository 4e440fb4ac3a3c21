-- A heatmap's input, kept per page and session as one packed row (see
-- heat_rows.go): the session's viewport width, its pageviews' document
-- height and scroll depth on that page, and its clicks there. Keyed by
-- page first, so a heatmap reads one range per matching page instead of
-- scanning every click.
CREATE TABLE heat_rows (
	path_id INTEGER NOT NULL,
	sid     INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	data    BLOB NOT NULL,
	PRIMARY KEY (path_id, sid)
) WITHOUT ROWID;

-- complete is 0 in a workspace that had sessions before heat_rows existed:
-- its heatmaps are read from the fact tables until RebuildHeatRows runs.
CREATE TABLE heat_state (complete INTEGER NOT NULL);
INSERT INTO heat_state SELECT NOT EXISTS (SELECT 1 FROM sessions);
