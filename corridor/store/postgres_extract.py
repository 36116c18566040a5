"""PostgreSQL tables for extracted facts: the SQL of ``sqlite_extract`` for PostgreSQL.

Orderings match SQLite's: NULLs sort first ascending and last descending
(PostgreSQL's default is the reverse) and text sorts by code point
(``COLLATE "C"``), so both backends list the same records in the same order.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from datetime import UTC, datetime

from psycopg.rows import DictRow

from ..document import Document
from .base import (
    Citation,
    CommitmentFilters,
    CommitmentRecord,
    EntityRecord,
    EventFilters,
    EventRecord,
    MentionRecord,
    RoleStamp,
    SentenceMention,
)
from .postgres_fts import tsvector_literal
from .postgres_sql import PgBase

__all__ = ["PgExtractionTables"]

_CITE = (
    'd.id AS doc_id, s.start AS s_start, s."end" AS s_end, s.text AS s_text, d.title AS d_title,'
    " d.source AS d_source, d.published AS d_published, d.url AS d_url"
)


def _citation(row: DictRow, start: int, end: int) -> Citation:
    if row["s_text"] is not None:
        start, end = row["s_start"], row["s_end"]
    return Citation(doc_id=row["doc_id"], start=start, end=end, sentence=row["s_text"] or "",
                    title=row["d_title"], source=row["d_source"], published=row["d_published"],
                    url=row["d_url"])


class PgExtractionTables(PgBase):
    """Mixin for PostgresStore."""

    def save_extraction(
        self,
        doc: Document,
        entities: Sequence[EntityRecord],
        roles: Sequence[RoleStamp],
        plover: dict[str, str | None],
        version: str,
    ) -> None:
        assert doc.id is not None
        starts = [s.start for s in doc.sentences]

        def sent_of(offset: int) -> int | None:
            i = bisect.bisect_right(starts, offset) - 1
            return i if i >= 0 else None

        with self.transaction():
            for table in ("sentences", "mentions", "roles", "doc_sectors", "commitments"):
                self._x(f"DELETE FROM {table} WHERE doc_id = %s", (doc.id,))
            self._x("DELETE FROM events WHERE doc_id = %s", (doc.id,))  # participants cascade
            self._many(
                'INSERT INTO sentences(doc_id, idx, start, "end", text, tsv)'
                " VALUES (%s,%s,%s,%s,%s,%s::tsvector)",
                [(doc.id, i, s.start, s.end, s.text, tsvector_literal(None, s.text))
                 for i, s in enumerate(doc.sentences)])
            for e in entities:
                self._x(
                    "INSERT INTO entities(id, type, name, country, in_lexicon)"
                    " VALUES (%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET"
                    " name = CASE WHEN excluded.in_lexicon >= entities.in_lexicon"
                    "   THEN excluded.name ELSE entities.name END,"
                    " country = coalesce(entities.country, excluded.country),"
                    " in_lexicon = greatest(entities.in_lexicon, excluded.in_lexicon)",
                    (e.id, e.type, e.name, e.country, int(e.in_lexicon)))
                self._many("INSERT INTO entity_aliases(entity_id, alias) VALUES (%s,%s)"
                           " ON CONFLICT DO NOTHING",
                           [(e.id, a) for a in sorted({e.name, *e.aliases}) if a])
            self._many(
                'INSERT INTO mentions(doc_id, entity_id, label, start, "end", text, role,'
                " country, sentence) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(doc.id, m.entity_id, m.label, m.start, m.end, m.text, m.role, m.country,
                  sent_of(m.start)) for m in doc.mentions])
            self._many(
                'INSERT INTO roles(entity_id, role, country, date, doc_id, start, "end")'
                " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                [(r.entity_id, r.role, r.country, r.date, doc.id, r.start, r.end) for r in roles])
            for ev in doc.events:
                row = self._one(
                    'INSERT INTO events(doc_id, type, plover, start, "end", sentence, date,'
                    " date_phrase, place, ordinal, date_inferred, date_basis, parties, support)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                    (doc.id, ev.type, plover.get(ev.type), ev.start, ev.end, sent_of(ev.start),
                     ev.date, ev.date_phrase, ev.place, ev.ordinal, ev.date_inferred,
                     ev.date_basis, json.dumps(ev.parties),
                     json.dumps([list(x) for x in ev.support])))
                assert row is not None
                self._many("INSERT INTO event_participants(event_id, entity_id) VALUES (%s,%s)"
                           " ON CONFLICT DO NOTHING", [(row["id"], p) for p in ev.participants])
            self._many(
                'INSERT INTO doc_sectors(doc_id, sector, start, "end") VALUES (%s,%s,%s,%s)'
                " ON CONFLICT DO NOTHING",
                [(doc.id, s.sector, s.start, s.end) for s in doc.sectors])
            self._many(
                'INSERT INTO commitments(doc_id, start, "end", sentence, parties, modality,'
                " action, sectors, projects) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(doc.id, k.start, k.end, sent_of(k.start), json.dumps(k.parties), k.modality,
                  k.action, json.dumps(k.sectors), json.dumps(k.projects))
                 for k in doc.commitments])
            self._x(
                "INSERT INTO extraction_state(doc_id, version, extracted_at) VALUES (%s,%s,%s)"
                " ON CONFLICT (doc_id) DO UPDATE SET version = excluded.version,"
                " extracted_at = excluded.extracted_at",
                (doc.id, version, datetime.now(UTC).isoformat(timespec="seconds")))

    def extraction_todo(self, version: str, everything: bool = False) -> list[str]:
        if everything:
            rows = self._x("SELECT id FROM documents ORDER BY rowid")
        else:
            rows = self._x(
                "SELECT d.id FROM documents d LEFT JOIN extraction_state x ON x.doc_id = d.id"
                " WHERE x.version IS NULL OR x.version != %s ORDER BY d.rowid", (version,))
        return [r["id"] for r in rows]

    # -- entities ---------------------------------------------------------
    def _entity(self, row: DictRow) -> EntityRecord:
        aliases = [r["alias"] for r in self._x(
            'SELECT alias FROM entity_aliases WHERE entity_id = %s ORDER BY alias COLLATE "C"',
            (row["id"],))]
        return EntityRecord(id=row["id"], type=row["type"], name=row["name"],
                            country=row["country"], aliases=aliases,
                            in_lexicon=bool(row["in_lexicon"]), mentions=int(row["n"]),
                            documents=int(row["docs"]))

    _ENTITY_SQL = (
        "SELECT e.*, count(m.id) AS n, count(DISTINCT m.doc_id) AS docs FROM entities e"
        " LEFT JOIN mentions m ON m.entity_id = e.id"
    )

    def list_entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        where: list[str] = []
        params: list[object] = []
        if type:
            where.append("e.type = %s")
            params.append(type.upper())
        if query:  # SQLite's LIKE ignores (ASCII) case
            where.append("(e.name ILIKE %s OR e.id IN (SELECT entity_id FROM entity_aliases"
                         " WHERE alias ILIKE %s))")
            params += [f"%{query}%", f"%{query}%"]
        sql = self._ENTITY_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += (' GROUP BY e.id HAVING count(m.id) > 0 ORDER BY n DESC, e.name COLLATE "C"'
                " LIMIT %s")
        return [self._entity(r) for r in self._x(sql, [*params, limit]).fetchall()]

    def find_entity(self, name: str) -> EntityRecord | None:
        for cond in (
            " WHERE e.id = %s",
            " WHERE lower(e.name) = lower(%s)",
            " WHERE e.id IN (SELECT entity_id FROM entity_aliases WHERE lower(alias) = lower(%s))",
        ):
            row = self._one(self._ENTITY_SQL + cond + " GROUP BY e.id ORDER BY n DESC, e.id"
                            " LIMIT 1", (name,))
            if row is not None and row["id"] is not None:
                return self._entity(row)
        return None

    def entity_roles(self, entity_id: str) -> list[RoleStamp]:
        rows = self._x(
            'SELECT * FROM roles WHERE entity_id = %s ORDER BY date IS NULL, date COLLATE "C",'
            ' role COLLATE "C", doc_id', (entity_id,))
        return [RoleStamp(entity_id=r["entity_id"], role=r["role"], country=r["country"],
                          date=r["date"], doc_id=r["doc_id"], start=r["start"], end=r["end"])
                for r in rows]

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[MentionRecord]:
        rows = self._x(
            f"SELECT m.*, {_CITE} FROM mentions m JOIN documents d ON d.id = m.doc_id"
            " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
            ' WHERE m.entity_id = %s ORDER BY d.published COLLATE "C" DESC NULLS LAST,'
            ' m.doc_id COLLATE "C", m.start, m.id LIMIT %s', (entity_id, limit))
        return [MentionRecord(entity_id=r["entity_id"], label=r["label"], text=r["text"],
                              role=r["role"], citation=_citation(r, r["start"], r["end"]))
                for r in rows]

    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        rows = self._x(
            'SELECT entity_id, label, text, role, start, "end" FROM mentions WHERE doc_id = %s'
            ' ORDER BY start, "end" DESC, id', (doc_id,))
        return [SentenceMention(r["entity_id"], r["label"], r["text"], r["role"], r["start"],
                                r["end"]) for r in rows]

    def document_sectors(
        self, doc_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, int, int]]]:
        out: dict[str, list[tuple[str, int, int]]] = {}
        unique = list(dict.fromkeys(doc_ids))
        if not unique:
            return out
        for r in self._x(
            'SELECT doc_id, sector, start, "end" FROM doc_sectors WHERE doc_id = ANY(%s)'
            ' ORDER BY doc_id COLLATE "C", start, sector COLLATE "C"', (unique,)
        ):
            out.setdefault(r["doc_id"], []).append((r["sector"], int(r["start"]), int(r["end"])))
        return out

    # -- events and commitments -------------------------------------------
    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]:
        where: list[str] = []
        params: list[object] = []
        date = 'coalesce(ev.date, ev.date_inferred, d.published) COLLATE "C"'
        if filters.since:
            where.append(f"{date} >= %s")
            params.append(filters.since)
        if filters.until:
            where.append(f"{date} <= %s")
            params.append(filters.until)
        if filters.type:
            where.append("ev.type = %s")
            params.append(filters.type.upper())
        if filters.entity:  # a participant, or a country it acts for
            where.append("(ev.id IN (SELECT event_id FROM event_participants"
                         " WHERE entity_id = %s) OR EXISTS (SELECT 1 FROM"
                         " jsonb_array_elements_text(ev.parties::jsonb) AS v(value)"
                         " WHERE v.value = %s))")
            params += [filters.entity, filters.entity]
        if filters.place:
            where.append("lower(ev.place) = lower(%s)")
            params.append(filters.place)
        if filters.doc_id:
            where.append("ev.doc_id = %s")
            params.append(filters.doc_id)
        sql = (f"SELECT ev.*, {_CITE} FROM events ev JOIN documents d ON d.id = ev.doc_id"
               " LEFT JOIN sentences s ON s.doc_id = ev.doc_id AND s.idx = ev.sentence"
               + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY {date} IS NULL, {date} DESC, ev.id LIMIT %s")
        out = []
        for r in self._x(sql, [*params, limit]).fetchall():
            parts = self._x(
                "SELECT p.entity_id, coalesce(e.name, p.entity_id) AS name"
                " FROM event_participants p LEFT JOIN entities e ON e.id = p.entity_id"
                " WHERE p.event_id = %s ORDER BY p.seq", (r["id"],)).fetchall()
            out.append(EventRecord(
                id=int(r["id"]), type=r["type"], plover=r["plover"], date=r["date"],
                date_phrase=r["date_phrase"], place=r["place"], ordinal=r["ordinal"],
                participants=[p["entity_id"] for p in parts],
                participant_names=[p["name"] for p in parts],
                citation=_citation(r, r["start"], r["end"]), date_inferred=r["date_inferred"],
                date_basis=r["date_basis"], parties=json.loads(r["parties"]),
                support=[(int(a), int(b)) for a, b in json.loads(r["support"])]))
        return out

    def list_commitments(
        self, filters: CommitmentFilters, limit: int = 100
    ) -> list[CommitmentRecord]:
        where: list[str] = []
        params: list[object] = []
        for column, value in (("parties", filters.party), ("sectors", filters.sector),
                              ("projects", filters.project)):
            if value:
                where.append(f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(k.{column}::jsonb)"
                             " AS v(value) WHERE v.value = %s)")
                params.append(value)
        if filters.doc_id:
            where.append("k.doc_id = %s")
            params.append(filters.doc_id)
        sql = (f"SELECT k.*, {_CITE} FROM commitments k JOIN documents d ON d.id = k.doc_id"
               " LEFT JOIN sentences s ON s.doc_id = k.doc_id AND s.idx = k.sentence"
               + (" WHERE " + " AND ".join(where) if where else "")
               + ' ORDER BY d.published IS NULL, d.published COLLATE "C" DESC, k.id LIMIT %s')
        return [CommitmentRecord(
            id=int(r["id"]), parties=json.loads(r["parties"]), modality=r["modality"],
            action=r["action"], sectors=json.loads(r["sectors"]),
            projects=json.loads(r["projects"]), citation=_citation(r, r["start"], r["end"]))
            for r in self._x(sql, [*params, limit])]
