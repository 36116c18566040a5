"""Fuzz the metadata readers: parse_date, find_dateline, find_text_date,
resolve_month_day, detect_language, detect_paragraph_languages."""

from __future__ import annotations

from datetime import date

import atheris

with atheris.instrument_imports(include=["corridor"]):
    from corridor.errors import CorridorError
    from corridor.ingest.meta import (
        detect_language,
        detect_paragraph_languages,
        find_dateline,
        find_text_date,
        parse_date,
        resolve_month_day,
    )

from _harness import check_iso_date, fuzz_main, mode_and_text

# load langid's model and dateparser's data before fuzzing (not counted as slow inputs)
detect_language("warm up the language model")
parse_date("5 March 2024")


def test_one_input(data: bytes) -> None:
    which, text = mode_and_text(data, 5)
    try:
        if which == 0:
            check_iso_date(parse_date(text))
        elif which == 1:
            line = find_dateline(text)
            if line is not None:
                assert 0 <= line.start <= line.end <= min(len(text), 300), line
                assert line.place, line
                check_iso_date(line.date)
        elif which == 2:
            found = find_text_date(text)
            if found is not None:
                check_iso_date(found[0])
                assert found[1] in text[:500], found
            day = resolve_month_day(text, "2024-03-05")
            if day is not None:  # within a year of the reference, a real date
                assert "2023-03-05" <= date.fromisoformat(day).isoformat() <= "2025-03-05", day
        elif which == 3:
            lang = detect_language(text)
            assert lang is None or (isinstance(lang, str) and 2 <= len(lang) <= 3), lang
        else:
            last = 0
            for start, end, _lang in detect_paragraph_languages(text):
                assert last <= start < end <= len(text), (start, end)
                assert not text[start].isspace() and not text[end - 1].isspace()
                last = end
    except CorridorError:
        return


if __name__ == "__main__":
    fuzz_main(test_one_input)
