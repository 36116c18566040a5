"""corridor.xlang: lexicon aliases across English, Urdu and Chinese."""

from __future__ import annotations

from pathlib import Path

from corridor.service import Corridor
from corridor.settings import Settings
from corridor.store.fts_query import build_query
from corridor.xlang import (
    any_language_query,
    expand_query,
    find_aliases,
    gloss,
    query_language,
)

# Short articles written for these tests.
EN = (
    "ISLAMABAD: Officials from both countries met on Monday to review progress on the "
    "China-Pakistan Economic Corridor and agreed to speed up work on the railway upgrade, "
    "the planning ministry said in a statement."
)
UR = (
    "اسلام آباد: دونوں ممالک کے حکام نے پیر کو چین پاکستان اقتصادی راہداری کے منصوبوں "
    "پر پیش رفت کا جائزہ لیا اور ریلوے کی اپ گریڈیشن پر کام تیز کرنے پر اتفاق کیا۔ "
    "وزارت منصوبہ بندی نے ایک بیان میں کہا کہ سی پیک کے دوسرے مرحلے پر کام جاری ہے۔"
)
UR_ARABIC_CODEPOINTS = (
    "كراچى: سی پيك كے تحت بندرگاه كى توسيع كا منصوبه اگلے سال مكمل هوگا۔ "
    "حكام نے بتايا كه اس منصوبے سے تجارت ميں اضافه هوگا اور روزگار كے مواقع پيدا هوں گے۔"
)
ZH = (
    "新华社伊斯兰堡2月10日电 两国官员10日举行会议，回顾中巴经济走廊建设进展，"
    "同意加快铁路升级改造工作。巴基斯坦计划部在声明中说，走廊第二阶段建设正在推进。"
)
OTHER = (
    "LAHORE: The provincial sports board announced a new cricket league for schools, "
    "with matches to be played in twelve districts over the coming winter months."
)


def test_expand_query_acronym_any_case() -> None:
    for typed in ("CPEC", "cpec"):
        (exp,) = expand_query(typed)
        assert exp.entity_id == "cpec" and exp.name == "China-Pakistan Economic Corridor"
        assert "سی پیک" in exp.aliases("ur") and "中巴经济走廊" in exp.aliases("zh")
        assert "CPEC" in exp.aliases("en")
    # short acronyms stay case-sensitive: "us" is a word
    assert expand_query("us trade") == []
    assert [e.entity_id for e in expand_query("US trade")] == ["united-states"]


def test_expand_query_finds_entities_inside_a_query_in_any_script() -> None:
    exps = expand_query("Gwadar port expansion and CPEC")
    assert [(e.entity_id, e.surface) for e in exps] == [
        ("gwadar-port", "Gwadar port"),
        ("cpec", "CPEC"),
    ]
    (ur,) = expand_query("سی پيک")  # typed with an Arabic yeh
    assert ur.entity_id == "cpec" and ur.lang == "ur"
    (zh,) = expand_query("中巴经济走廊建设")
    assert zh.entity_id == "cpec" and (zh.start, zh.end) == (0, 6)


def test_expand_query_unique_part_of_an_alias() -> None:
    (exp,) = expand_query("Orange Line")
    assert exp.entity_id == "orange-line"


def test_any_language_query() -> None:
    alternatives = any_language_query("CPEC")
    assert alternatives[0] == "CPEC"
    ur = next(a for a in alternatives if query_language(a) == "ur")
    zh = next(a for a in alternatives if query_language(a) == "zh")
    assert '"سی پیک"' in ur and '"چین پاکستان اقتصادی راہداری"' in ur
    assert zh == '"中巴经济走廊"'
    # every alternative is valid query syntax
    for alt in alternatives:
        assert build_query(alt).expression
    # words that are not names stay only in the query's own language
    en_alt = any_language_query("CPEC railway")[1]
    assert en_alt.endswith(" railway") and '"China-Pakistan Economic Corridor"' in en_alt
    assert all("railway" not in a for a in any_language_query("CPEC railway")[2:])
    assert any_language_query("cricket league") == ["cricket league"]


def test_gloss_urdu_and_chinese() -> None:
    glosses = gloss(UR, "ur")
    named = {(UR[s:e], name) for s, e, name in glosses}
    assert ("چین پاکستان اقتصادی راہداری", "China-Pakistan Economic Corridor") in named
    assert ("سی پیک", "China-Pakistan Economic Corridor") in named
    assert ("اسلام آباد", "Islamabad") in named
    # Arabic code points still match, offsets point into the original
    arabic = {(UR_ARABIC_CODEPOINTS[s:e], n) for s, e, n in gloss(UR_ARABIC_CODEPOINTS, "ur")}
    assert ("سی پيك", "China-Pakistan Economic Corridor") in arabic
    assert ("كراچى", "Karachi") in arabic
    zh = {(ZH[s:e], n) for s, e, n in gloss(ZH, "zh")}
    assert {("中巴经济走廊", "China-Pakistan Economic Corridor"), ("新华社", "Xinhua News Agency"),
            ("伊斯兰堡", "Islamabad")} <= zh
    # the longest alias wins: the ministry, not the country inside its name
    assert ("巴基斯坦计划部", "Ministry of Planning, Development and Special Initiatives") in zh
    # Urdu aliases match whole words only
    assert gloss("چینی کمپنی", "ur") == []
    assert gloss("", None) == []


def test_find_aliases_does_not_overlap() -> None:
    matches = find_aliases("China-Pakistan Economic Corridor")
    assert [(m.entity_id, m.surface) for m in matches] == [
        ("cpec", "China-Pakistan Economic Corridor")
    ]


def test_search_any_language_finds_urdu_and_chinese_articles(tmp_path: Path) -> None:
    articles = [
        {"url": f"https://example.org/{name}", "title": name, "text": text}
        for name, text in (("en", EN), ("ur", UR), ("ur2", UR_ARABIC_CODEPOINTS), ("zh", ZH),
                           ("other", OTHER))
    ]
    with Corridor(settings=Settings(db=str(tmp_path / "x.db"))) as corridor:
        report = corridor.ingest_articles(articles, extract=False)
        assert report.stored == 5
        plain = {h.url for h in corridor.search("CPEC")}
        merged: dict[str, str | None] = {}
        for alternative in any_language_query("CPEC"):
            for hit in corridor.search(alternative):
                merged.setdefault(hit.url or "", hit.lang)
    assert plain == set()  # no article spells out the acronym in Latin letters
    assert merged == {
        "https://example.org/en": "en",
        "https://example.org/ur": "ur",
        "https://example.org/ur2": "ur",
        "https://example.org/zh": "zh",
    }
