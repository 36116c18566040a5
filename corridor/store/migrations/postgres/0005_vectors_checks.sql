-- Sentence search: a tsvector built in Python, as documents.tsv, and a trigram
-- index for Chinese substrings where pg_trgm is installed.
{fulltext_column:sentences}
{trigram_index:sentences.text}
