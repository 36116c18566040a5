from __future__ import annotations

import sqlite3

import pytest

from corridor.store.fts_query import build_query, split_highlights


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CPEC", '"CPEC"'),
        ("Gwadar port", '"Gwadar" AND "port"'),
        ('"joint statement" Beijing', '"joint statement" AND "Beijing"'),
        ("cooperat*", '"cooperat"*'),
        ("ML-1 OR railway", '("ML 1" OR "railway")'),
    ],
)
def test_build_query(typed: str, expected: str) -> None:
    assert build_query(typed).expression == expected


@pytest.mark.parametrize(
    "hostile",
    ['"unbalanced', "NEAR(a b)", "*", "title:x", "a AND", "OR", "')--", "^x", "a NOT b", '""'],
)
def test_hostile_queries_never_break_fts(hostile: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('a near b title x')")
    q = build_query(hostile)
    if q.expression:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (q.expression,)).fetchall()


def test_chinese_uses_trigram() -> None:
    q = build_query("中巴经济走廊")
    assert q.trigram and q.expression == '"中巴经济走廊"'


def test_split_highlights() -> None:
    text, spans = split_highlights("a \x02CPEC\x03 b")
    assert text == "a CPEC b" and spans == [(2, 6)]
