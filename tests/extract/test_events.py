"""Events: types, participants and parties, stated and inferred dates, places, ordinals,
one event per happening, news statements, PLOVER mapping."""

from __future__ import annotations

from collections.abc import Callable

from corridor.document import Document, Event
from corridor.extract import EVENT_TYPES, plover_type

Extract = Callable[..., Document]

TEXT = "\n".join(
    [
        "Pakistan, China review CPEC cooperation",
        "BEIJING, Feb. 6 (APP): On Monday, Pakistan and China held the fourth meeting of the CPEC "
        "Joint Working Group on International Cooperation and Coordination (JWG-ICC). Foreign "
        "Secretary Amna Baloch and Vice Minister Sun Weidong co-chaired the meeting.",
        "Prime Minister Shehbaz Sharif held a telephone call with Premier Li Qiang today.",
        "The 14th JCC will be held in Islamabad next month.",
        "Earlier, Ishaq Dar met Wang Yi in Islamabad, and the two sides signed an MoU on media "
        "cooperation.",
    ]
)


def _of(doc: Document, typ: str) -> list[Event]:
    return [e for e in doc.events if e.type == typ]


def _sentences(doc: Document, ev: Event) -> list[str]:
    return [doc.text[a:b] for a, b in ev.support]


def test_meeting_people_parties_inferred_date_and_ordinal(mode: str, run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    first = _of(doc, "MEET")[0]
    # the people named for it take part; their countries are its parties
    assert {"person:sun-weidong", "jwg-icc"} <= set(first.participants)
    assert not {"pakistan", "china"} & set(first.participants)
    assert {"pakistan", "china"} <= set(first.parties)
    # "On Monday" is resolved, not stated: the Monday before the dateline's 6 Feb
    assert first.date is None
    assert first.date_inferred == "2025-02-03"
    assert first.date_phrase == "On Monday"
    assert first.date_basis and "dateline" in first.date_basis
    assert first.ordinal == "fourth"
    assert first.place is None  # the dateline (BEIJING) is not the venue
    # "co-chaired the meeting" reports the same meeting: one event, two sentences
    assert len(first.support) == 2
    assert any("co-chaired" in s for s in _sentences(doc, first))


def test_call_today_under_a_dated_dateline_is_stated(mode: str, run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    [call] = _of(doc, "CALL")
    assert set(call.participants) == {"person:shehbaz-sharif", "person:li-qiang"}
    assert call.date == "2025-02-06" and call.date_inferred is None
    dar = next(e for e in doc.events if e.type == "MEET" and "person:ishaq-dar" in e.participants)
    assert "person:wang-yi" in dar.participants
    assert dar.place == "islamabad"
    # "the two sides" after Dar met Wang Yi are those two; their countries are the parties
    sign = _of(doc, "SIGN")[0]
    assert sorted(sign.participants) == ["person:ishaq-dar", "person:wang-yi"]
    assert sorted(sign.parties) == ["china", "pakistan"]


def test_today_without_a_dated_dateline_is_inferred(run: Extract) -> None:
    doc = run("Foreign Minister Ishaq Dar met Wang Yi in Beijing today.", published="2025-02-06")
    [meet] = _of(doc, "MEET")
    assert meet.date is None and meet.date_inferred == "2025-02-06"
    assert meet.date_basis and "publication" in meet.date_basis


def test_ordinal_before_joint_body(run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    jcc = [e for e in doc.events if e.ordinal == "14th"]
    assert jcc and "jcc" in jcc[0].participants


def test_date_kept_as_phrase_without_publication_date(run: Extract) -> None:
    doc = run("Pakistan and China signed three agreements on Thursday.", published=None)
    sign = next(e for e in doc.events if e.type == "SIGN")
    assert sign.date is None and sign.date_inferred is None and sign.date_phrase == "on Thursday"


def test_calendar_date_is_stated(run: Extract) -> None:
    doc = run("Pakistan and China signed three agreements on 12 January 2025.")
    [sign] = _of(doc, "SIGN")
    assert sign.date == "2025-01-12" and sign.date_inferred is None


def test_dateline_date_is_not_an_event_date(run: Extract) -> None:
    text = (
        "BEIJING, (Harbour Wire - 6th Feb, 2025) Pakistan and China have agreed to expand "
        "cooperation in agriculture."
    )
    doc = run(text, published="2025-02-06")
    [agree] = _of(doc, "AGREE")
    assert agree.date is None and agree.date_inferred is None and agree.date_phrase is None


def test_statement_and_joint_statement(mode: str, run: Extract) -> None:
    doc = run(
        "The two countries issued a joint statement on Friday. "
        "The Chinese side reiterated that the relationship was a priority, Xinhua said. "
        "China's Ministry of Commerce said in a statement that the tariff cuts would apply."
    )
    [js] = _of(doc, "JOINT_STATEMENT")
    assert sorted(js.participants) == ["china", "pakistan"]
    assert js.date is None and js.date_inferred == "2025-01-31"
    # a reporting verb is not an event; a statement issued is
    [st] = _of(doc, "STATEMENT")
    assert st.participants == ["mofcom"] and st.parties == ["china"]


BRIEFING = "\n".join(
    [
        "Pakistan backs dialogue, says FO",
        "ISLAMABAD, March 7 (APP): Foreign Office Spokesperson Farah Naz said on Thursday that "
        "Pakistan supported dialogue on all regional disputes.",
        "She said Foreign Minister Ishaq Dar met Chinese Ambassador Jiang Zaidong on Tuesday.",
        "She added that the two countries would mark the anniversary of their ties in May.",
        "She noted that Pakistan valued its friendship with China.",
        "Meanwhile, Minister for Commerce Jam Kamal Khan said exports to China had risen.",
        "He stressed that the textile sector needed Chinese investment.",
        "The Board of Investment announced a new desk for Chinese investors.",
        "According to a statement released by the ministry, the desk would open in April.",
    ]
)


def test_reporting_verbs_are_not_events(mode: str, run: Extract) -> None:
    doc = run(BRIEFING, published="2025-03-07", dateline_place="Islamabad")
    statements = _of(doc, "STATEMENT")
    speakers = sorted(p for e in statements for p in e.participants)
    # the spokesperson's statement (once, whatever she went on to say) and the
    # announcement; not the minister's remarks, not the attribution of the meeting
    assert speakers == ["boi-pakistan", "person:farah-naz"], speakers
    spokes = next(e for e in statements if "person:farah-naz" in e.participants)
    assert spokes.date is None and spokes.date_inferred == "2025-03-06"
    assert len(spokes.support) >= 2
    [meet] = _of(doc, "MEET")
    assert set(meet.participants) == {"person:ishaq-dar", "person:jiang-zaidong"}
    assert meet.date_inferred == "2025-03-04"


def test_courtesy_and_telephone_calls_are_calls(mode: str, run: Extract) -> None:
    doc = run(
        "Chinese Ambassador Jiang Zaidong called on Chief Minister Sarfraz Bugti in Quetta. "
        "During the meeting, the two discussed the security of Chinese workers. "
        "Later, the ambassador paid a courtesy call on Governor Akram Durrani. "
        "Foreign Minister Ishaq Dar spoke to Wang Yi by telephone on Monday. "
        "Ishaq Dar called on the international community to support the peace process."
    )
    calls = _of(doc, "CALL")
    pairs = sorted(sorted(e.participants) for e in calls)
    assert pairs == [
        ["person:akram-durrani", "person:jiang-zaidong"],
        ["person:ishaq-dar", "person:wang-yi"],
        ["person:jiang-zaidong", "person:sarfraz-bugti"],
    ], pairs
    assert not _of(doc, "MEET")  # "the meeting" is the courtesy call; an appeal is no event
    bugti = next(e for e in calls if "person:sarfraz-bugti" in e.participants)
    assert bugti.place == "quetta" and len(bugti.support) == 2


def test_visits_from_travel_phrasing(mode: str, run: Extract) -> None:
    doc = run(
        "President Asif Ali Zardari received the visiting Chinese Vice Premier Ding Xuexiang "
        "in Islamabad. Ding thanked the President of Pakistan for visiting China in June 2024. "
        "Ding arrived in Lahore on Sunday.",
        published="2025-08-04",
    )
    visits = _of(doc, "VISIT")
    by_person = {e.participants[0]: e for e in visits}
    assert set(by_person) == {"person:ding-xuexiang", "person:asif-ali-zardari"}
    past = by_person["person:asif-ali-zardari"]
    assert past.place == "china" and past.date is None and past.date_phrase == "in June 2024"
    ding = by_person["person:ding-xuexiang"]
    assert ding.date_inferred == "2025-08-03"  # the trip, reported twice, is one visit
    [meet] = _of(doc, "MEET")
    assert set(meet.participants) == {"person:asif-ali-zardari", "person:ding-xuexiang"}


def test_one_meeting_per_counterpart(mode: str, run: Extract) -> None:
    doc = run(
        "During his visit to China, Field Marshal Asim Munir met Vice Chairman of the Central "
        "Military Commission Zhang Youxia, Defence Minister Dong Jun and Foreign Minister "
        "Wang Yi in Beijing on Tuesday."
    )
    meets = _of(doc, "MEET")
    assert len(meets) >= 2
    assert all(len(e.participants) == 2 and "person:asim-munir" in e.participants for e in meets)
    assert len({p for e in meets for p in e.participants}) == len(meets) + 1
    if mode == "auto":  # the rule-only pipeline reads "Dong Jun" as "Dong", ending the list
        assert sorted(sorted(e.participants) for e in meets) == [
            ["person:asim-munir", "person:dong-jun"],
            ["person:asim-munir", "person:wang-yi"],
            ["person:asim-munir", "person:zhang-youxia"],
        ]
    assert all(e.place == "beijing" and e.date_inferred == "2025-02-04" for e in meets)


def test_one_signing_reported_twice(mode: str, run: Extract) -> None:
    doc = run(
        "ISLAMABAD, June 5 (APP): Pakistan and China on Wednesday signed an agreement on a "
        "desalination plant in Gwadar. The agreement was signed in Islamabad by Secretary "
        "Zafar Ali Shah and Chinese Counsellor Wang Shengjie.",
        published="2025-06-05",
        dateline_place="Islamabad",
    )
    [sign] = _of(doc, "SIGN")
    assert set(sign.participants) == {"person:zafar-ali-shah", "person:wang-shengjie"}
    assert set(sign.parties) == {"pakistan", "china"}
    assert sign.date_inferred == "2025-06-04" and sign.place == "islamabad"
    assert len(sign.support) == 2


def test_both_sides_after_a_two_person_meeting_are_the_people(mode: str, run: Extract) -> None:
    doc = run(
        "Information Minister Attaullah Tarar met Chinese Minister Cao Shumin in Beijing. "
        "Both sides agreed to expand cooperation in documentary production."
    )
    [agree] = _of(doc, "AGREE")
    assert set(agree.participants) == {"person:attaullah-tarar", "person:cao-shumin"}
    assert set(agree.parties) == {"pakistan", "china"}


def test_plover_mapping() -> None:
    assert plover_type("MEET") == "CONSULT"
    assert plover_type("VISIT") == "CONSULT"
    assert plover_type("CALL") == "CONSULT"
    assert plover_type("AGREE") == "AGREE"
    assert plover_type("SIGN") == "AGREE"
    assert plover_type("JOINT_STATEMENT") == "AGREE"
    assert plover_type("STATEMENT") is None
    assert set(EVENT_TYPES) == {
        "MEET",
        "VISIT",
        "CALL",
        "JOINT_STATEMENT",
        "AGREE",
        "SIGN",
        "STATEMENT",
    }


def test_dateline_date_from_metadata_when_cleaning_took_the_dateline_out() -> None:
    """The dateline is no longer in the text; its date in ``dateline_date`` still dates
    "today" (stated) and anchors "on Monday" (inferred, counted from the dateline)."""
    from corridor.extract import extract

    text = (
        "On Monday, Foreign Minister Ishaq Dar met Wang Yi in Islamabad. "
        "Prime Minister Shehbaz Sharif held a telephone call with Premier Li Qiang today."
    )
    doc = extract(
        Document(
            "k", text=text, published="2025-02-07", lang="en", dateline_place="Beijing",
            dateline_date="2025-02-06",
        )
    )
    [call] = _of(doc, "CALL")
    assert call.date == "2025-02-06" and call.date_inferred is None
    meet = next(e for e in doc.events if e.type == "MEET")
    assert meet.date is None and meet.date_inferred == "2025-02-03"
    assert meet.date_basis and "dateline" in meet.date_basis
