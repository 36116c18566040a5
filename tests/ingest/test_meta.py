"""corridor.ingest.meta: dates, datelines and language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from corridor.ingest.meta import (
    Dateline,
    detect_language,
    detect_paragraph_languages,
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


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Urdu without many Urdu-only letters, and with Arabic code points
        ("بدعنوانی کا مسئلہ ۔", "ur"),
        ("پاكستان اور چين كے درميان تجارت بڑھ رہی ہے", "ur"),
        # Persian and Arabic look-alikes
        ("این کتاب را دیروز در کتابخانه خواندم و بسیار لذت بردم.", "fa"),
        ("وقعت الحكومة اتفاقية جديدة للتعاون في مجال الطاقة.", "ar"),
        # Chinese with Japanese look-alike characters; Japanese with kana
        ("「港口」、「铁路」之类的词语常见于新闻。", "zh"),
        ("中国国家主席が来日した。", "ja"),
        ("兩國領導人同意加強經濟合作。", "zh"),
        ("भारत और पाकिस्तान के बीच बातचीत फिर से शुरू हुई।", "hi"),
        # a short English heading langid alone reads as Welsh
        ("Karachi port notes", "en"),
        # presentation forms (text extracted from a PDF) are read as letters
        ("ﭘﺎﮐﺴﺘﺎﻥ ﺍﻭﺭ ﭼﯿﻦ ﮐﮯ ﺩﺭﻣﯿﺎﻥ ﻣﻌﺎﮨﺪﮦ ﮨﻮﺍ", "ur"),
    ],
)
def test_detect_language_look_alikes(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_by_majority_script() -> None:
    # a Chinese article quoting an English acronym, an Urdu one quoting English
    assert detect_language("中巴经济走廊（CPEC）是“一带一路”的重要项目，两国将继续推进。") == "zh"
    assert detect_language("سی پیک (CPEC) کے تحت نئے منصوبوں پر کام جاری ہے۔") == "ur"


def test_detect_paragraph_languages() -> None:
    text = (
        "The two governments met in Islamabad to review the corridor projects.\n"
        "\n"
        "دونوں حکومتوں نے راہداری کے منصوبوں کا جائزہ لینے کے لیے ملاقات کی۔\n"
        "وزیر نے کہا۔\n"
        "两国政府在伊斯兰堡会面，审议走廊项目。\n"
        "12 ۔\n"
    )
    runs = detect_paragraph_languages(text)
    assert [lang for _, _, lang in runs] == ["en", "ur", "zh"]
    en, ur, zh = runs
    assert text[en[0] : en[1]].endswith("projects.")
    # the short Urdu line joins the Urdu paragraph before it
    assert text[ur[0] : ur[1]].endswith("وزیر نے کہا۔")
    assert text[zh[0] : zh[1]] == "两国政府在伊斯兰堡会面，审议走廊项目。"
    assert detect_paragraph_languages("") == []


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("二〇二五年二月六日", "2025-02-06"),
        ("二〇二四年十二月三十一日", "2024-12-31"),
        ("2025年02月06号", "2025-02-06"),
        ("6 فروري 2025", "2025-02-06"),  # Arabic yeh
        ("جمعرات، 6 فروری 2025", "2025-02-06"),
        ("12 جولائی 2024", "2024-07-12"),
        ("١٢ مئی ٢٠٢٤", "2024-05-12"),
        ("12 ژانویه 2025", "2025-01-12"),  # Persian: its ه is not turned into Urdu ہ
    ],
)
def test_parse_date_chinese_numerals_and_urdu_variants(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2025年2月30日", "二〇二五年十三月一日", "2月6日", "فروری 2025"])
def test_parse_date_rejects_impossible_and_partial_cjk_urdu(text: str) -> None:
    assert parse_date(text) is None


def test_find_text_date_chinese_and_urdu() -> None:
    found = find_text_date("中巴两国于二〇二五年二月六日签署协议。")
    assert found == ("2025-02-06", "二〇二五年二月六日")
    assert find_text_date("وفد نے 6 فروري، 2025 کو ملاقات کی۔") == ("2025-02-06", "6 فروري، 2025")
    assert find_text_date("وفد نے فروری 6، 2025 کو ملاقات کی۔") == ("2025-02-06", "فروری 6، 2025")


def test_chinese_wire_datelines() -> None:
    text = "新华社北京2月12日电（记者王明）中巴两国外长举行会谈。"
    d = find_dateline(text)
    assert d == Dateline("北京", 0, 17, "新华社", None, "2月12日")
    assert text[d.end :] == "中巴两国外长举行会谈。"
    assert resolve_month_day(d.date_phrase or "", "2025-03-01") == "2025-02-12"

    dated = find_dateline("据新华社伊斯兰堡2025年2月6日电 巴基斯坦政府表示……")
    assert dated is not None and (dated.place, dated.source, dated.date) == (
        "伊斯兰堡",
        "新华社",
        "2025-02-06",
    )
    numerals = find_dateline("中新网北京二月十二日电 两国签署协议。")
    assert numerals is not None and numerals.date_phrase == "二月十二日"
    assert resolve_month_day("十二月三十一日", "2025-01-02") == "2024-12-31"
    # a date inside an ordinary sentence is no dateline
    assert find_dateline("中国和巴基斯坦2月12日在北京签署协议。") is None


def test_urdu_datelines() -> None:
    text = "اسلام آباد (اے پی پی) وزیر اعظم نے اجلاس کی صدارت کی۔"
    d = find_dateline(text)
    assert d is not None and (d.place, d.source, d.date) == ("اسلام آباد", "اے پی پی", None)
    assert text[d.end :].startswith("وزیر اعظم")
    dated = find_dateline("لاہور، 6 فروری 2025: صوبائی کابینہ کا اجلاس ہوا۔")
    assert dated is not None and (dated.place, dated.date) == ("لاہور", "2025-02-06")
    month_day = find_dateline("بیجنگ، 12 فروری (شنہوا) دونوں ممالک نے معاہدہ کیا۔")
    assert month_day is not None and month_day.date_phrase == "12 فروری"
    assert resolve_month_day("12 فروری", "2025-03-01") == "2025-02-12"
    # a country or an ordinary sentence start is no dateline
    assert find_dateline("پاکستان اور چین نے معاہدہ کیا۔") is None
    assert find_dateline("اسلام آباد میں اجلاس ہوا۔") is None
