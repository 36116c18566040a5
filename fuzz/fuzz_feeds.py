"""Fuzz the feed wrapper: ``parse_feed`` and ``looks_like_feed`` on any bytes."""

from __future__ import annotations

from datetime import date

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.errors import CorridorError
    from corridor.ingest.feeds import item_key, looks_like_feed, parse_feed

from _harness import fuzz_main

TYPES = [None, "application/rss+xml", "application/feed+json", "text/html", "text/xml"]
CHARSETS = [None, "utf-8", "gbk", "latin-1", "bogus", "utf-16", "utf\x00-8", "shift_jis"]


def test_one_input(data: bytes) -> None:
    head = data[0] if data else 0  # first byte: Content-Type and HTTP charset
    content_type = TYPES[head % len(TYPES)]
    charset = CHARSETS[(head >> 3) % len(CHARSETS)]
    raw = data[1:]
    looks_like_feed(raw, content_type)
    try:
        feed = parse_feed(raw, url="https://example.org/feed.xml", charset=charset)
    except CorridorError:
        return
    for item in feed.items:
        assert isinstance(item.content, str)
        if item.published is not None:  # the day as written; the clean stage vets it
            assert len(item.published) == 10 and date.fromisoformat(item.published)
        assert item_key(item)


if __name__ == "__main__":
    fuzz_main(test_one_input)
