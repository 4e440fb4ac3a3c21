-- Notes and bookmarks an analyst puts on a session's timeline. They belong
-- to the session id (not its row key) so they survive a re-import.
CREATE TABLE notes (
	id         INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL,
	offset_ms  INTEGER NOT NULL,
	body       TEXT NOT NULL,
	bookmark   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL -- unix ms
);
CREATE INDEX notes_session ON notes(session_id, offset_ms);
