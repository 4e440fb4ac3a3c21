-- Insight drafts: findings of the insight engine that an analyst can edit,
-- dismiss and export. key identifies a finding across scans so a rescan
-- refreshes the evidence of a draft without losing the analyst's words.
CREATE TABLE insight_drafts (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,  -- the sentences, as edited
	finding    TEXT NOT NULL,  -- JSON (core/insight.Finding) of the last scan
	strength   REAL NOT NULL,
	edited     INTEGER NOT NULL DEFAULT 0, -- title or body changed by hand
	dismissed  INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL, -- unix ms
	updated_at INTEGER NOT NULL
);
CREATE INDEX insight_drafts_strength ON insight_drafts(dismissed, strength DESC);
