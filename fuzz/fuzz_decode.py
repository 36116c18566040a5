"""Fuzz ``corridor.ingest.decode.to_text``: any bytes, any charset hint."""

from __future__ import annotations

import codecs

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.errors import CorridorError
    from corridor.ingest.decode import sniff_label, to_text

from _harness import fuzz_main

HINTS = [None, "utf-8", "text/html; charset=gbk", "ISO-8859-1", "utf-16", "utf-32", "cp1256",
         "shift_jis", "charset=", "x-unknown", "text/plain; charset=\"utf-16le\"", "big5"]


def test_one_input(data: bytes) -> None:
    # first byte: a known hint, or (high bit set) a fuzzed hint of up to 31 bytes
    head = data[0] if data else 0
    hint: str | None = HINTS[head % len(HINTS)]
    raw = data[1:]
    if head & 0x80:
        size = head & 0x1F
        hint, raw = raw[:size].decode("latin-1"), raw[size:]
    label = sniff_label(raw)
    assert label is None or isinstance(label, str)
    try:
        text, encoding = to_text(raw, hint=hint, max_bytes=1_000_000)
    except CorridorError:
        return
    assert isinstance(text, str) and text.strip(), "decoded text must not be blank"
    assert "\r" not in text and "\x00" not in text
    codecs.lookup(encoding)  # a real codec name


if __name__ == "__main__":
    fuzz_main(test_one_input)
