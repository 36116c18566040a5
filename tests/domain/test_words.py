"""The word lists kept as data (corridor/domain/words.json)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from corridor.check.text import ACTION_GROUPS, stem
from corridor.domain import words
from corridor.errors import ConfigError
from corridor.extract.sentences import split_sentences


def _raw() -> dict[str, dict[str, object]]:
    return json.loads((resources.files("corridor.domain") / "words.json").read_text("utf-8"))


def test_every_list_is_described_and_every_description_has_its_list() -> None:
    raw = _raw()
    about = raw.pop("_about")
    lists = {f"{section}.{name}" for section, entries in raw.items() for name in entries}
    assert lists == set(about)
    assert all(isinstance(text, str) and text for text in about.values())


def test_a_list_holds_no_word_twice() -> None:
    raw = _raw()
    raw.pop("_about")
    for section, entries in raw.items():
        for name, value in entries.items():
            if isinstance(value, list) and all(isinstance(w, str) for w in value):
                assert len(value) == len(set(value)), f"{section}.{name}"


def test_the_three_shapes() -> None:
    heads = words.word_set("entities", "org_heads")
    assert isinstance(heads, frozenset) and "Ministry" in heads
    numbers = words.word_map("check", "number_words")
    assert numbers["twelve"] == 12
    numbers["twelve"] = 13  # a copy: the shared table stays as it was
    assert words.word_map("check", "number_words")["twelve"] == 12
    rows = words.word_rows("check", "action_groups")
    assert rows == ACTION_GROUPS
    assert all(isinstance(r[1], tuple) for r in rows)


def test_a_missing_list_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="entities.no_such_list"):
        words.word_set("entities", "no_such_list")


def test_the_code_reads_the_lists() -> None:
    # an abbreviation from the data does not end a sentence; an irregular form stems
    assert len(split_sentences("Mr. Ahmed met Dr. Li in Lahore. They signed.")) == 2
    assert stem("sought") == "seek"
