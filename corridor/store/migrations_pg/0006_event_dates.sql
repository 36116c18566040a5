-- Events (issue 17): `date` holds only a day the text states for the event; a day
-- resolved from a relative phrase is `date_inferred`, with `date_basis`; `parties`
-- (JSON list of countries) and `support` (JSON list of [start, end] sentences).
ALTER TABLE events ADD COLUMN date_inferred TEXT;
ALTER TABLE events ADD COLUMN date_basis TEXT;
ALTER TABLE events ADD COLUMN parties TEXT NOT NULL DEFAULT '[]';  -- JSON list (text, as on SQLite)
ALTER TABLE events ADD COLUMN support TEXT NOT NULL DEFAULT '[]';  -- JSON list
CREATE INDEX events_date_inferred ON events(date_inferred);
-- events stored before this migration: a date resolved from a phrase with no digit
-- in it ("on Monday", "today") was not stated; it stays inferred until re-extraction
UPDATE events SET date_inferred = date, date = NULL,
    date_basis = '“' || date_phrase || '” resolved by an earlier extractor'
 WHERE date IS NOT NULL AND date_phrase IS NOT NULL AND date_phrase !~ '[0-9]';
