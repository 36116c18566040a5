"""SQLite tables for extracted facts (sentences, mentions, entities, events...)."""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ..document import Document

__all__ = ["ExtractionTables"]

_CITE = (
    "d.id AS doc_id, s.start AS s_start, s.end AS s_end, s.text AS s_text, d.title AS d_title,"
    " d.source AS d_source, d.published AS d_published, d.url AS d_url"
)


def _citation(row: sqlite3.Row, start: int, end: int) -> Citation:
    if row["s_text"] is not None:
        start, end = row["s_start"], row["s_end"]
    return Citation(doc_id=row["doc_id"], start=start, end=end, sentence=row["s_text"] or "",
                    title=row["d_title"], source=row["d_source"], published=row["d_published"],
                    url=row["d_url"])


class ExtractionTables:
    """Mixin for SQLiteStore: needs ``self.conn`` and ``self.transaction()``."""

    conn: sqlite3.Connection

    def transaction(self) -> Any:  # provided by SQLiteStore
        raise NotImplementedError

    def save_extraction(
        self,
        doc: Document,
        entities: Sequence[EntityRecord],
        roles: Sequence[RoleStamp],
        plover: dict[str, str | None],
        version: str,
    ) -> None:
        assert doc.id is not None
        c = self.conn
        starts = [s.start for s in doc.sentences]

        def sent_of(offset: int) -> int | None:
            i = bisect.bisect_right(starts, offset) - 1
            return i if i >= 0 else None

        with self.transaction():
            for table in ("sentences", "mentions", "roles", "doc_sectors", "commitments"):
                c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.id,))
            c.execute("DELETE FROM event_participants WHERE event_id IN "
                      "(SELECT id FROM events WHERE doc_id = ?)", (doc.id,))
            c.execute("DELETE FROM events WHERE doc_id = ?", (doc.id,))
            c.executemany(
                "INSERT INTO sentences(doc_id, idx, start, end, text) VALUES (?,?,?,?,?)",
                [(doc.id, i, s.start, s.end, s.text) for i, s in enumerate(doc.sentences)])
            for e in entities:
                c.execute(
                    "INSERT INTO entities(id, type, name, country, in_lexicon) VALUES (?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET"
                    " name = CASE WHEN excluded.in_lexicon >= entities.in_lexicon"
                    "   THEN excluded.name ELSE entities.name END,"
                    " country = coalesce(entities.country, excluded.country),"
                    " in_lexicon = max(entities.in_lexicon, excluded.in_lexicon)",
                    (e.id, e.type, e.name, e.country, int(e.in_lexicon)))
                c.executemany("INSERT OR IGNORE INTO entity_aliases(entity_id, alias) VALUES (?,?)",
                              [(e.id, a) for a in {e.name, *e.aliases} if a])
            c.executemany(
                "INSERT INTO mentions(doc_id, entity_id, label, start, end, text, role, country,"
                " sentence) VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc.id, m.entity_id, m.label, m.start, m.end, m.text, m.role, m.country,
                  sent_of(m.start)) for m in doc.mentions])
            c.executemany(
                "INSERT OR IGNORE INTO roles(entity_id, role, country, date, doc_id, start, end)"
                " VALUES (?,?,?,?,?,?,?)",
                [(r.entity_id, r.role, r.country, r.date, doc.id, r.start, r.end) for r in roles])
            for ev in doc.events:
                cur = c.execute(
                    "INSERT INTO events(doc_id, type, plover, start, end, sentence, date,"
                    " date_phrase, place, ordinal, date_inferred, date_basis, parties, support)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, ev.type, plover.get(ev.type), ev.start, ev.end, sent_of(ev.start),
                     ev.date, ev.date_phrase, ev.place, ev.ordinal, ev.date_inferred,
                     ev.date_basis, json.dumps(ev.parties),
                     json.dumps([list(x) for x in ev.support])))
                c.executemany(
                    "INSERT OR IGNORE INTO event_participants(event_id, entity_id) VALUES (?,?)",
                    [(cur.lastrowid, p) for p in ev.participants])
            c.executemany(
                "INSERT OR IGNORE INTO doc_sectors(doc_id, sector, start, end) VALUES (?,?,?,?)",
                [(doc.id, s.sector, s.start, s.end) for s in doc.sectors])
            c.executemany(
                "INSERT INTO commitments(doc_id, start, end, sentence, parties, modality, action,"
                " sectors, projects) VALUES (?,?,?,?,?,?,?,?,?)",
                [(doc.id, k.start, k.end, sent_of(k.start), json.dumps(k.parties), k.modality,
                  k.action, json.dumps(k.sectors), json.dumps(k.projects))
                 for k in doc.commitments])
            c.execute(
                "INSERT INTO extraction_state(doc_id, version, extracted_at) VALUES (?,?,?)"
                " ON CONFLICT(doc_id) DO UPDATE SET version = excluded.version,"
                " extracted_at = excluded.extracted_at",
                (doc.id, version, datetime.now(UTC).isoformat(timespec="seconds")))

    def extraction_todo(self, version: str, everything: bool = False) -> list[str]:
        if everything:
            rows = self.conn.execute("SELECT id FROM documents ORDER BY rowid")
        else:
            rows = self.conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN extraction_state x ON x.doc_id = d.id"
                " WHERE x.version IS NULL OR x.version != ? ORDER BY d.rowid", (version,))
        return [r[0] for r in rows]

    # -- entities ---------------------------------------------------------
    def _entity(self, row: sqlite3.Row) -> EntityRecord:
        aliases = [r[0] for r in self.conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (row["id"],))]
        return EntityRecord(id=row["id"], type=row["type"], name=row["name"],
                            country=row["country"], aliases=aliases,
                            in_lexicon=bool(row["in_lexicon"]), mentions=row["n"],
                            documents=row["docs"])

    _ENTITY_SQL = (
        "SELECT e.*, count(m.id) AS n, count(DISTINCT m.doc_id) AS docs FROM entities e"
        " LEFT JOIN mentions m ON m.entity_id = e.id"
    )

    def list_entities(
        self, type: str | None = None, query: str | None = None, limit: int = 100
    ) -> list[EntityRecord]:
        where, params = [], []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if query:
            where.append("(e.name LIKE ? OR e.id IN (SELECT entity_id FROM entity_aliases"
                         " WHERE alias LIKE ?))")
            params += [f"%{query}%", f"%{query}%"]
        sql = self._ENTITY_SQL + (" WHERE " + " AND ".join(where) if where else "")
        sql += " GROUP BY e.id HAVING n > 0 ORDER BY n DESC, e.name LIMIT ?"
        return [self._entity(r) for r in self.conn.execute(sql, [*params, limit])]

    def find_entity(self, name: str) -> EntityRecord | None:
        for sql in (
            " WHERE e.id = ?",
            " WHERE e.name = ? COLLATE NOCASE",
            " WHERE e.id IN (SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE)",
        ):
            row = self.conn.execute(
                self._ENTITY_SQL + sql + " GROUP BY e.id ORDER BY n DESC LIMIT 1", (name,)
            ).fetchone()
            if row is not None and row["id"] is not None:
                return self._entity(row)
        return None

    def entity_roles(self, entity_id: str) -> list[RoleStamp]:
        rows = self.conn.execute(
            "SELECT * FROM roles WHERE entity_id = ? ORDER BY date IS NULL, date, role",
            (entity_id,))
        return [RoleStamp(entity_id=r["entity_id"], role=r["role"], country=r["country"],
                          date=r["date"], doc_id=r["doc_id"], start=r["start"], end=r["end"])
                for r in rows]

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[MentionRecord]:
        rows = self.conn.execute(
            f"SELECT m.*, {_CITE} FROM mentions m JOIN documents d ON d.id = m.doc_id"
            " LEFT JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence"
            " WHERE m.entity_id = ? ORDER BY d.published DESC, m.doc_id, m.start LIMIT ?",
            (entity_id, limit))
        return [MentionRecord(entity_id=r["entity_id"], label=r["label"], text=r["text"],
                              role=r["role"], citation=_citation(r, r["start"], r["end"]))
                for r in rows]

    def document_mentions(self, doc_id: str) -> list[SentenceMention]:
        rows = self.conn.execute(
            "SELECT entity_id, label, text, role, start, end FROM mentions WHERE doc_id = ?"
            " ORDER BY start, end DESC", (doc_id,))
        return [SentenceMention(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    # -- events and commitments -------------------------------------------
    def list_events(self, filters: EventFilters, limit: int = 100) -> list[EventRecord]:
        where, params = [], []
        date = "coalesce(ev.date, ev.date_inferred, d.published)"
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
                         " OR EXISTS (SELECT 1 FROM json_each(ev.parties) WHERE value = ?))")
            params += [filters.entity, filters.entity]
        if filters.place:
            where.append("ev.place = ? COLLATE NOCASE")
            params.append(filters.place)
        if filters.doc_id:
            where.append("ev.doc_id = ?")
            params.append(filters.doc_id)
        sql = (f"SELECT ev.*, {_CITE} FROM events ev JOIN documents d ON d.id = ev.doc_id"
               " LEFT JOIN sentences s ON s.doc_id = ev.doc_id AND s.idx = ev.sentence"
               + (" WHERE " + " AND ".join(where) if where else "")
               + f" ORDER BY {date} IS NULL, {date} DESC, ev.id LIMIT ?")
        out = []
        for r in self.conn.execute(sql, [*params, limit]).fetchall():
            parts = self.conn.execute(
                "SELECT p.entity_id, coalesce(e.name, p.entity_id) FROM event_participants p"
                " LEFT JOIN entities e ON e.id = p.entity_id WHERE p.event_id = ?"
                " ORDER BY p.rowid", (r["id"],)).fetchall()
            out.append(EventRecord(
                id=r["id"], type=r["type"], plover=r["plover"], date=r["date"],
                date_phrase=r["date_phrase"], place=r["place"], ordinal=r["ordinal"],
                participants=[p[0] for p in parts], participant_names=[p[1] for p in parts],
                citation=_citation(r, r["start"], r["end"]), date_inferred=r["date_inferred"],
                date_basis=r["date_basis"], parties=json.loads(r["parties"]),
                support=[(int(a), int(b)) for a, b in json.loads(r["support"])]))
        return out

    def list_commitments(
        self, filters: CommitmentFilters, limit: int = 100
    ) -> list[CommitmentRecord]:
        where, params = [], []
        if filters.party:
            where.append("EXISTS (SELECT 1 FROM json_each(k.parties) WHERE value = ?)")
            params.append(filters.party)
        if filters.sector:
            where.append("EXISTS (SELECT 1 FROM json_each(k.sectors) WHERE value = ?)")
            params.append(filters.sector)
        if filters.project:
            where.append("EXISTS (SELECT 1 FROM json_each(k.projects) WHERE value = ?)")
            params.append(filters.project)
        if filters.doc_id:
            where.append("k.doc_id = ?")
            params.append(filters.doc_id)
        sql = (f"SELECT k.*, {_CITE} FROM commitments k JOIN documents d ON d.id = k.doc_id"
               " LEFT JOIN sentences s ON s.doc_id = k.doc_id AND s.idx = k.sentence"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY d.published IS NULL, d.published DESC, k.id LIMIT ?")
        return [CommitmentRecord(
            id=r["id"], parties=json.loads(r["parties"]), modality=r["modality"],
            action=r["action"], sectors=json.loads(r["sectors"]),
            projects=json.loads(r["projects"]), citation=_citation(r, r["start"], r["end"]))
            for r in self.conn.execute(sql, [*params, limit])]
