"""Entity mentions, titles/roles, countries and resolution, in both NLP modes."""

from __future__ import annotations

from collections.abc import Callable

from corridor.document import Document
from corridor.extract import entity_catalog, entity_roles

Extract = Callable[..., Document]

ARTICLE = "\n".join(
    [
        "Working group on cooperation meets in the capital",
        "ISLAMABAD, Feb. 6 (APP): The talks on Monday were led by Foreign Secretary Muhammad "
        "Syrus Sajjad Qazi and Vice Minister for Foreign Affairs of China Sun Weidong, who "
        "co-chaired the session of the CPEC Joint Working Group on International Cooperation "
        "and Coordination (JWG-ICC).",
        "Separately, Ambassador of Pakistan to China, H.E. Khalil Hashmi, called in Beijing on "
        "Mr. Liu Haixing, Minister of the International Department of the Communist Party of "
        "China (IDCPC). Party ties matter, the Ambassador told his host at the IDCPC.",
        "Islamabad and Beijing reached an agreement on sharing best practices, the foreign "
        "secretary said.",
    ]
)


def by_text(doc: object, text: str) -> list[object]:
    return [m for m in doc.mentions if m.text == text]  # type: ignore[attr-defined]


def test_titles_roles_and_countries(mode: str, run: Extract) -> None:
    doc = run(ARTICLE, dateline_place="Islamabad")
    sun = by_text(doc, "Sun Weidong")[0]
    assert sun.entity_id == "person:sun-weidong"
    assert sun.role == "Vice Minister for Foreign Affairs of China"
    assert sun.country == "china"
    qazi = by_text(doc, "Muhammad Syrus Sajjad Qazi")[0]
    assert qazi.role == "Foreign Secretary"
    assert qazi.country == "pakistan"
    hashmi = by_text(doc, "Khalil Hashmi")[0]
    assert hashmi.role == "Ambassador of Pakistan to China"
    assert hashmi.country == "pakistan"
    liu = by_text(doc, "Liu Haixing")[0]
    assert liu.role is not None and liu.role.startswith("Minister of the International Department")
    assert liu.country == "china"


def test_role_references_resolve_within_the_article(mode: str, run: Extract) -> None:
    doc = run(ARTICLE, dateline_place="Islamabad")
    refs = {m.text: m.entity_id for m in doc.mentions if m.label == "PERSON"}
    assert refs["Ambassador"] == "person:khalil-hashmi"
    assert refs["foreign secretary"] == "person:muhammad-syrus-sajjad-qazi"


def test_acronyms_and_full_names_are_one_entity(mode: str, run: Extract) -> None:
    doc = run(ARTICLE, dateline_place="Islamabad")
    ids = {m.text: m.entity_id for m in doc.mentions}
    assert ids["JWG-ICC"] == "jwg-icc"
    full = "CPEC Joint Working Group on International Cooperation and Coordination"
    assert ids[full] == "jwg-icc"
    assert ids["IDCPC"] == "idcpc"
    assert ids["APP"] == "app"
    text = (
        "The National Radio and Television Administration (NRTA) of China and Pakistan "
        "Television (PTV) met China Central Television (CCTV) and the CPEC Joint Cooperation "
        "Committee (JCC) officials. NRTA, PTV, CCTV and the JCC agreed."
    )
    doc2 = run(text)
    pairs = {(m.text, m.entity_id) for m in doc2.mentions}
    for full, acro, ent in [
        ("National Radio and Television Administration", "NRTA", "nrta"),
        ("Pakistan Television", "PTV", "ptv"),
        ("China Central Television", "CCTV", "cctv"),
        ("CPEC Joint Cooperation Committee", "JCC", "jcc"),
    ]:
        assert (full, ent) in pairs
        assert (acro, ent) in pairs


def test_capital_as_government_or_place(mode: str, run: Extract) -> None:
    doc = run(ARTICLE, dateline_place="Islamabad")
    labels = {(m.start, m.text): (m.label, m.entity_id) for m in doc.mentions}
    dateline = next(v for (s, t), v in labels.items() if t == "ISLAMABAD")
    assert dateline == ("PLACE", "islamabad")
    split = ARTICLE.index("Islamabad and")
    place = next(v for (s, t), v in labels.items() if t == "Beijing" and s < split)
    assert place == ("PLACE", "beijing")
    gov = [v for (s, t), v in labels.items() if s >= ARTICLE.index("Islamabad and")]
    assert ("ORG", "gov-pakistan") in gov
    assert ("ORG", "gov-china") in gov


def test_unresolvable_role_reference_is_dropped(mode: str, run: Extract) -> None:
    doc = run("The President said the two countries were friends.")
    assert not [m for m in doc.mentions if m.label == "PERSON"]


def test_the_president_resolves_to_the_named_president(mode: str, run: Extract) -> None:
    doc = run(
        "President Asif Ali Zardari met Premier Li Qiang in Beijing. "
        "The President said Pakistan valued the friendship."
    )
    pres = [m for m in doc.mentions if m.text == "President"]
    assert pres and pres[0].entity_id == "person:asif-ali-zardari"
    assert pres[0].role == "President"


