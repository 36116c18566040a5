-- Datelines (issue 17): the day the dateline states (ISO), now that cleaning takes the
-- dateline out of the stored text; NULL for documents stored before (their dateline is
-- still in `text`, where extraction reads it).
ALTER TABLE documents ADD COLUMN dateline_date TEXT;
