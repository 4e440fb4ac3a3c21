-- Saved segments, saved funnels and tag rules. Segments and rules keep the
-- canonical text form (segment.Parse reads it back); funnels keep their
-- query as JSON (funnel.Query's wire form).
CREATE TABLE saved_segments (
	name       TEXT PRIMARY KEY,
	expr       TEXT NOT NULL,
	created_at INTEGER NOT NULL, -- unix ms
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE saved_funnels (
	name       TEXT PRIMARY KEY,
	query      TEXT NOT NULL, -- JSON
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- tag_rules: every session in the segment gets the tag (source 'rule').
CREATE TABLE tag_rules (
	name       TEXT PRIMARY KEY,
	tag        TEXT NOT NULL,
	expr       TEXT NOT NULL,
	created_at INTEGER NOT NULL
) WITHOUT ROWID;
