-- Full-text search. `tsv` holds a tsvector that Corridor builds in Python
-- (corridor/store/postgres_fts.py): words split and normalised exactly like
-- the query side (Unicode word characters, lower case, Latin diacritics and
-- Arabic-script marks removed, Arabic/Persian code points unified to Urdu),
-- title words weighted A; so no server text-search configuration or locale is
-- involved and English and Urdu behave the same on every server.
-- Chinese (no spaces) is searched as substrings with ILIKE, which pg_trgm's
-- GIN indexes speed up; where the extension is not available the search is
-- the same, only slower (sequential scan).
ALTER TABLE documents ADD COLUMN tsv tsvector;
-- kept in the row (compressed) where it fits: the planner then sees its size and
-- uses the GIN index, and ranking does not fetch it from the TOAST table (4x faster
-- keyword search at 5,000 articles, bench/pg_backend_bench.py)
ALTER TABLE documents ALTER COLUMN tsv SET STORAGE MAIN;
CREATE INDEX documents_tsv ON documents USING gin (tsv);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX documents_title_trgm ON documents USING gin (title gin_trgm_ops);
        CREATE INDEX documents_text_trgm ON documents USING gin (text gin_trgm_ops);
    END IF;
END
$$;
