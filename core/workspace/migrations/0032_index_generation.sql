-- index_generation tells an in-memory analytics index (core/index) whether
-- what it holds is still the workspace's truth, without reading the data:
-- appended counts sessions inserted, changed counts every other change
-- to sessions or their tags. An index that saw the same changed value
-- only has to load the sessions after its last rid; any other change
-- means a rebuild. Tags inserted as 'auto' come with their session's own
-- insert or update, which already counts.
CREATE TABLE index_generation (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	appended INTEGER NOT NULL,
	changed  INTEGER NOT NULL
);
INSERT INTO index_generation (id, appended, changed) VALUES (1, 0, 0);

CREATE TRIGGER index_gen_session_insert AFTER INSERT ON sessions
BEGIN
	UPDATE index_generation SET appended = appended + 1 WHERE id = 1;
END;
CREATE TRIGGER index_gen_session_update AFTER UPDATE ON sessions
BEGIN
	UPDATE index_generation SET changed = changed + 1 WHERE id = 1;
END;
CREATE TRIGGER index_gen_session_delete AFTER DELETE ON sessions
BEGIN
	UPDATE index_generation SET changed = changed + 1 WHERE id = 1;
END;
CREATE TRIGGER index_gen_tag_insert AFTER INSERT ON tags WHEN NEW.source <> 'auto'
BEGIN
	UPDATE index_generation SET changed = changed + 1 WHERE id = 1;
END;
CREATE TRIGGER index_gen_tag_delete AFTER DELETE ON tags
BEGIN
	UPDATE index_generation SET changed = changed + 1 WHERE id = 1;
END;
CREATE TRIGGER index_gen_tag_update AFTER UPDATE ON tags
BEGIN
	UPDATE index_generation SET changed = changed + 1 WHERE id = 1;
END;
