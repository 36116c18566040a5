-- Sentence-level search (BM25 and vectors) and stored claim checks.
--
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

-- Sentence vectors, keyed by the SHA-256 of the sentence text and the model
-- id: re-extraction (which re-inserts sentences) and duplicate sentences in
-- other articles reuse the stored vector. Plain float32 BLOBs searched by
-- numpy (the stdlib sqlite3 here cannot load extensions such as sqlite-vec).
CREATE TABLE sentence_vectors (
    text_hash TEXT NOT NULL,
    model     TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vec       BLOB NOT NULL,
    PRIMARY KEY (text_hash, model)
) WITHOUT ROWID;

-- Which text hash each stored sentence has; cascades away with its sentence.
CREATE TABLE sentence_hashes (
    rowid     INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL,
    idx       INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    UNIQUE (doc_id, idx),
    FOREIGN KEY (doc_id, idx) REFERENCES sentences(doc_id, idx) ON DELETE CASCADE
);
CREATE INDEX sentence_hashes_hash ON sentence_hashes(text_hash);

-- Claim checks. A check is identified by its normalised claim text; running
-- the same claim again adds a row to check_runs (the history) and updates
-- the check's current verdict.
CREATE TABLE checks (
    id          INTEGER PRIMARY KEY,
    claim       TEXT NOT NULL,
    claim_key   TEXT NOT NULL UNIQUE,
    model       TEXT,
    vec         BLOB,
    verdict     TEXT NOT NULL,
    confidence  REAL NOT NULL,
    reason      TEXT NOT NULL,
    result      TEXT NOT NULL,  -- JSON: the full verdict with its evidence
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE check_runs (
    id          INTEGER PRIMARY KEY,
    check_id    INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    verdict     TEXT NOT NULL,
    confidence  REAL NOT NULL,
    reason      TEXT NOT NULL,
    result      TEXT NOT NULL,
    judge       TEXT NOT NULL,  -- judge parameters version
    documents   INTEGER NOT NULL,  -- size of the pool when checked
    checked_at  TEXT NOT NULL
);
CREATE INDEX check_runs_check ON check_runs(check_id);

-- A claim that matches one checked before: 'auto' (same claim, reworded) or
-- 'suggested' (probably the same; shown to the user, not merged).
CREATE TABLE claim_links (
    check_id    INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    matched_id  INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('auto', 'suggested')),
    similarity  REAL NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (check_id, matched_id)
);
