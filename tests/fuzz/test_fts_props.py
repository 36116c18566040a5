"""FTS query building against real SQLite FTS5 tables (corridor/store/fts_query.py).

Any typed string gives an expression that the store's word index (unicode61,
diacritics removed) and trigram index both accept, or an empty expression. The
same strings, through ``Corridor.search`` on a real pool, give hits or nothing,
never a database error, and leave the pool as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import ConfigError
from corridor.service import Corridor
from corridor.settings import Settings
from corridor.store.fts_query import build_query, split_highlights

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1
SYNTAX = ['"', "*", "^", ":", "(", ")", "NEAR", "NEAR(", "OR", "AND", "NOT", "+", "-", "'",
          "--", "title:", "text:", "{title text}:", "{", "}", ",", ";", "DROP TABLE documents",
          "port", "Gwadar", "中巴经济走廊", "王毅", "پاکستان", "ＣＰＥＣ", "\x00", "\\", "%", "_",
          " ", "  ", "é", "x" * 40]
typed = st.one_of(st.text(max_size=120),
                  st.lists(st.sampled_from(SYNTAX), max_size=16).map("".join),
                  st.lists(st.sampled_from(SYNTAX), max_size=16).map(" ".join))


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE words USING fts5(title, text, "
                 "tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, tokenize='trigram')")
    for table in ("words", "tri"):
        conn.execute(f"INSERT INTO {table} VALUES (?, ?)",
                     ("Gwadar port", "NEAR the port: پاکستان اور چین 中巴经济走廊 title text"))
    yield conn
    conn.close()


@settings(max_examples=400 * SCALE)
@given(typed)
def test_any_string_is_a_valid_fts5_query(fts: sqlite3.Connection, text: str) -> None:
    query = build_query(text)
    assert all(len(term) < 3 for term in query.short_terms)
    if query.expression:
        table = "tri" if query.trigram else "words"
        fts.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?",
                    (query.expression,)).fetchall()


@settings(max_examples=200 * SCALE)
@given(st.text(alphabet=st.sampled_from("ab\x02\x03 "), max_size=40))
def test_split_highlights_spans_in_bounds(marked: str) -> None:
    text, spans = split_highlights(marked)
    assert "\x02" not in text and "\x03" not in text
    assert all(0 <= s < e <= len(text) for s, e in spans)


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    db = tmp_path_factory.mktemp("fts") / "pool.db"
    with Corridor(settings=Settings(db=str(db))) as corridor:
        corridor.ingest_articles([
            {"title": "Ferry timetable agreed", "url": "https://example.org/ferry",
             "text": "Harbour officials agreed on a summer ferry timetable with four daily "
                     "crossings, the port office said on Thursday, and promised cheaper "
                     "tickets for students and families."},
            {"title": "中巴经济走廊港口合作", "url": "https://example.org/zh",
             "text": "中巴经济走廊港口合作取得新进展，双方同意加快推进港口物流和人才培训项目，"
                     "与会代表表示将继续深化交流。"},
        ], extract=False)
        yield corridor


@settings(max_examples=150 * SCALE)
@given(q=typed, source=st.one_of(st.none(), typed), lang=st.one_of(st.none(), typed))
def test_search_never_fails_on_typed_strings(pool: Corridor, q: str, source: str | None,
                                             lang: str | None) -> None:
    before = pool.stats()["documents"]
    hits = pool.search(q, source=source, lang=lang, limit=5)
    for hit in hits:
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.highlights)
    assert pool.stats()["documents"] == before == 2


@settings(max_examples=60 * SCALE)
@given(since=st.text(max_size=30))
def test_bad_dates_in_search_are_config_errors(pool: Corridor, since: str) -> None:
    try:
        pool.search("port", since=since)
    except ConfigError as exc:
        assert exc.code == "config" and exc.message
