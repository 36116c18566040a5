"""Events: types, participants, dates, places, ordinals, PLOVER mapping."""

from __future__ import annotations

from collections.abc import Callable

from corridor.document import Document
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


def test_meeting_with_participants_date_and_ordinal(mode: str, run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    meets = [e for e in doc.events if e.type == "MEET"]
    first = meets[0]
    assert set(first.participants) >= {"pakistan", "china", "person:sun-weidong", "jwg-icc"}
    assert first.date == "2025-02-03"  # Monday before Thursday 6 Feb 2025
    assert first.date_phrase == "On Monday"
    assert first.ordinal == "fourth"
    # the dateline (BEIJING) is not the venue
    assert first.place is None


def test_call_today_and_venue_stated_in_text(mode: str, run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    call = next(e for e in doc.events if e.type == "CALL")
    assert set(call.participants) == {"person:shehbaz-sharif", "person:li-qiang"}
    assert call.date == "2025-02-06"
    dar = next(e for e in doc.events if e.type == "MEET" and "person:ishaq-dar" in e.participants)
    assert "person:wang-yi" in dar.participants
    assert dar.place == "islamabad"
    sign = next(e for e in doc.events if e.type == "SIGN")
    assert sorted(sign.participants) == ["china", "pakistan"]


def test_ordinal_before_joint_body(run: Extract) -> None:
    doc = run(TEXT, dateline_place="Beijing")
    jcc = [e for e in doc.events if e.ordinal == "14th"]
    assert jcc and "jcc" in jcc[0].participants


def test_date_kept_as_phrase_without_publication_date(run: Extract) -> None:
    doc = run("Pakistan and China signed three agreements on Thursday.", published=None)
    sign = next(e for e in doc.events if e.type == "SIGN")
    assert sign.date is None and sign.date_phrase == "on Thursday"


def test_statement_and_joint_statement(mode: str, run: Extract) -> None:
    doc = run(
        "The two countries issued a joint statement on Friday. "
        "The Chinese side reiterated that the relationship was a priority, Xinhua said."
    )
    js = next(e for e in doc.events if e.type == "JOINT_STATEMENT")
    assert sorted(js.participants) == ["china", "pakistan"]
    assert js.date == "2025-01-31"
    st = [e for e in doc.events if e.type == "STATEMENT"]
    assert st and "china" in st[0].participants


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
