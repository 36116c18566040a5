"""Fuzz the cleaners: ``clean_text`` (plain text) and ``clean_html`` (markup)."""

from __future__ import annotations

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.errors import CorridorError
    from corridor.ingest.clean import Cleaned, _is_body, clean_html, clean_text

from _harness import check_iso_date, fuzz_main, mode_and_text

clean_html("<html><body><p>Warm up trafilatura and dateparser before fuzzing.</p></body></html>")


def _check(out: Cleaned) -> None:
    assert isinstance(out.text, str) and out.text.strip(), "body must not be blank"
    check_iso_date(out.date)
    for field in (out.title, out.sitename, out.author):
        assert field is None or isinstance(field, str)


def test_one_input(data: bytes) -> None:
    mode, text = mode_and_text(data, 2)
    html = mode == 1
    try:
        out = clean_html(text) if html else clean_text(text)
    except CorridorError:
        return
    _check(out)
    paragraphs = out.text.split("\n\n")
    assert all(p and p == p.strip() for p in paragraphs), "paragraphs are trimmed, non-empty"
    if not html and all(_is_body(p) for p in paragraphs):
        # idempotence: a body of whole paragraphs has no furniture (or title) left to remove
        again = clean_text(out.text)
        assert again.text == out.text and again.title is None, (out.text, again)


if __name__ == "__main__":
    fuzz_main(test_one_input)
