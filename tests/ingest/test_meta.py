"""corridor.ingest.meta: dates, datelines and language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from corridor.ingest.meta import (
    Dateline,
    detect_language,
    find_dateline,
    find_text_date,
    known_places,
    parse_date,
    resolve_month_day,
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("February, 22, 2024", "2024-02-22"),
        ("2025-11-11", "2025-11-11"),
        ("2024-03-05T10:00:00Z", "2024-03-05"),
        ("6th Feb, 2025", "2025-02-06"),
        ("NOV 11 2025", "2025-11-11"),
        ("22 February 2024", "2024-02-22"),
        ("Tuesday, March 4, 2025", "2025-03-04"),
        ("2025年2月6日", "2025-02-06"),
        ("22 فروری 2024", "2024-02-22"),
        ("۲۲ فروری ۲۰۲۴", "2024-02-22"),
    ],
)
def test_parse_date_formats(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "31 February 2024",
        "2024-13-45",
        "Feb 6",
        "March 2025",
        "2024",
        "",
        "lorem ipsum",
        "1700000000",
        "\x00\x01",
        "2 days ago",
        "x" * 500,
    ],
)
def test_parse_date_rejects_invalid_partial_and_garbage(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_rejects_the_future() -> None:
    future = date.today() + timedelta(days=30)
    assert parse_date(future.isoformat()) is None
    assert parse_date(future.strftime("%d %B %Y")) is None
    assert parse_date(date.today().isoformat()) == date.today().isoformat()


def test_datelines_with_source_and_month_day() -> None:
    text = "BEIJING, NOV 11 /DNA/ – Envoy meets party minister"
    assert find_dateline(text) == Dateline("Beijing", 0, 24, "DNA", None, "NOV 11")
    assert text[24:] == "Envoy meets party minister"

    karachi = find_dateline("KARACHI, Feb 6 (APP): The provincial cabinet met today.")
    assert karachi is not None
    assert (karachi.place, karachi.source, karachi.date, karachi.date_phrase) == (
        "Karachi",
        "APP",
        None,
        "Feb 6",
    )

    xinhua = find_dateline("Beijing, Feb. 6 (Xinhua) -- Officials from both countries met.")
    assert xinhua is not None
    assert (xinhua.place, xinhua.source, xinhua.date_phrase) == ("Beijing", "Xinhua", "Feb. 6")


def test_dateline_with_dated_agency() -> None:
    text = "BEIJING, (Agency One / Point News - 6th Feb, 2025) The two sides agreed."
    dateline = find_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.source, dateline.date) == (
        "Beijing",
        "Agency One / Point News",
        "2025-02-06",
    )
    assert text[dateline.end :] == "The two sides agreed."


def test_dateline_with_full_date() -> None:
    dateline = find_dateline("  ISLAMABAD, February 6, 2025 – The talks began.")
    assert dateline is not None
    assert (dateline.place, dateline.start, dateline.date) == ("Islamabad", 2, "2025-02-06")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("ISLAMABAD: The ministers met.", "Islamabad"),
        ("Islamabad: The ministers met.", "Islamabad"),
        ("Nairobi: The ministers met.", "Nairobi"),
        ("DERA ISMAIL KHAN: Police said.", "Dera Ismail Khan"),
        ("LAHORE - The city government said.", "Lahore"),
        ("BEIJING (Reuters) - Officials said.", "Beijing"),
    ],
)
def test_simple_datelines(text: str, place: str) -> None:
    dateline = find_dateline(text)
    assert dateline is not None and dateline.place == place and dateline.source in (None, "Reuters")


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan and China agreed: the corridor will grow.",
        "The minister said: talks went well.",
        "Lahore-based firms won the contract.",
        "Moreover, May 5 was a holiday.",
        "BREAKING: Talks collapse",
        "CPEC: new projects announced",
        "China: economy grows",
        "",
    ],
)
def test_not_datelines(text: str) -> None:
    assert find_dateline(text) is None


def test_cities_list_covers_many_countries() -> None:
    places = known_places()
    assert {"islamabad", "beijing", "nairobi", "lima", "canberra", "berlin"} <= places


def test_resolve_month_day() -> None:
    assert resolve_month_day("NOV 11", "2025-11-12") == "2025-11-11"
    assert resolve_month_day("Dec 31", "2025-01-02") == "2024-12-31"
    assert resolve_month_day("6th February", "2025-02-07") == "2025-02-06"
    assert resolve_month_day("Feb. 6", "2025-02-06") == "2025-02-06"
    assert resolve_month_day("Feb 30", "2025-02-01") is None
    assert resolve_month_day("someday", "2025-02-01") is None
    assert resolve_month_day("Feb 6", "not a date") is None


def test_find_text_date() -> None:
    assert find_text_date("BEIJING, (Wire - 6th Feb, 2025) Talks.") == (
        "2025-02-06",
        "6th Feb, 2025",
    )
    assert find_text_date("February, 22, 2024\nTitle") == ("2024-02-22", "February, 22, 2024")
    assert find_text_date("发布时间：2025年2月6日 北京") == ("2025-02-06", "2025年2月6日")
    assert find_text_date("Talks were held in 2024 and again on Monday.") is None
    assert find_text_date("x" * 600 + " 22 February 2024") is None
    # an impossible date is skipped in favour of the next real one
    assert find_text_date("On 31 February 2024, then 1 March 2024.") == (
        "2024-03-01",
        "1 March 2024",
    )


def test_detect_language() -> None:
    assert detect_language("The two countries signed an agreement on ports and railways.") == "en"
    assert (
        detect_language("پاکستان اور چین نے بندرگاہوں کے بارے میں ایک معاہدے پر دستخط کیے۔") == "ur"
    )
    assert detect_language("两国签署了关于港口和铁路的合作协议。") == "zh"
    assert detect_language("12 —") is None
    assert detect_language("") is None
