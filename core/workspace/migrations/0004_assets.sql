-- Page assets (images, stylesheets, fonts) a recorded page referenced by
-- URL, kept so a replay looks right offline. assets holds each distinct
-- body once, by the lowercase hex SHA-256 of its bytes; session_assets is
-- each session's manifest: one row per URL, with the digest of what was
-- fetched or the reason nothing was (missing). A manifest row may name a
-- digest whose bytes are not (yet) in assets; completeness counts only
-- what is stored.
CREATE TABLE assets (
	sha256 TEXT PRIMARY KEY,
	type   TEXT NOT NULL, -- content type as recorded by the collector
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL
);

CREATE TABLE session_assets (
	session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	url        TEXT NOT NULL,
	sha256     TEXT,
	type       TEXT NOT NULL DEFAULT '',
	missing    TEXT,
	PRIMARY KEY (session_id, url)
) WITHOUT ROWID;

CREATE INDEX session_assets_by_sha ON session_assets(sha256) WHERE sha256 IS NOT NULL;