def test_urdu_and_chinese_aliases(run: Extract) -> None:
    ur = run("پاکستان اور چین نے سی پیک پر اتفاق کیا۔ گوادر بندرگاہ اہم ہے۔", lang="ur")
    assert {m.entity_id for m in ur.mentions} >= {"pakistan", "china", "cpec", "gwadar-port"}
    zh = run("中巴经济走廊是“一带一路”的旗舰项目。习近平会见了扎尔达里。", lang="zh")
    ids = {m.entity_id for m in zh.mentions}
    assert ids >= {"cpec", "bri", "person:xi-jinping", "person:asif-ali-zardari"}


def test_entity_catalog_and_roles(run: Extract) -> None:
    doc = run(ARTICLE, dateline_place="Islamabad")
    doc.id = "doc-1"
    cat = entity_catalog(doc.mentions)
    assert cat["nrta" if "nrta" in cat else "idcpc"].in_lexicon
    idcpc = cat["idcpc"]
    assert idcpc.type == "ORG" and "IDCPC" in idcpc.aliases and "中联部" in idcpc.aliases
    sun = cat["person:sun-weidong"]
    assert sun.type == "PERSON" and sun.name == "Sun Weidong"
    roles = {(r.entity_id, r.role) for r in entity_roles(doc)}
    assert ("person:sun-weidong", "Vice Minister for Foreign Affairs of China") in roles
    assert all(r.date == "2025-02-06" and r.doc_id == "doc-1" for r in entity_roles(doc))


def test_non_lexicon_names_get_stable_slugs(mode: str, run: Extract) -> None:
    a = run("Federal Minister for Maritime Affairs Qaiser Ahmed Sheikh met the Chinese envoy.")
    b = run("Maritime Minister Qaiser Ahmed Sheikh said the port would expand.")
    ida = {m.entity_id for m in a.mentions if m.label == "PERSON"}
    idb = {m.entity_id for m in b.mentions if m.label == "PERSON"}
    assert "person:qaiser-ahmed-sheikh" in ida & idb


def test_abbreviations_keep_their_final_period(mode: str, run: Extract) -> None:
    doc = run(
        "Envoys from the U.S. and the U.K. met in Lahore. Talks ended late in the U.S. "
        "The deal was signed by Orbital Freight Corp. and the U.N. mission."
    )
    texts = [m.text for m in doc.mentions]
    assert texts.count("U.S.") == 2 and "U.S" not in texts
    assert "U.K." in texts and "U.K" not in texts
    us = [m for m in doc.mentions if m.text == "U.S."]
    assert all(m.entity_id == "united-states" for m in us)


def test_country_in_brackets_after_a_name_is_a_place(run: Extract) -> None:
    from corridor.extract import get_nlp

    if not get_nlp("auto").statistical:
        return  # the names themselves come from the statistical NER
    text = (
        "Cycling: stage winner Oskar Lindahl (Norway) finished ahead of Teodor Vasile "
        "(Romania) and Kevin Ashdown (Canada)."
    )
    doc = run(text)
    got = {(m.text, m.label) for m in doc.mentions}
    for name in ("Oskar Lindahl", "Teodor Vasile", "Kevin Ashdown"):
        assert (name, "PERSON") in got
    for place in ("Norway", "Romania", "Canada"):
        assert (place, "PLACE") in got
    # a bracketed word is not an acronym of the name before it
    ids = {m.text: m.entity_id for m in doc.mentions}
    assert ids["Norway"] != ids["Oskar Lindahl"]


def test_bracketed_acronym_still_names_the_body(run: Extract) -> None:
    doc = run("The Northern Grain Marketing Board (NGMB) met traders. The NGMB said prices rose.")
    ids = {m.text: m.entity_id for m in doc.mentions}
    assert ids.get("NGMB") == ids.get("Northern Grain Marketing Board") is not None


def test_a_named_persons_surname_alone_is_a_mention(mode: str, run: Extract) -> None:
    doc = run(
        "Trade Minister Farida Qureshi opened the fair in Karachi on Monday. "
        "Qureshi thanked the exhibitors for coming."
    )
    alone = [m for m in doc.mentions if m.text == "Qureshi"]
    assert len(alone) == 1 and alone[0].label == "PERSON"
    full = next(m for m in doc.mentions if m.text == "Farida Qureshi")
    assert alone[0].entity_id == full.entity_id


def test_results_lines_keep_names_without_their_scores(run: Extract) -> None:
    from corridor.extract import get_nlp

    if not get_nlp("auto").statistical:
        return  # the club names come from the statistical NER
    # no final period and Title Case, but a results line, not a headline
    doc = run("Final standings: Norrkoping City 40 points, Uppsala United 38, Gavle Athletic 31")
    orgs = {m.text for m in doc.mentions if m.label == "ORG"}
    assert {"Norrkoping City", "Uppsala United"} <= orgs
    doc = run("Rugby league results on Sunday: Leeds Rhinos 24 Wigan Warriors 18")
    assert doc.mentions and not any(ch.isdigit() for m in doc.mentions for ch in m.text)


def test_an_agency_dateline_names_a_place(mode: str, run: Extract) -> None:
    doc = run("TAMPERE 2026-03-02 Officials said the old bridge would reopen in May.")
    assert ("TAMPERE", "PLACE") in {(m.text, m.label) for m in doc.mentions}
    doc = run("NOTE - Officials said the old bridge would reopen in May.")
    assert "NOTE" not in {m.text for m in doc.mentions}
