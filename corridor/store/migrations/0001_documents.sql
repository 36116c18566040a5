-- Documents, the inputs that led to them, near-duplicate index, quarantine, runs.
CREATE TABLE documents (
    rowid          {serial_pk},
    id             TEXT NOT NULL UNIQUE,
    source_key     TEXT NOT NULL,
    origin         TEXT NOT NULL,
    url            TEXT,
    source         TEXT,
    title          TEXT,
    published      TEXT,
    date_source    TEXT,
    dateline_place TEXT,
    lang           TEXT,
    encoding       TEXT,
    text           TEXT NOT NULL,
    content_hash   TEXT NOT NULL UNIQUE,
    minhash        {blob},
    ingested_at    TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_source ON documents({nocase:source});
CREATE INDEX documents_lang ON documents(lang);

-- Every input (source_key + payload hash) that was stored or linked as a duplicate.
CREATE TABLE sources (
    source_key  TEXT NOT NULL,
    raw_hash    TEXT NOT NULL,
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'exact', 'near')),
    similarity  {real},
    url         TEXT,
    source      TEXT,
    title       TEXT,
    published   TEXT,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (source_key, raw_hash)
);
CREATE INDEX sources_doc ON sources(doc_id);

-- MinHash LSH bands: (band, key) -> document; near-duplicate candidates by lookup.
CREATE TABLE lsh_bands (
    band   INTEGER NOT NULL,
    key    {bigint} NOT NULL,
    doc    {bigint} NOT NULL REFERENCES documents(rowid),
    PRIMARY KEY (band, key, doc)
){without_rowid};

CREATE TABLE quarantine (
    id          {serial_pk},
    source_key  TEXT NOT NULL,
    origin      TEXT,
    url         TEXT,
    code        TEXT NOT NULL,
    stage       TEXT,
    message     TEXT NOT NULL,
    raw         {blob},
    raw_size    {bigint},
    raw_hash    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (source_key, raw_hash)
);

CREATE TABLE ingest_runs (
    id          {serial_pk},
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    targets     TEXT NOT NULL,
    counts      TEXT
);
