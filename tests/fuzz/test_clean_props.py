"""Properties of the cleaners (corridor/ingest/clean.py).

Any text: only corridor errors, a trimmed non-empty body, a valid past date.
Articles built from real-looking paragraphs: every body paragraph survives
verbatim, furniture goes, and cleaning the clean body again changes nothing.
Script content and event handlers never reach the clean text of a page.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import CorridorError, EmptyInput
from corridor.ingest.clean import Cleaned, clean_html, clean_text

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1

WORDS = ["port", "minister", "officials", "talks", "river", "plan", "agreed", "corridor",
         "trade", "freight", "road", "delegation", "committee", "review", "budget", "harbour",
         "ferry", "grain", "timber", "cement", "bridge", "valley", "coastal", "route",
         "survey", "engineers", "signed", "statement", "meeting", "week"]


def _valid(out: Cleaned) -> None:
    assert out.text.strip()
    for paragraph in out.text.split("\n\n"):
        assert paragraph and paragraph == paragraph.strip()
    if out.date is not None:
        assert date.fromisoformat(out.date) <= date.today() + timedelta(days=1)


@settings(max_examples=150 * SCALE)
@given(st.text(max_size=600))
def test_clean_text_any_input(text: str) -> None:
    try:
        out = clean_text(text)
    except CorridorError as exc:
        assert isinstance(exc, EmptyInput) and exc.code == "empty"
        return
    _valid(out)


sentence = st.lists(st.sampled_from(WORDS), min_size=6, max_size=14).map(
    lambda ws: " ".join(ws).capitalize() + ".")
body_paragraph = st.lists(sentence, min_size=3, max_size=5).map(" ".join).filter(
    lambda p: len(p.split()) >= 25)
FURNITURE = ["Share this article", "Facebook Twitter WhatsApp", "- 3 hours ago",
             "Also read: Other story", "Advertisement", "Copyright 2024 Example News",
             "Follow us on Twitter", "Latest News"]


@settings(max_examples=60 * SCALE)
@given(title=st.lists(st.sampled_from(WORDS), min_size=3, max_size=8).map(
           lambda ws: " ".join(ws).title()),
       body=st.lists(body_paragraph, min_size=1, max_size=4, unique=True),
       furniture=st.lists(st.sampled_from(FURNITURE), max_size=4))
def test_clean_text_keeps_body_and_is_idempotent(title: str, body: list[str],
                                                 furniture: list[str]) -> None:
    raw = "\n\n".join([title, *body, *furniture])
    out = clean_text(raw)
    assert out.title == title
    assert out.text == "\n\n".join(body)  # every paragraph verbatim, furniture gone
    again = clean_text(out.text)
    assert again.text == out.text and again.title is None


@settings(max_examples=40 * SCALE)
@given(st.text(max_size=400))
def test_clean_html_any_input(markup: str) -> None:
    try:
        out = clean_html(markup)
    except CorridorError as exc:
        assert exc.code in ("empty", "malformed")
        return
    _valid(out)


@settings(max_examples=25 * SCALE)
@given(body=st.lists(body_paragraph, min_size=1, max_size=3, unique=True),
       handler=st.sampled_from(["onerror", "onload", "onclick", "onmouseover"]))
def test_scripts_and_handlers_never_reach_clean_text(body: list[str], handler: str) -> None:
    paragraphs = "".join(f"<p {handler}=\"alert('evil-{i}')\">{p}</p>"
                         f"<script>alert('evil-script-{i}')</script>"
                         for i, p in enumerate(body))
    page = (f"<html><head><script src='x.js'>var evil = 1;</script></head><body><article>"
            f"<h1>Port talks</h1>{paragraphs}<img src=x {handler}=alert(1)>"
            f"<noscript><img src=x onerror=alert(3)></noscript></article></body></html>")
    out = clean_html(page)
    assert "evil" not in out.text and "alert" not in out.text and "<" not in out.text
    for p in body:
        assert p in out.text
