-- Sessions and what they are made of. Strings that repeat across sessions
-- (paths, selectors, URLs, messages, names) live once in dictionary tables
-- and rows point at them by integer id, which keeps a session near 1 KB.
--
-- Coordinates and percentages in the busy fact tables are NUMERIC, not
-- REAL: a whole value is then stored as a 1-2 byte integer where a REAL
-- column always spends 8 bytes. They read back as numbers either way;
-- divide them as 1.0 * x / y in SQL.

CREATE TABLE sites (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE paths (
	id   INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE
);

CREATE TABLE selectors (
	id       INTEGER PRIMARY KEY,
	selector TEXT NOT NULL UNIQUE
);

-- strs holds every other repeated string: URLs, titles, element texts and
-- tags, error messages and stacks, request methods, custom event names.
CREATE TABLE strs (
	id INTEGER PRIMARY KEY,
	s  TEXT NOT NULL UNIQUE
);

CREATE TABLE visitors (
	id         INTEGER PRIMARY KEY,
	visitor    TEXT NOT NULL UNIQUE,
	site_id    INTEGER NOT NULL,
	user_id    TEXT NOT NULL DEFAULT '',
	traits     TEXT, -- JSON object, last seen
	first_seen INTEGER NOT NULL, -- unix ms
	last_seen  INTEGER NOT NULL,
	sessions   INTEGER NOT NULL DEFAULT 0
);

-- sessions: one row per session. rid is the integer key every fact row
-- uses; id is the session id as recorded.
CREATE TABLE sessions (
	rid             INTEGER PRIMARY KEY,
	id              TEXT NOT NULL UNIQUE,
	site_id         INTEGER NOT NULL REFERENCES sites(id),
	visitor_id      INTEGER REFERENCES visitors(id),
	started_at      INTEGER NOT NULL, -- unix ms
	duration_ms     INTEGER NOT NULL,
	pageviews       INTEGER NOT NULL,
	clicks          INTEGER NOT NULL,
	rage_clicks     INTEGER NOT NULL,
	dead_clicks     INTEGER NOT NULL,
	error_clicks    INTEGER NOT NULL,
	js_errors       INTEGER NOT NULL,
	failed_requests INTEGER NOT NULL,
	events          INTEGER NOT NULL,
	viewport_w      INTEGER NOT NULL,
	viewport_h      INTEGER NOT NULL,
	device          TEXT NOT NULL,
	browser         TEXT NOT NULL,
	os              TEXT NOT NULL,
	country         TEXT NOT NULL,
	user_id         TEXT NOT NULL,
	score           REAL NOT NULL,
	entry_path_id   INTEGER,
	exit_path_id    INTEGER,
	max_scroll      TEXT, -- JSON object path -> pct, NULL when empty
	traits          TEXT, -- JSON object, NULL when empty
	uninterpreted   TEXT  -- JSON object kind -> count, NULL when empty
);
CREATE INDEX sessions_started ON sessions(started_at);

CREATE TABLE pageviews (
	sid              INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	idx              INTEGER NOT NULL,
	path_id          INTEGER NOT NULL,
	url_id           INTEGER NOT NULL,
	title_id         INTEGER,
	offset_ms        INTEGER NOT NULL,
	dwell_ms         INTEGER NOT NULL,
	viewport_w       INTEGER NOT NULL,
	viewport_h       INTEGER NOT NULL,
	doc_height       INTEGER NOT NULL,
	max_scroll_y     NUMERIC NOT NULL,
	scroll_pct       NUMERIC NOT NULL,
	flags            INTEGER NOT NULL, -- 1 quick back, 2 excessive scroll
	PRIMARY KEY (sid, idx)
) WITHOUT ROWID;
CREATE INDEX pageviews_path ON pageviews(path_id, sid);

CREATE TABLE clicks (
	sid         INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	offset_ms   INTEGER NOT NULL,
	pageview    INTEGER NOT NULL,
	path_id     INTEGER NOT NULL,
	x           NUMERIC NOT NULL,
	y           NUMERIC NOT NULL,
	rel_x       NUMERIC NOT NULL,
	rel_y       NUMERIC NOT NULL,
	selector_id INTEGER NOT NULL,
	tag_id      INTEGER,
	text_id     INTEGER,
	flags       INTEGER NOT NULL, -- 1 rage, 2 dead, 4 error
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;
CREATE INDEX clicks_path ON clicks(path_id, sid);
CREATE INDEX clicks_selector ON clicks(selector_id, sid);

CREATE TABLE inputs (
	sid         INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	offset_ms   INTEGER NOT NULL,
	pageview    INTEGER NOT NULL,
	path_id     INTEGER NOT NULL,
	selector_id INTEGER NOT NULL,
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;

CREATE TABLE errors (
	sid        INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	offset_ms  INTEGER NOT NULL,
	pageview   INTEGER NOT NULL,
	path_id    INTEGER NOT NULL,
	message_id INTEGER NOT NULL,
	source_id  INTEGER,
	stack_id   INTEGER,
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;

CREATE TABLE requests (
	sid         INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	offset_ms   INTEGER NOT NULL,
	pageview    INTEGER NOT NULL,
	path_id     INTEGER NOT NULL,
	method_id   INTEGER NOT NULL,
	url_id      INTEGER NOT NULL,
	status      INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL,
	failed      INTEGER NOT NULL,
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;

CREATE TABLE custom_events (
	sid       INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	offset_ms INTEGER NOT NULL,
	pageview  INTEGER NOT NULL,
	path_id   INTEGER NOT NULL,
	name_id   INTEGER NOT NULL,
	props     TEXT, -- JSON object, NULL when empty
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;
CREATE INDEX custom_events_name ON custom_events(name_id, sid);

CREATE TABLE feedback (
	sid       INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	offset_ms INTEGER NOT NULL,
	pageview  INTEGER NOT NULL,
	path_id   INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	score     INTEGER NOT NULL,
	comment   TEXT,
	PRIMARY KEY (sid, seq)
) WITHOUT ROWID;

-- moves: sampled mouse positions, one packed blob per pageview
-- (little-endian float32 x, y pairs), because heatmaps read them in bulk
-- and a row per point would cost more than the points.
CREATE TABLE moves (
	sid      INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	pageview INTEGER NOT NULL,
	path_id  INTEGER NOT NULL,
	points   BLOB NOT NULL,
	PRIMARY KEY (sid, pageview)
) WITHOUT ROWID;

-- tags: source is 'auto' (derived), 'manual' (added by hand) or 'rule'
-- (a saved rule). A re-derive replaces only the auto tags.
CREATE TABLE tags (
	sid    INTEGER NOT NULL REFERENCES sessions(rid) ON DELETE CASCADE,
	tag    TEXT NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('auto', 'manual', 'rule')),
	PRIMARY KEY (sid, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags(tag, sid);
