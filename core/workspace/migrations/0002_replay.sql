-- Replay data: the session's rrweb events as gzip-compressed JSON arrays,
-- in chunks by time, never one row per event. replays keeps the archive
-- header so a session can be exported again as it arrived.
CREATE TABLE replays (
	sid    INTEGER PRIMARY KEY REFERENCES sessions(rid) ON DELETE CASCADE,
	header TEXT NOT NULL, -- archive.Header JSON
	events INTEGER NOT NULL,
	bytes  INTEGER NOT NULL -- compressed bytes over all chunks
);

CREATE TABLE replay_chunks (
	sid      INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	chunk    INTEGER NOT NULL,
	first_ts INTEGER NOT NULL,
	last_ts  INTEGER NOT NULL,
	events   INTEGER NOT NULL,
	data     BLOB NOT NULL, -- gzip of a JSON array of rrweb events
	PRIMARY KEY (sid, chunk)
) WITHOUT ROWID;
