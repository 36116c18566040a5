"""corridor.textnorm: search keys and query spellings for Urdu, Chinese, English."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from corridor.store.fts_query import build_query
from corridor.textnorm import (
    fold_with_offsets,
    has_arabic_script,
    normalize_for_search,
    safe_nfkc,
    search_variants,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("پاكستان", "پاکستان"),  # Arabic kaf
        ("چين", "چین"),  # Arabic yeh
        ("على", "علی"),  # alef maksura
        ("كراچى", "کراچی"),
        ("بیجِنگ", "بیجنگ"),  # zer removed
        ("پاکـــستان", "پاکستان"),  # tatweel removed
        ("زکوٰۃ", "زکوۃ"),  # superscript alef removed
        ("مدرسة", "مدرسۃ"),  # teh marbuta
        ("ﭘﺎﮐﺴﺘﺎﻥ", "پاکستان"),  # presentation forms (PDF text)
        ("۲۰۲۵", "2025"),
        ("٢٠٢٥", "2025"),
        ("ＣＰＥＣ ２０２５", "CPEC 2025"),
        ("中巴经济走廊", "中巴经济走廊"),
        ("Gwadar Port", "Gwadar Port"),
    ],
)
def test_normalize_for_search(typed: str, key: str) -> None:
    assert normalize_for_search(typed) == key


def test_normalize_keeps_distinct_urdu_letters_and_composed_hamza() -> None:
    # do-chashmi he and gol he are different letters: پھل (fruit) / پہل (initiative)
    assert normalize_for_search("پھل") != normalize_for_search("پہل")
    assert normalize_for_search("ۓ") == "ۓ"
    assert normalize_for_search("آ") == "آ"
    # decomposed alef + madda (as some keyboards type it) composes
    assert normalize_for_search("ا\u0653پ") == "آپ"
    # ی + hamza above has no precomposed letter: it becomes ئ
    assert normalize_for_search("لی\u0654ے") == "لئے"


def test_safe_nfkc_keeps_arabic_word_ligatures() -> None:
    assert safe_nfkc("محمد ﷺ") == "محمد ﷺ"
    assert unicodedata.normalize("NFKC", "ﷺ") != "ﷺ"  # what plain NFKC would do
    assert safe_nfkc("ﻻ ﷲ ＡＢ") == "لا ﷲ AB"


def test_has_arabic_script() -> None:
    assert has_arabic_script("سی پیک") and not has_arabic_script("CPEC 中巴 ۲۰۲۵")


def test_variants_of_latin_and_chinese_terms() -> None:
    assert search_variants("CPEC") == ["CPEC"]
    assert search_variants("中巴经济走廊") == ["中巴经济走廊"]
    assert search_variants("ＣＰＥＣ") == ["ＣＰＥＣ", "CPEC"]


def test_variants_of_urdu_terms() -> None:
    variants = search_variants("پاکستان")
    assert variants[0] == "پاکستان" and "پاكستان" in variants
    # typed with Arabic code points: the Urdu spelling is among them
    assert "چین" in search_variants("چين")
    # typed with Persian-keyboard he: both readings (بھی and بہی)
    assert {"بھی", "بہی"} <= set(search_variants("بهی"))
    # diacritics typed: also without them
    assert "بیجنگ" in search_variants("بیجِنگ")
    # decomposed madda, which the index splits into two tokens
    assert "ا\u0653ئی" in search_variants("آئی")
    assert len(search_variants("چین پاکستان اقتصادی راہداری")) <= 24


def test_a_query_typed_either_way_finds_text_written_the_other_way() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    docs = {
        1: "پاكستان اور چين كے درميان معاهده",  # Arabic code points
        2: "پاکستان اور چین کے درمیان معاہدہ",  # Urdu code points
        3: "ا\u0653ئی ایم ایف کا وفد",  # decomposed madda
    }
    for rowid, text in docs.items():
        conn.execute("INSERT INTO t(rowid, x) VALUES (?, ?)", (rowid, text))

    def found(query: str) -> set[int]:
        expr = build_query(query).expression
        return {r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,))}

    assert found("پاکستان چین") == {1, 2}
    assert found("پاكستان چين") == {1, 2}
    assert found("معاہدہ") == {1, 2}
    assert found('"آئی ایم ایف"') == {3}


def test_fold_with_offsets_maps_back_to_the_original() -> None:
    text = "پاکـستان کِتاب  China–Pakistan ＣＰＥＣ"
    folded = fold_with_offsets(text, lower=True, unify_punct=True)
    assert folded.text == "پاکستان کتاب china-pakistan cpec"
    i = folded.text.index("کتاب")
    s, e = folded.source_span(i, i + len("کتاب"))
    assert text[s:e] == "کِتاب"
    j = folded.text.index("cpec")
    s, e = folded.source_span(j, j + 4)
    assert text[s:e] == "ＣＰＥＣ"
    assert fold_with_offsets("").text == ""
