-- Presenter playlists: named, ordered lists of sessions or moments of
-- them, each with a title and a caption. Items name the session id (not
-- its row key) so a playlist survives a re-import, like notes.
CREATE TABLE playlists (
	name       TEXT PRIMARY KEY,
	updated_at INTEGER NOT NULL -- unix ms
);
CREATE TABLE playlist_items (
	playlist   TEXT NOT NULL REFERENCES playlists(name) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	session_id TEXT NOT NULL,
	from_ms    INTEGER NOT NULL DEFAULT 0,
	to_ms      INTEGER NOT NULL DEFAULT 0, -- 0: to the end of the session
	title      TEXT NOT NULL DEFAULT '',
	caption    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (playlist, position)
);
