-- Sentence vectors and stored claim checks (sentence full-text search is in
-- sqlite/ and postgres/0005_vectors_checks.sql).
--
-- Sentence vectors, keyed by the SHA-256 of the sentence text and the model
-- id: re-extraction (which re-inserts sentences) and duplicate sentences in
-- other articles reuse the stored vector. Plain float32 bytes searched by
-- numpy on both backends (the stdlib sqlite3 here cannot load extensions such
-- as sqlite-vec; pgvector is not required).
CREATE TABLE sentence_vectors (
    text_hash TEXT NOT NULL,
    model     TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vec       {blob} NOT NULL,
    PRIMARY KEY (text_hash, model)
){without_rowid};

-- Which text hash each stored sentence has; cascades away with its sentence.
CREATE TABLE sentence_hashes (
    rowid     {serial_pk},
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
    id          {serial_pk},
    claim       TEXT NOT NULL,
    claim_key   TEXT NOT NULL UNIQUE,
    model       TEXT,
    vec         {blob},
    verdict     TEXT NOT NULL,
    confidence  {real} NOT NULL,
    reason      TEXT NOT NULL,
    result      TEXT NOT NULL,  -- JSON: the full verdict with its evidence
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE check_runs (
    id          {serial_pk},
    check_id    {bigint} NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    verdict     TEXT NOT NULL,
    confidence  {real} NOT NULL,
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
    check_id    {bigint} NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    matched_id  {bigint} NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('auto', 'suggested')),
    similarity  {real} NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (check_id, matched_id)
);
