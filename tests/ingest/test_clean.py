"""corridor.ingest.clean: HTML extraction and plain-text furniture removal."""

from __future__ import annotations

import resource

import pytest

from corridor import errors
from corridor.ingest.clean import Cleaned, clean_html, clean_text

BODY = [
    "The new ferry link between Port Amber and Greyhaven opened on Tuesday, cutting the "
    "crossing time from five hours to ninety minutes, the transport ministry said in a statement.",
    "Officials from both towns attended the opening ceremony, where the minister said the "
    "service would run four times a day and carry freight as well as passengers from the islands.",
    "The ministry said ticket prices would be reviewed after six months.",
    '"This is a good day for the whole coast," the mayor of Greyhaven told reporters.',
]
TITLE = "Harbour link opens between two coastal towns"

SCRAPED = f"""  date 2025-03-04 {TITLE}
{TITLE}

Share this article

{BODY[0]}
{BODY[1]}

Also read: Fishing fleet returns early as storms hit the coast

{BODY[2]}


Follow us on Twitter for the latest updates
{BODY[3]}
Storm warning issued for northern districts
- 7 hours ago
Council approves new school budget: mayor
- 9 hours ago

{TITLE}
- 12 hours ago

Local team wins regional cup final
- 2 days ago
© 2025 Coastal Times. All rights reserved.
"""

FURNITURE = [
    "Share this article",
    "Also read",
    "Follow us",
    "Storm warning",
    "Council approves",
    "Local team",
    "hours ago",
    "days ago",
    "©",
    "date 2025",
]


def test_clean_text_removes_furniture_and_keeps_the_body_verbatim() -> None:
    cleaned = clean_text(SCRAPED)
    assert cleaned.title == TITLE
    assert cleaned.date == "2025-03-04"
    assert cleaned.text == "\n\n".join(BODY)
    for junk in FURNITURE:
        assert junk not in cleaned.text
    assert TITLE not in cleaned.text


def test_clean_text_layout() -> None:
    text = clean_text(SCRAPED).text
    assert "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert not text.startswith((" ", "\n")) and not text.endswith((" ", "\n"))


def test_stamps_before_headlines() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY[0],
            "5 mins ago",
            "Other story one",
            "2 days ago",
            "Other story two",
            "",
            BODY[1],
        ]
    )
    cleaned = clean_text(raw)
    assert cleaned.text == f"{BODY[0]}\n\n{BODY[1]}"


def test_inline_stamps_and_section_headers() -> None:
    raw = "\n".join(
        [
            TITLE,
            BODY[0],
            "Latest News",
            "Other story one - 3 hours ago",
            "Other story two | 1 hour ago",
            BODY[1],
            "Facebook Twitter WhatsApp",
        ]
    )
    assert clean_text(raw).text == f"{BODY[0]}\n\n{BODY[1]}"


def test_bare_date_line_and_repeated_headline() -> None:
    raw = f"February, 22, 2024\n{TITLE}\n\n{TITLE}\n\n{BODY[0]}\n\n{BODY[1]}\n"
    cleaned = clean_text(raw)
    assert (cleaned.date, cleaned.title) == ("2024-02-22", TITLE)
    assert cleaned.text == f"{BODY[0]}\n\n{BODY[1]}"


def test_byline_and_published_line() -> None:
    raw = f"{TITLE}\nBy Amina Qureshi\nPublished: 4 March 2025 10:30 PKT\n{BODY[0]}"
    cleaned = clean_text(raw)
    assert (cleaned.title, cleaned.author, cleaned.date) == (TITLE, "Amina Qureshi", "2025-03-04")
    assert cleaned.text == BODY[0]


def test_dateline_headline_becomes_the_title() -> None:
    first = "Ambassador pays courtesy call on Minister"
    body = "The ambassador paid a courtesy call today on the minister and discussed trade."
    cleaned = clean_text(f"BEIJING, NOV 11 /XYZ/ – {first}\n\n{body}\n\n{BODY[1]}")
    assert cleaned.title == first
    assert cleaned.text == f"{body}\n\n{BODY[1]}"
    label = (cleaned.dateline_place, cleaned.dateline_source, cleaned.dateline_phrase)
    assert label == ("Beijing", "XYZ", "NOV 11")


def test_dateline_body_is_kept_whole() -> None:
    first = f"BEIJING, (Wire Service - 6th Feb, 2025) {BODY[0]}"
    cleaned = clean_text(f" date 2025-02-06 {first}\n\n{BODY[1]}")
    assert (cleaned.title, cleaned.date) == (None, "2025-02-06")
    assert cleaned.text == f"{BODY[0]}\n\n{BODY[1]}"
    assert (cleaned.dateline_place, cleaned.dateline_source) == ("Beijing", "Wire Service")
    assert cleaned.dateline_date == "2025-02-06"


def test_no_title_when_the_first_line_is_body() -> None:
    cleaned = clean_text("\n".join(BODY))
    assert cleaned.title is None and cleaned.date is None
    assert cleaned.text == "\n\n".join(BODY)


