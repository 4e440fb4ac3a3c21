-- Indexes for the segment filters people use most. Segments compare text
-- case-insensitively (COLLATE NOCASE), so the indexes do too; started_at
-- second lets "newest sessions in the segment" walk the index in order.
CREATE INDEX sessions_device_started ON sessions(device COLLATE NOCASE, started_at);
CREATE INDEX sessions_country_started ON sessions(country COLLATE NOCASE, started_at);
CREATE INDEX tags_tag_nocase ON tags(tag COLLATE NOCASE, sid);
