-- Sentence full text: FTS5 external-content indexes over `sentences`, kept in
-- sync by triggers (re-extraction deletes and re-inserts a document's
-- sentences, and the triggers follow). Word index for spaced scripts, trigram
-- index for Chinese, as for documents.
CREATE VIRTUAL TABLE sent_fts USING fts5(
    text, content='sentences', content_rowid='rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE sent_trigram USING fts5(
    text, content='sentences', content_rowid='rowid',
    tokenize = 'trigram'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sent_fts(rowid, text) VALUES (new.rowid, new.text);
    INSERT INTO sent_trigram(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sent_fts(sent_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO sent_trigram(sent_trigram, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER sentences_au AFTER UPDATE OF text ON sentences BEGIN
    INSERT INTO sent_fts(sent_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO sent_trigram(sent_trigram, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO sent_fts(rowid, text) VALUES (new.rowid, new.text);
    INSERT INTO sent_trigram(rowid, text) VALUES (new.rowid, new.text);
END;
-- sentences stored before this migration
INSERT INTO sent_fts(sent_fts) VALUES ('rebuild');
INSERT INTO sent_trigram(sent_trigram) VALUES ('rebuild');
