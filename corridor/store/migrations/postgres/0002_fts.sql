-- Full-text search. `tsv` holds a tsvector that Corridor builds in Python
-- (corridor/store/postgres_fts.py): words split and normalised exactly like
-- the query side (Unicode word characters, lower case, Latin diacritics and
-- Arabic-script marks removed, Arabic/Persian code points unified to Urdu),
-- title words weighted A; so no server text-search configuration or locale is
-- involved and English and Urdu behave the same on every server.
-- The column is kept in the row (compressed) where it fits: see fulltext_column
-- in corridor/store/schema.py.
{fulltext_column:documents}
-- Chinese (no spaces) is searched as substrings with ILIKE, which pg_trgm's
-- GIN indexes speed up; where the extension is not available the search is
-- the same, only slower (sequential scan).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END
$$;
{trigram_index:documents.title}
{trigram_index:documents.text}
