"""Properties of decoding (corridor/ingest/decode.py): any bytes and any charset
hint give text or a corridor error; text survives the common encodings."""

from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.errors import CorridorError
from corridor.ingest.decode import sniff_label, to_text

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1

hints = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(
    ["utf-8", "text/html; charset=gbk", "utf-16", "utf-32", "uu", "base64", "rot13", "zlib",
     "hex", "idna", "punycode", "charset=utf\x00-8", "latin-1", "x-user-defined"]))


@settings(max_examples=200 * SCALE)
@given(raw=st.binary(max_size=600), hint=hints)
def test_any_bytes_any_hint(raw: bytes, hint: str | None) -> None:
    assert sniff_label(raw) is None or isinstance(sniff_label(raw), str)
    try:
        text, encoding = to_text(raw, hint=hint)
    except CorridorError as exc:
        assert exc.code in ("empty", "binary", "encoding", "too_large")
        return
    assert text.strip() and "\r" not in text and "\x00" not in text
    assert codecs.lookup(encoding)._is_text_encoding


printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=300).filter(lambda t: t.strip() and not t.startswith("\ufeff"))


@settings(max_examples=100 * SCALE)
@given(text=printable, hint=hints)
def test_utf8_round_trips_whatever_the_hint(text: str, hint: str | None) -> None:
    decoded, _ = to_text(text.encode("utf-8"), hint=hint)
    assert decoded == text


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16", "utf-32"])
@settings(max_examples=30 * SCALE)
@given(text=printable)
def test_bom_round_trips(bom: str, text: str) -> None:
    decoded, _ = to_text(text.encode(bom))
    assert decoded == text
