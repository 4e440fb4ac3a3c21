-- Alert rules, the state that makes a rule fire once per crossing, and the
-- history of firings. A rule's definition is JSON owned by core/alert, so
-- new metrics need no migration.
CREATE TABLE alert_rules (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	spec       TEXT NOT NULL, -- JSON (core/alert.Rule)
	enabled    INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL, -- unix ms
	updated_at INTEGER NOT NULL
);

-- alert_state: whether a rule's condition held at its last evaluation.
-- A rule fires when this flips from 0 to 1, so one crossing fires once.
CREATE TABLE alert_state (
	rule_id    INTEGER PRIMARY KEY REFERENCES alert_rules(id) ON DELETE CASCADE,
	firing     INTEGER NOT NULL,
	value      REAL NOT NULL,
	checked_at INTEGER NOT NULL -- unix ms
);

CREATE TABLE alert_history (
	id       INTEGER PRIMARY KEY,
	rule_id  INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
	at       INTEGER NOT NULL, -- unix ms
	kind     TEXT NOT NULL CHECK (kind IN ('fired', 'resolved')),
	value    REAL NOT NULL,
	previous REAL, -- the previous period's value, for change rules
	trigger  TEXT NOT NULL, -- 'sync', 'schedule' or 'manual'
	message  TEXT NOT NULL,
	seen     INTEGER NOT NULL DEFAULT 0 -- the in-app notice was dismissed
);
CREATE INDEX alert_history_at ON alert_history(at);
