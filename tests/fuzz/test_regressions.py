"""Inputs that crashed a module under fuzzing (fuzz/run.py), kept as regression tests.

Each raised something other than a corridor error before its fix; see
docs/reliability.md (## Fuzzing) for the list.
"""

from __future__ import annotations

import pytest

from corridor.errors import CorridorError, MalformedInput
from corridor.ingest.clean import clean_text
from corridor.ingest.decode import to_text
from corridor.ingest.feeds import parse_feed


@pytest.mark.parametrize("hint", ["text/html\x00", "utf\x00-8", "charset=\x00"])
def test_nul_in_charset_hint_is_ignored(hint: str) -> None:
    # was ValueError("embedded null character") from codecs.lookup
    assert to_text(b"caf\xe9 au lait, s'il vous pla\xeet", hint=hint)[0].startswith("caf")


@pytest.mark.parametrize("label", ["uu", "base64", "hex", "zlib", "rot13", "bz2", "quopri"])
def test_non_text_codecs_as_labels_are_ignored(label: str) -> None:
    # was LookupError("'uu' is not a text encoding") from bytes.decode
    raw = b"\xef\xbb" + b"caf\xe9 " * 20  # not UTF-8: labels are consulted
    for hint, data in ((label, raw), (None, f"<meta charset={label}>".encode() + raw)):
        try:
            text, encoding = to_text(data, hint=hint)
        except CorridorError:
            continue
        assert encoding != label and "caf" in text


@pytest.mark.parametrize("label", ["uu", "base64", "zlib", "rot13"])
def test_feed_declaring_a_non_text_codec_still_parses(label: str) -> None:
    # was LookupError from bytes.decode with the declared encoding
    feed = parse_feed(f"<?xml version='1.0' encoding='{label}'?><rss version='2.0'><channel>"
                      "<item><title>Port</title><link>https://example.org/a</link></item>"
                      "</channel></rss>".encode())
    assert [item.title for item in feed.items] == ["Port"]


@pytest.mark.parametrize("raw", [b"<rss><channel><item><link></item></link></channel></rss>",
                                 b"<feed><entry><link></entry></link></feed>",
                                 b"<channel<item<link</item</link>"])
def test_feedparser_internal_error_is_malformed_input(raw: bytes) -> None:
    # was KeyError('links') from inside feedparser's loose parser
    with pytest.raises(MalformedInput, match="feed parser failed"):
        parse_feed(raw)


def test_a_body_paragraph_is_never_taken_for_a_headline() -> None:
    # 25 words with a full stop inside and none at the end: both "body" (>= 25 words,
    # a sentence) and "headline" (<= 25 words, no final full stop). As the first
    # paragraph of an already clean body it became the title, and re-cleaning lost it.
    first = ("Ministers met on Tuesday to review the river port plan. They agreed to set up "
             "a joint working group and to meet again in June")
    assert len(first.split()) == 25
    second = "The group will report to both cabinets, officials said after the talks."
    out = clean_text(f"Port talks\n\n{first}\n\n{second}")
    assert out.title == "Port talks" and out.text == f"{first}\n\n{second}"
    again = clean_text(out.text)
    assert again.title is None and again.text == out.text
