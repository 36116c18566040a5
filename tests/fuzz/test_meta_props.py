"""Properties of the metadata readers (corridor/ingest/meta.py): dates,
datelines, text dates and language, on any text and on generated dates."""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corridor.ingest.meta import (
    detect_language,
    detect_paragraph_languages,
    find_dateline,
    find_text_date,
    parse_date,
    resolve_month_day,
)

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "corridor-long" else 1
TOMORROW = date.today() + timedelta(days=1)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
URDU_MONTHS = ["جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر",
               "اکتوبر", "نومبر", "دسمبر"]
text_like = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(["2024", "-", "03", "/", "5", "March", "Feb.", "年", "月", "日",
                              "فروری", "٢٠٢٤", " ", ",", "KARACHI", "(APP)", ":", "新华社",
                              "北京", "电", "31", "th", "of", "十二", "二〇二五"]),
             max_size=12).map("".join),
)


def _iso_ok(value: str | None) -> None:
    if value is not None:
        assert len(value) == 10 and date.fromisoformat(value) <= TOMORROW


@settings(max_examples=300 * SCALE)
@given(text_like)
def test_parse_date_never_raises_and_is_a_past_iso_date(text: str) -> None:
    _iso_ok(parse_date(text))


past = st.dates(min_value=date(1950, 1, 1), max_value=date.today())


@settings(max_examples=80 * SCALE)
@given(day=past, form=st.integers(0, 6))
def test_parse_date_reads_every_common_form(day: date, form: int) -> None:
    written = [
        day.isoformat(),
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.day} {URDU_MONTHS[day.month - 1]} {day.year}",
        f"{day.day}th of {MONTHS[day.month - 1]}, {day.year}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
    ][form]
    assert parse_date(written) == day.isoformat(), written


@settings(max_examples=40 * SCALE)
@given(st.dates(min_value=date.today() + timedelta(days=2), max_value=date(9999, 12, 31)))
def test_parse_date_refuses_the_future(day: date) -> None:
    assert parse_date(day.isoformat()) is None
    assert parse_date(f"{day.day} {MONTHS[day.month - 1]} {day.year}") is None


@settings(max_examples=300 * SCALE)
@given(text_like, st.text(max_size=200))
def test_find_dateline_offsets_in_bounds(head: str, rest: str) -> None:
    text = head + rest
    line = find_dateline(text)
    if line is not None:
        assert 0 <= line.start <= line.end <= min(len(text), 300)
        assert line.place and line.place.strip() == line.place
        _iso_ok(line.date)


@settings(max_examples=200 * SCALE)
@given(st.text(max_size=80), text_like, st.text(max_size=80))
def test_find_text_date_phrase_is_in_the_window(before: str, middle: str, after: str) -> None:
    text = before + middle + after
    found = find_text_date(text)
    if found is not None:
        _iso_ok(found[0])
        assert found[1] in text[:500]


@settings(max_examples=100 * SCALE)
@given(text_like, past)
def test_resolve_month_day_is_near_the_reference(phrase: str, reference: date) -> None:
    day = resolve_month_day(phrase, reference.isoformat())
    if day is not None:
        assert abs((date.fromisoformat(day) - reference).days) <= 366


@settings(max_examples=200 * SCALE)
@given(st.text(max_size=300))
def test_detect_language_gives_a_code_or_none(text: str) -> None:
    lang = detect_language(text)
    assert lang is None or (lang.isalpha() and lang.islower() and 2 <= len(lang) <= 3)


@settings(max_examples=100 * SCALE)
@given(st.text(st.characters(blacklist_categories=("L",)), max_size=200))
def test_no_letters_no_language(text: str) -> None:
    assume(sum(c.isalpha() for c in text) < 3)
    assert detect_language(text) is None


@settings(max_examples=100 * SCALE)
@given(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(
    ["Officials met on Tuesday to review the port plan.", "中巴经济走廊建设取得新进展。",
     "پاکستان اور چین کے درمیان تعاون بڑھ رہا ہے۔", "", "  ", "\r"])), max_size=8))
def test_paragraph_languages_are_ordered_trimmed_runs(lines: list[str]) -> None:
    text = "\n".join(lines)
    last = 0
    for start, end, _lang in detect_paragraph_languages(text):
        assert last <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last = end
