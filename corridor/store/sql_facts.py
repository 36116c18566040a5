"""Extracted facts (sentences, mentions, entities, roles, events, commitments, sectors),
written once for both backends.

Orderings are spelled so both list the same records in the same order: NULLs
first ascending and last descending (SQLite's rule, spelled out for
PostgreSQL), text by code point (``COLLATE "C"``), ties broken by id.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .records import (
    Citation,
    CommitmentRecord,
    EntityRecord,
    EventRecord,
    MentionRecord,
    RoleStamp,
    SentenceMention,
)
from .sql import Row, now
from .sql_documents import DocumentTables

if TYPE_CHECKING:
    from ..document import Document
    from .records import CommitmentFilters, EventFilters

__all__ = ["FactTables"]

_CITE = (
    'd.id AS doc_id, s.start AS s_start, s."end" AS s_end, s.text AS s_text, d.title AS d_title,'
    " d.source AS d_source, d.published AS d_published, d.url AS d_url"
)
_ENTITY_SQL = (
    "SELECT e.*, count(m.id) AS n, count(DISTINCT m.doc_id) AS docs FROM entities e"
    " LEFT JOIN mentions m ON m.entity_id = e.id"
)


def _citation(row: Row, start: int, end: int) -> Citation:
    if row["s_text"] is not None:
        start, end = row["s_start"], row["s_end"]
    return Citation(doc_id=row["doc_id"], start=start, end=end, sentence=row["s_text"] or "",
                    title=row["d_title"], source=row["d_source"], published=row["d_published"],
                    url=row["d_url"])


def _where(conds: list[str]) -> str:
    return " WHERE " + " AND ".join(conds) if conds else ""


def _cited(table: str, alias: str, where: list[str], order: str) -> str:
    """SELECT the rows of ``table`` (with ``doc_id`` and ``sentence`` columns) matching
    every condition of ``where``, each with its citation's columns (``_CITE``)."""
    return (f"SELECT {alias}.*, {_CITE} FROM {table} {alias}"
            f" JOIN documents d ON d.id = {alias}.doc_id"
            f" LEFT JOIN sentences s ON s.doc_id = {alias}.doc_id AND s.idx = {alias}.sentence"
            + _where(where)
            + f" ORDER BY {order} LIMIT ?")