def test_body_lines_that_look_like_furniture_words_are_kept() -> None:
    line = "Share prices rose sharply on Monday after the ferry link was announced."
    assert clean_text(f"{TITLE}\n{line}\n{BODY[0]}").text == f"{line}\n\n{BODY[0]}"


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    wrapped = (
        "The new ferry link between Port Amber and Greyhaven opened\n"
        "on Tuesday, cutting the crossing time from five hours to\n"
        "ninety minutes, the transport ministry said in a statement\n"
        "released on Tuesday evening."
    )
    assert clean_text(f"{TITLE}\n\n{wrapped}").text == " ".join(wrapped.split("\n"))


def test_only_furniture_is_empty() -> None:
    with pytest.raises(errors.EmptyInput):
        clean_text("Share this article\n\nFollow us on Facebook\n- 3 hours ago\n")


PAGE = f"""<!doctype html>
<html><head><title>{TITLE} | Coastal Times</title>
<meta property="og:site_name" content="Coastal Times">
<meta property="article:published_time" content="2025-03-04T08:00:00+05:00">
<meta name="author" content="Amina Qureshi">
<script>document.cookie = "stolen";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{TITLE}</h1>
<p>{BODY[0]}</p>
<p onclick="alert('clicked')">{BODY[1]}</p>
<script>alert("never runs");</script>
<p>{BODY[2]} <img src=x onerror="alert(1)"></p>
</article>
<footer>Copyright 2025 Coastal Times</footer></body></html>"""


def test_clean_html_body_and_metadata() -> None:
    cleaned = clean_html(PAGE, url="https://news.example.org/coast/harbour-link")
    assert isinstance(cleaned, Cleaned)
    assert cleaned.title == TITLE
    assert cleaned.date == "2025-03-04"
    assert cleaned.sitename == "Coastal Times"
    assert cleaned.author == "Amina Qureshi"
    assert cleaned.text.split("\n\n") == BODY[:3]
    for junk in ("alert", "never runs", "stolen", "Home", "Copyright"):
        assert junk not in cleaned.text


def test_clean_html_without_a_date_gives_none() -> None:
    page = PAGE.replace(
        '<meta property="article:published_time" content="2025-03-04T08:00:00+05:00">', ""
    )
    assert clean_html(page, url="https://news.example.org/coast/harbour-link").date is None


def test_truncated_html_keeps_the_text_there_is() -> None:
    cut = "<html><head><title>Talks</title></head><body><div class='story'><p>" + BODY[0]
    cut += "</p><p>Officials said several agreements would be signed during the vis"
    text = clean_html(cut).text
    assert BODY[0] in text
    assert "Officials said several agreements would be signed during the vis" in text


def test_html_without_text_is_empty() -> None:
    with pytest.raises(errors.EmptyInput, match="no article text"):
        clean_html("<html><head><title>x</title><script>var a = 1;</script></head><body></body>")
    with pytest.raises(errors.EmptyInput):
        clean_html("")


def _entity(level: int) -> str:
    inner = f"lol{level - 1}" if level > 1 else "lol"
    return f' <!ENTITY lol{level} "{("&" + inner + ";") * 10}">'


LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE html [", ' <!ENTITY lol "lol">']
    + [_entity(level) for level in range(1, 10)]
    + ["]>"]
)


def test_billion_laughs_does_not_expand() -> None:
    page = LAUGHS + f"<html><body><article><p>{BODY[0]} &lol9;</p><p>{BODY[1]}</p></article>"
    page += "</body></html>"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cleaned = clean_html(page)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200_000
    assert BODY[0] in cleaned.text and BODY[1] in cleaned.text
    assert cleaned.text.count("lol") < 10


def test_two_line_wraps_are_rejoined_but_headlines_are_not() -> None:
    text = (
        "Ministers review port plan\n\n"
        "KARACHI: The ports minister met the visiting delegation in Karachi on\n"
        "Monday to review the terminal plan, officials said.\n\n"
        "They agreed to hold the 14th\n"
        "meeting of the committee in spring.\n"
        "A second paragraph starts here with a full sentence of its own.\n"
    )
    cleaned = clean_text(text)
    assert cleaned.title == "Ministers review port plan"
    assert "in Karachi on Monday to review" in cleaned.text
    assert "the 14th meeting of the committee" in cleaned.text
    assert "spring.\n\nA second paragraph" in cleaned.text


# ---------------------------------------------------------------------------
# Datelines and source labels, repeated standfirsts, section headings (issue 17)


