-- Events (issue 17): `date` holds only a day the text states for the event; a day
-- resolved from a relative phrase ("on Monday", counted from the dateline or the
-- publication date) is `date_inferred`, with `date_basis` saying how it was
-- resolved. `parties`: the countries the participants act for (JSON list);
-- `support`: every sentence that reports the event, as a JSON list of
-- [start, end] offsets (one event per happening, however many sentences report it).
ALTER TABLE events ADD COLUMN date_inferred TEXT;
ALTER TABLE events ADD COLUMN date_basis TEXT;
ALTER TABLE events ADD COLUMN parties TEXT NOT NULL DEFAULT '[]';
ALTER TABLE events ADD COLUMN support TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_date_inferred ON events(date_inferred);
-- events stored before this migration: a date resolved from a phrase with no digit
-- in it ("on Monday", "today") was not stated; it stays inferred until re-extraction
UPDATE events SET date_inferred = date, date = NULL,
    date_basis = '“' || date_phrase || '” resolved by an earlier extractor'
 WHERE date IS NOT NULL AND date_phrase IS NOT NULL AND date_phrase {lacks_digit};
