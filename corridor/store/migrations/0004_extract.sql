-- Extracted facts. Every row carries its document id and character offsets
-- into documents.text; re-extraction replaces a document's rows as a whole.
CREATE TABLE sentences (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    text    TEXT NOT NULL,
    {seq_column}
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE entities (
    id       TEXT PRIMARY KEY,
    type     TEXT NOT NULL,
    name     TEXT NOT NULL,
    country  TEXT,
    in_lexicon INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_type ON entities(type);
CREATE INDEX entities_name ON entities({nocase:name});

CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_alias ON entity_aliases({nocase:alias});

CREATE TABLE mentions (
    id        {serial_pk},
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id TEXT,
    label     TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    role      TEXT,
    country   TEXT,
    sentence  INTEGER
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

-- A role a document states for a person, stamped with the document's date.
CREATE TABLE roles (
    entity_id TEXT NOT NULL,
    role      TEXT NOT NULL,
    country   TEXT,
    date      TEXT,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    PRIMARY KEY (entity_id, role, doc_id)
);

CREATE TABLE events (
    id          {serial_pk},
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    plover      TEXT,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    sentence    INTEGER,
    date        TEXT,
    date_phrase TEXT,
    place       TEXT,
    ordinal     TEXT
);
CREATE INDEX events_doc ON events(doc_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type ON events(type);

CREATE TABLE event_participants (
    event_id  {bigint} NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    {seq_column}
    PRIMARY KEY (event_id, entity_id)
);
CREATE INDEX event_participants_entity ON event_participants(entity_id);

CREATE TABLE doc_sectors (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sector  TEXT NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (doc_id, sector, start)
);
CREATE INDEX doc_sectors_sector ON doc_sectors(sector);

CREATE TABLE commitments (
    id        {serial_pk},
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    sentence  INTEGER,
    parties   TEXT NOT NULL,  -- JSON list
    modality  TEXT NOT NULL,
    action    TEXT NOT NULL,
    sectors   TEXT NOT NULL,  -- JSON list
    projects  TEXT NOT NULL   -- JSON list
);
CREATE INDEX commitments_doc ON commitments(doc_id);

-- Which extractor version last processed each document.
CREATE TABLE extraction_state (
    doc_id       TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version      TEXT NOT NULL,
    extracted_at TEXT NOT NULL
);
