"""Claims that one reported event came before another: both dated by the record."""

from __future__ import annotations

from pathlib import Path

from corridor.check.order import ordering
from corridor.service import Corridor

MEETING = ("Foreign Minister John Carter met Trade Minister Maria Lopez in Lisbon today. "
           "The two discussed dredging of the outer channel.")
CALL = ("Foreign Minister John Carter paid a courtesy call on Prime Minister David Miller in "
        "Porto on Monday. They discussed ferry links.")
PLANNED = "Foreign Minister John Carter will visit Madrid next month for talks on fisheries."


def _pool(tmp_path: Path) -> Corridor:
    pool = Corridor(str(tmp_path / "order.db"))
    pool.ingest_articles([
        {"text": MEETING, "title": "Ministers meet", "date": "2025-03-04", "lang": "en",
         "source": "Test Wire", "url": "https://example.org/meeting"},
        {"text": CALL, "title": "Minister calls on premier", "date": "2025-06-10", "lang": "en",
         "source": "Port News", "url": "https://example.org/call"},
        {"text": PLANNED, "title": "Minister to visit Madrid", "date": "2025-06-12", "lang": "en",
         "source": "Port News", "url": "https://example.org/planned"}])
    return pool


def test_an_order_claim_is_read_as_two_events_and_a_relation() -> None:
    o = ordering("The envoy's call on the minister took place before the fourth meeting.")
    assert o is not None and o.relation == "before"
    assert o.a == "The envoy's call on the minister" and o.b == "the fourth meeting"
    o = ordering("The summit was held later than the ministers' talks")
    assert o is not None and o.relation == "after"
    assert ordering("The ministers met before dawn.") is None


def test_the_order_of_two_dated_events_settles_the_claim(tmp_path: Path) -> None:
    with _pool(tmp_path) as pool:
        v = pool.check("John Carter's meeting with Maria Lopez took place before his courtesy "
                       "call on David Miller.", save=False)
        assert v.verdict == "SUPPORTED"
        assert "4 March 2025" in v.reason and "9 June 2025" in v.reason
        assert {e.url for e in v.evidence} == {"https://example.org/meeting",
                                               "https://example.org/call"}
        v = pool.check("John Carter's meeting with Maria Lopez took place after his courtesy "
                       "call on David Miller.", save=False)
        assert v.verdict == "REFUTED" and "not after" in v.reason


def test_an_event_not_dated_or_not_found_leaves_the_claim_to_the_usual_check(
        tmp_path: Path) -> None:
    with _pool(tmp_path) as pool:
        # a planned visit has no day yet, and the report's date is no bound for it
        v = pool.check("John Carter's visit to Madrid took place after his courtesy call on "
                       "David Miller.", save=False)
        assert v.verdict != "SUPPORTED" and "came" not in v.reason
        v = pool.check("John Carter's meeting with Maria Lopez took place before the "
                       "ministry's annual dinner.", save=False)
        assert v.verdict == "NOT_ENOUGH_INFO"