@pytest.mark.parametrize(
    ("label", "place", "source", "phrase"),
    [
        ("Islamabad:", "Islamabad", None, None),
        ("BEIJING, NOV 11 /DNA/ –", "Beijing", "DNA", "NOV 11"),
        ("ISLAMABAD, Feb 6 (APP):", "Islamabad", "APP", "Feb 6"),
        ("BEIJING (Reuters) -", "Beijing", "Reuters", None),
        ("LAHORE - ", "Lahore", None, None),
        ("(Wire Service) -", None, "Wire Service", None),
    ],
)
def test_dateline_leaves_the_body_for_metadata(
    label: str, place: str | None, source: str | None, phrase: str | None
) -> None:
    cleaned = clean_text(f"{TITLE}\n{label} {BODY[0]}\n\n{BODY[1]}")
    assert cleaned.text == f"{BODY[0]}\n\n{BODY[1]}"
    assert cleaned.title == TITLE
    got = (cleaned.dateline_place, cleaned.dateline_source, cleaned.dateline_phrase)
    assert got == (place, source, phrase)


def test_dateline_with_a_year_keeps_its_date() -> None:
    cleaned = clean_text(f"{TITLE}\nKARACHI, March 4, 2025 (Wire): {BODY[0]}\n\n{BODY[1]}")
    assert cleaned.text.startswith("The new ferry link")
    assert (cleaned.dateline_date, cleaned.dateline_phrase) == ("2025-03-04", "March 4, 2025")


def test_dateline_alone_on_its_line() -> None:
    cleaned = clean_text(f"{TITLE}\n\nPESHAWAR:\n\n{BODY[0]}\n\n{BODY[1]}")
    assert cleaned.text == f"{BODY[0]}\n\n{BODY[1]}"
    assert cleaned.dateline_place == "Peshawar"


def test_sentence_with_a_colon_is_no_dateline() -> None:
    first = "Both sides agreed: the ferry will run daily from the spring onwards, officials said."
    cleaned = clean_text(f"{TITLE}\n{first}\n\n{BODY[1]}")
    assert cleaned.text == f"{first}\n\n{BODY[1]}"
    assert (cleaned.dateline_place, cleaned.dateline_source) == (None, None)


def test_no_dateline_leaves_the_metadata_empty() -> None:
    cleaned = clean_text(f"{TITLE}\n{BODY[0]}\n\n{BODY[1]}")
    assert (cleaned.dateline_place, cleaned.dateline_source, cleaned.dateline_date) == (
        None,
        None,
        None,
    )


def test_standfirst_repeated_by_the_first_paragraph_is_kept_once() -> None:
    lead = "The crossing now takes ninety minutes instead of five hours."
    first = f"{lead} The new ferry began service on Tuesday, the ministry said."
    cleaned = clean_text(f"{TITLE}\n\n{lead}\n\nGREYHAVEN, March 4 (Wire): {first}\n\n{BODY[1]}")
    assert cleaned.text == f"{first}\n\n{BODY[1]}"
    assert (cleaned.dateline_place, cleaned.dateline_source) == ("Greyhaven", "Wire")


def test_standfirst_repeated_word_for_word_after_a_caption() -> None:
    lead = BODY[0]
    cleaned = clean_text(f"{TITLE}\n\n{lead}\n\nPhoto by staff\n\n{BODY[0]}\n\n{BODY[1]}")
    assert cleaned.text.count(BODY[0]) == 1
    assert cleaned.text.endswith(BODY[1])


def test_a_different_lead_is_kept() -> None:
    lead = "Islanders will save hours on every crossing to the mainland from this week."
    cleaned = clean_text(f"{TITLE}\n\n{lead}\n\n{BODY[0]}\n\n{BODY[1]}")
    assert cleaned.text == f"{lead}\n\n{BODY[0]}\n\n{BODY[1]}"


@pytest.mark.parametrize("heading", ["Background", "What Comes Next", "Related stories"])
def test_section_heading_leaves_the_body(heading: str) -> None:
    cleaned = clean_text(f"{TITLE}\n\n{BODY[0]}\n\n{heading}\n\n{BODY[1]}\n\n{BODY[2]}")
    assert cleaned.text == "\n\n".join(BODY[:3])


def test_lists_and_sentences_are_not_headings() -> None:
    items = ["Port Amber terminal", "Greyhaven pier", "Two new ferries"]
    short = "Tickets go on sale today."
    body = [BODY[0], *items, BODY[1], short, BODY[2]]
    cleaned = clean_text(f"{TITLE}\n\n" + "\n\n".join(body))
    assert cleaned.text == "\n\n".join(body)


def test_html_dateline_and_heading() -> None:
    html = (
        f"<html><body><article><h1>{TITLE}</h1>"
        f"<p>GREYHAVEN (Wire) - {BODY[0]}</p><h2>Background</h2>"
        f"<p>{BODY[1]}</p><p>{BODY[2]}</p></article></body></html>"
    )
    cleaned = clean_html(html)
    assert cleaned.text == "\n\n".join(BODY[:3])
    assert (cleaned.dateline_place, cleaned.dateline_source) == ("Greyhaven", "Wire")


def test_a_lettered_item_is_no_agency_label() -> None:
    first = f"(B) - {BODY[0]}"
    cleaned = clean_text(f"{TITLE}\n{first}\n\n{BODY[1]}")
    assert cleaned.text == f"{first}\n\n{BODY[1]}"
    assert cleaned.dateline_source is None
