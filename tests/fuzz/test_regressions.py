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


@pytest.mark.parametrize("hint", ["utf-16", "text/html; charset=UTF-16LE", "utf-32"])
@pytest.mark.parametrize("text", ["ab", "Port talks", "中巴经济走廊 港口合作"])
def test_a_wide_charset_label_on_utf8_bytes_is_not_trusted(hint: str, text: str) -> None:
    # found by the Hypothesis long profile (UTF-8 round trip): "ab" under a utf-16
    # label decoded as "扡", which reads as clean CJK; real UTF-16 still decodes
    assert to_text(text.encode(), hint=hint)[0] == text
    assert to_text(text.encode("utf-16-le"), hint="utf-16")[0] == text


@pytest.mark.parametrize("save", [0, 1, "yes", "false", 1.0])
def test_check_request_save_is_a_json_boolean(save: object) -> None:
    # found by schemathesis (negative data accepted): {"claim": "0", "save": 0} ran a
    # check, pydantic's lax mode reading 0 as false where the schema says boolean
    from pydantic import ValidationError

    from corridor.web.models import CheckRequest

    with pytest.raises(ValidationError):
        CheckRequest.model_validate({"claim": "Ports were discussed.", "save": save})
    assert CheckRequest.model_validate({"claim": "x", "save": False}).save is False