class FactTables(DocumentTables):
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

        columns, marks, _ = self._index_columns(None, "")
        sentences = [(doc.id, i, s.start, s.end, s.text, *self._index_columns(None, s.text)[2])
                     for i, s in enumerate(doc.sentences)]
        with self.transaction():
            for table in ("sentences", "mentions", "roles", "doc_sectors", "commitments"):
                self.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.id,))
            self.execute("DELETE FROM event_participants WHERE event_id IN "
                         "(SELECT id FROM events WHERE doc_id = ?)", (doc.id,))
            self.execute("DELETE FROM events WHERE doc_id = ?", (doc.id,))
            self.many(f'INSERT INTO sentences(doc_id, idx, start, "end", text{columns})'
                      f" VALUES (?,?,?,?,?{marks})", sentences)
            for e in entities:
                self.execute(
                    "INSERT INTO entities(id, type, name, country, in_lexicon) VALUES (?,?,?,?,?)"
                    " ON CONFLICT (id) DO UPDATE SET"
                    " name = CASE WHEN excluded.in_lexicon >= entities.in_lexicon"
                    "   THEN excluded.name ELSE entities.name END,"
                    " country = coalesce(entities.country, excluded.country),"
                    " in_lexicon = CASE WHEN excluded.in_lexicon > entities.in_lexicon"
                    "   THEN excluded.in_lexicon ELSE entities.in_lexicon END",
                    (e.id, e.type, e.name, e.country, int(e.in_lexicon)))
                self.many("INSERT INTO entity_aliases(entity_id, alias) VALUES (?,?)"
                          " ON CONFLICT DO NOTHING",
                          [(e.id, a) for a in sorted({e.name, *e.aliases}) if a])
            self.many(
                'INSERT INTO mentions(doc_id, entity_id, label, start, "end", text, role,'
                " country, sentence) VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc.id, m.entity_id, m.label, m.start, m.end, m.text, m.role, m.country,
                  sent_of(m.start)) for m in doc.mentions])
            self.many(
                'INSERT INTO roles(entity_id, role, country, date, doc_id, start, "end")'
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                [(r.entity_id, r.role, r.country, r.date, doc.id, r.start, r.end) for r in roles])
            for ev in doc.events:
                row = self.one(
                    'INSERT INTO events(doc_id, type, plover, start, "end", sentence, date,'
                    " date_phrase, place, ordinal, date_inferred, date_basis, parties, support)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    (doc.id, ev.type, plover.get(ev.type), ev.start, ev.end, sent_of(ev.start),
                     ev.date, ev.date_phrase, ev.place, ev.ordinal, ev.date_inferred,
                     ev.date_basis, json.dumps(ev.parties),
                     json.dumps([list(x) for x in ev.support])))
                assert row is not None
                self.many("INSERT INTO event_participants(event_id, entity_id) VALUES (?,?)"
                          " ON CONFLICT DO NOTHING", [(row["id"], p) for p in ev.participants])
            self.many(
                'INSERT INTO doc_sectors(doc_id, sector, start, "end") VALUES (?,?,?,?)'
                " ON CONFLICT DO NOTHING",
                [(doc.id, s.sector, s.start, s.end) for s in doc.sectors])
            self.many(
                'INSERT INTO commitments(doc_id, start, "end", sentence, parties, modality,'
                " action, sectors, projects) VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc.id, k.start, k.end, sent_of(k.start), json.dumps(k.parties), k.modality,
                  k.action, json.dumps(k.sectors), json.dumps(k.projects))
                 for k in doc.commitments])
            self.execute(
                "INSERT INTO extraction_state(doc_id, version, extracted_at) VALUES (?,?,?)"
                " ON CONFLICT (doc_id) DO UPDATE SET version = excluded.version,"
                " extracted_at = excluded.extracted_at", (doc.id, version, now()))

    def extraction_todo(self, version: str, everything: bool = False) -> list[str]:
        if everything:
            rows = self.all("SELECT id FROM documents ORDER BY rowid")
        else:
            rows = self.all(
                "SELECT d.id FROM documents d LEFT JOIN extraction_state x ON x.doc_id = d.id"
                " WHERE x.version IS NULL OR x.version != ? ORDER BY d.rowid", (version,))
        return [r["id"] for r in rows]

    # -- entities ---------------------------------------------------------
    def _entity(self, row: Row) -> EntityRecord:
        aliases = [r["alias"] for r in self.all(
            'SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias COLLATE "C"',
            (row["id"],))]
        return EntityRecord(id=row["id"], type=row["type"], name=row["name"],
                            country=row["country"], aliases=aliases,
                            in_lexicon=bool(row["in_lexicon"]), mentions=int(row["n"]),
                            documents=int(row["docs"]))

    def list_entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        where: list[str] = []
        params: list[Any] = []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if query:
            where.append("(e.name ILIKE ? OR e.id IN (SELECT entity_id FROM entity_aliases"
                         " WHERE alias ILIKE ?))")
            params += [f"%{query}%", f"%{query}%"]
        rows = self.all(_ENTITY_SQL + _where(where) + " GROUP BY e.id HAVING count(m.id) > 0"
                        ' ORDER BY n DESC, e.name COLLATE "C" LIMIT ?', [*params, limit])
        return [self._entity(r) for r in rows]

    def find_entity(self, name: str) -> EntityRecord | None:
        same = self.dialect.same_text
        for cond in (
            "e.id = ?",
            same("e.name"),
            f"e.id IN (SELECT entity_id FROM entity_aliases WHERE {same('alias')})",
        ):
            row = self.one(f"{_ENTITY_SQL} WHERE {cond} GROUP BY e.id ORDER BY n DESC, e.id"
                           " LIMIT 1", (name,))
            if row is not None and row["id"] is not None:
                return self._entity(row)
        return None

    def entity_roles(self, entity_id: str) -> list[RoleStamp]:
        rows = self.all(
            'SELECT * FROM roles WHERE entity_id = ? ORDER BY date IS NULL, date COLLATE "C",'
            ' role COLLATE "C", doc_id', (entity_id,))
        return [RoleStamp(entity_id=r["entity_id"], role=r["role"], country=r["country"],
                          date=r["date"], doc_id=r["doc_id"], start=r["start"], end=r["end"])
                for r in rows]

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[MentionRecord]:
        rows = self.all(_cited(
            "mentions", "m", ["m.entity_id = ?"], 'd.published IS NULL, d.published COLLATE "C"'
            ' DESC, m.doc_id COLLATE "C", m.start, m.id'), (entity_id, limit))
        return [MentionRecord(entity_id=r["entity_id"], label=r["label"], text=r["text"],
                              role=r["role"], citation=_citation(r, r["start"], r["end"]))
                for r in rows]

    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        rows = self.all(
            'SELECT entity_id, label, text, role, start, "end" FROM mentions WHERE doc_id = ?'
            ' ORDER BY start, "end" DESC, id', (doc_id,))
        return [SentenceMention(r["entity_id"], r["label"], r["text"], r["role"], r["start"],
                                r["end"]) for r in rows]

    def document_sectors(
        self, doc_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, int, int]]]:
        out: dict[str, list[tuple[str, int, int]]] = {}
        for r in self.chunked_rows(
            'SELECT doc_id, sector, start, "end" FROM doc_sectors WHERE {cond}'
            ' ORDER BY doc_id COLLATE "C", start, sector COLLATE "C"', "doc_id", doc_ids
        ):
            out.setdefault(r["doc_id"], []).append((r["sector"], int(r["start"]), int(r["end"])))
        return out

    # -- events and commitments -------------------------------------------
    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]:
        where: list[str] = []
        params: list[Any] = []
        date = 'coalesce(ev.date, ev.date_inferred, d.published) COLLATE "C"'
        if filters.since:
            where.append(f"{date} >= ?")
            params.append(filters.since)
        if filters.until:
            where.append(f"{date} <= ?")
            params.append(filters.until)
        if filters.type:
            where.append("ev.type = ?")
            params.append(filters.type.upper())
        if filters.entity:  # a participant, or a country it acts for
            where.append("(ev.id IN (SELECT event_id FROM event_participants WHERE entity_id = ?)"
                         f" OR EXISTS (SELECT 1 FROM {self.dialect.json_texts('ev.parties')}"
                         " WHERE v.value = ?))")
            params += [filters.entity, filters.entity]
        if filters.place:
            where.append(self.dialect.same_text("ev.place"))
            params.append(filters.place)
        if filters.doc_id:
            where.append("ev.doc_id = ?")
            params.append(filters.doc_id)
        rows = self.all(_cited("events", "ev", where, f"{date} IS NULL, {date} DESC, ev.id"),
                        [*params, limit])
        out = []
        for r in rows:
            parts = self.all(
                "SELECT p.entity_id, coalesce(e.name, p.entity_id) AS name"
                " FROM event_participants p LEFT JOIN entities e ON e.id = p.entity_id"
                f" WHERE p.event_id = ? ORDER BY p.{self.dialect.seq}", (r["id"],))
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
        params: list[Any] = []
        for column, value in (("parties", filters.party), ("sectors", filters.sector),
                              ("projects", filters.project)):
            if value:
                where.append(f"EXISTS (SELECT 1 FROM {self.dialect.json_texts('k.' + column)}"
                             " WHERE v.value = ?)")
                params.append(value)
        if filters.doc_id:
            where.append("k.doc_id = ?")
            params.append(filters.doc_id)
        rows = self.all(_cited("commitments", "k", where,
                               'd.published IS NULL, d.published COLLATE "C" DESC, k.id'),
                        [*params, limit])
        return [CommitmentRecord(
            id=int(r["id"]), parties=json.loads(r["parties"]), modality=r["modality"],
            action=r["action"], sectors=json.loads(r["sectors"]),
            projects=json.loads(r["projects"]), citation=_citation(r, r["start"], r["end"]))
            for r in rows]
