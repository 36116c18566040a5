-- Datelines (issue 17): cleaning takes the dateline ("BEIJING, NOV 11 /DNA/ –") out of
-- the stored text; its place stays in `dateline_place`, its agency in `source` (when the
-- source named none) and the day it states here (ISO; a dateline without a year takes
-- the year nearest the publication date). Documents stored before keep their dateline
-- in `text`, where extraction still reads it; this column stays NULL for them.
ALTER TABLE documents ADD COLUMN dateline_date TEXT;
