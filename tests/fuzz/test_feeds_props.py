"""Properties of the feed wrapper (corridor/ingest/feeds.py): any bytes give a
Feed or a corridor error; generated RSS, Atom and JSON feeds give back every
item with its title, link and day."""

from __future__ import annotations

import json
import os
from datetime import date
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import CorridorError
from corridor.ingest.feeds import item_key, looks_like_feed, parse_feed

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1
FRAGMENTS = ["<?xml version='1.0'?>", "<rss version='2.0'>", "<channel>", "<item>", "</item>",
             "<title>", "</title>", "<link>", "</link>", "<feed xmlns='http://www.w3.org/2005/"
             "Atom'>", "<entry>", "<!DOCTYPE r [", "<!ENTITY a 'b'>", "]>", "&a;", "&amp;",
             "<![CDATA[", "]]>", '{"version": "https://jsonfeed.org/version/1.1"', '"items": ',
             "[", "]", "{", "}", "text", "\x00", "\xff", "<pubDate>", "</pubDate>"]
feed_like = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=250 * SCALE)
@given(raw=feed_like, charset=st.sampled_from([None, "utf-8", "gbk", "uu", "utf\x00-8", "x"]),
       content_type=st.sampled_from([None, "application/rss+xml", "application/feed+json"]))
def test_any_bytes_give_a_feed_or_a_corridor_error(raw: bytes, charset: str | None,
                                                  content_type: str | None) -> None:
    looks_like_feed(raw, content_type)
    try:
        feed = parse_feed(raw, charset=charset)
    except CorridorError as exc:
        assert exc.code in ("empty", "malformed", "unsupported")
        return
    for item in feed.items:
        assert item_key(item)
        assert item.published is None or date.fromisoformat(item.published)


def _feedparser_repairs(text: str) -> bool:
    """feedparser "repairs" any element whose text, read as Latin-1 bytes, is UTF-8
    ("Ã©" becomes "é"); such titles do not round-trip (a known limitation)."""
    try:
        raw = text.encode("latin-1")
        raw.decode("utf-8")
    except UnicodeError:
        return False
    return not raw.isascii()


title_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                     max_size=40).filter(lambda t: bool(t.split()) and not _feedparser_repairs(t))
items = st.lists(st.tuples(title_text, st.dates(min_value=date(1990, 1, 1),
                                                max_value=date(2030, 12, 31))),
                 min_size=1, max_size=5)


def _rss(entries: list[tuple[str, date]]) -> bytes:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>https://example.org/{i}</link>"
        f"<guid>id-{i}</guid><pubDate>{d.strftime('%a, %d %b %Y')} 10:00:00 +0000</pubDate>"
        f"<description>Body {i}</description></item>" for i, (t, d) in enumerate(entries))
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Feed</title>{body}</channel></rss>").encode()


def _atom(entries: list[tuple[str, date]]) -> bytes:
    body = "".join(
        f"<entry><title>{escape(t)}</title><link href='https://example.org/{i}'/>"
        f"<id>id-{i}</id><updated>{d.isoformat()}T10:00:00Z</updated>"
        f"<content type='html'>&lt;p&gt;Body {i}&lt;/p&gt;</content></entry>"
        for i, (t, d) in enumerate(entries))
    return f"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>{body}</feed>".encode()


def _json(entries: list[tuple[str, date]]) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [
        {"id": f"id-{i}", "url": f"https://example.org/{i}", "title": t,
         "content_text": f"Body {i}", "date_published": f"{d.isoformat()}T10:00:00Z"}
        for i, (t, d) in enumerate(entries)]}).encode()


@settings(max_examples=40 * SCALE)
@given(entries=items, kind=st.sampled_from([_rss, _atom, _json]))
def test_generated_feeds_round_trip(entries: list[tuple[str, date]], kind: object) -> None:
    assert callable(kind)
    raw = kind(entries)
    assert looks_like_feed(raw)
    feed = parse_feed(raw)
    assert len(feed.items) == len(entries)
    for i, ((title, day), item) in enumerate(zip(entries, feed.items, strict=True)):
        assert item.title == " ".join(title.split())
        assert item.link == f"https://example.org/{i}" and item.guid == f"id-{i}"
        assert item.published == day.isoformat()
        assert f"Body {i}" in item.content
