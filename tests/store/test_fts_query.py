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


def test_urdu_terms_become_an_or_of_their_spellings() -> None:
    q = build_query("پاکستان")
    assert q.expression == '("پاکستان" OR "پاكستان")' and not q.trigram
    # a phrase keeps its words together in every spelling
    phrase = build_query('"سی پیک" Gwadar').expression
    assert phrase.startswith('("سی پیک" OR ') and phrase.endswith(' AND "Gwadar"')
    # prefixes stay prefixes in every spelling
    assert build_query("كتا*").expression == '("كتا"* OR "کتا"*)'


def test_or_between_urdu_terms_and_latin_terms() -> None:
    assert build_query("چین OR China").expression == '(("چین" OR "چين") OR "China")'


@pytest.mark.parametrize(
    "hostile",
    ['"پاکستان', 'سی" OR "پیک', "پاکستان*)", "NEAR(چین پاکستان)", 'چين"^', "ＣＰＥＣ:x"],
)
def test_variants_never_break_fts(hostile: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('پاکستان اور چین سی پیک')")
    q = build_query(hostile)
    if q.expression:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (q.expression,)).fetchall()


def test_short_chinese_terms_are_reported_not_searched() -> None:
    q = build_query("王毅 中巴经济走廊")
    assert q.trigram and q.expression == '"中巴经济走廊"' and q.short_terms == ("王毅",)
    assert build_query("CPEC").short_terms == ()


def test_chinese_substring_found_inside_longer_text() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'trigram')")
    conn.execute("INSERT INTO t VALUES ('两国领导人同意推进中巴经济走廊高质量发展。')")
    q = build_query("中巴经济走廊")
    rows = conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (q.expression,)).fetchone()
    assert rows == (1,)
