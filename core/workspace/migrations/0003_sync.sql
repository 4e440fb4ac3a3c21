-- Sync bookkeeping: which archives are in (by content digest, so the same
-- bytes never import twice), which were set aside and why, and how far
-- each source has been read.
-- sha256 holds the 32 digest bytes (unhex of the hex digest), half the
-- size of the text form; a non-hex digest is kept as given.
CREATE TABLE archives (
	sha256      BLOB PRIMARY KEY,
	key         TEXT NOT NULL,
	session_id  TEXT NOT NULL,
	part        INTEGER NOT NULL,
	imported_at INTEGER NOT NULL -- unix ms
) WITHOUT ROWID;

CREATE TABLE quarantine (
	source     TEXT NOT NULL,
	key        TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	reason     TEXT NOT NULL,
	kept_at    TEXT NOT NULL, -- path of the file kept aside, '' if none
	created_at INTEGER NOT NULL,
	PRIMARY KEY (source, key)
) WITHOUT ROWID;

CREATE TABLE sources (
	addr       TEXT PRIMARY KEY,
	cursor     TEXT NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- settings: workspace settings as JSON values (the definitions under
-- the key 'definitions').
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
