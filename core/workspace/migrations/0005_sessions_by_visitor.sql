-- A visitor's sessions, found by index: erasing sessions recounts every
-- visitor's sessions and drops visitors left without any, which without
-- it scanned the sessions table once per visitor (hours for a date cut of
-- a 100k-session workspace), and so did the session list filtered to one
-- visitor.
CREATE INDEX sessions_by_visitor ON sessions(visitor_id);
