-- Full-text search kept in sync by triggers: word index (unicode61, works for
-- space-separated scripts such as English and Urdu) and a trigram index for
-- substring search in scripts without spaces (Chinese) and partial words.
CREATE VIRTUAL TABLE doc_fts USING fts5(
    title, text, content='documents', content_rowid='rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE doc_trigram USING fts5(
    title, text, content='documents', content_rowid='rowid',
    tokenize = 'trigram'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO doc_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    INSERT INTO doc_trigram(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO doc_fts(doc_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO doc_trigram(doc_trigram, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO doc_fts(doc_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO doc_trigram(doc_trigram, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO doc_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    INSERT INTO doc_trigram(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
