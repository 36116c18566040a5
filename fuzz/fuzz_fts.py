"""Fuzz the FTS query builder against real SQLite FTS5 tables.

Any typed string must give an expression that both of the store's indexes
(unicode61 with diacritics removed, and trigram) accept, or an empty one.
"""

from __future__ import annotations

import sqlite3

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.store.fts_query import build_query, split_highlights

from _harness import fuzz_main, mode_and_text

DB = sqlite3.connect(":memory:")
DB.execute("CREATE VIRTUAL TABLE words USING fts5(title, text, "
           "tokenize='unicode61 remove_diacritics 2')")
DB.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, tokenize='trigram')")
for table in ("words", "tri"):
    DB.execute(f"INSERT INTO {table} VALUES (?, ?)",
               ("Gwadar port talks", "پاکستان اور چین 中巴经济走廊 NEAR the port of Gwadar"))


def test_one_input(data: bytes) -> None:
    _, typed = mode_and_text(data, 1)
    query = build_query(typed)
    assert all(len(term) < 3 for term in query.short_terms)
    if query.expression:
        table = "tri" if query.trigram else "words"
        DB.execute(f"SELECT rowid, snippet({table}, 1, char(2), char(3), '…', 8) "
                   f"FROM {table} WHERE {table} MATCH ?", (query.expression,)).fetchall()
    text, spans = split_highlights(typed)
    assert all(0 <= s < e <= len(text) for s, e in spans)


if __name__ == "__main__":
    fuzz_main(test_one_input)
