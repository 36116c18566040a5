"""Sentence splitting: datelines, abbreviations, quotes, Urdu and Chinese."""

from __future__ import annotations

from corridor.extract import split_sentences


def texts(text: str) -> list[str]:
    out = split_sentences(text)
    for s in out:
        assert text[s.start : s.end] == s.text
    return [s.text for s in out]


def test_dateline_and_abbreviations_stay_whole() -> None:
    text = (
        "ISLAMABAD, Feb. 6 (APP): The Ambassador of Pakistan to China, H.E. Khalil Hashmi, "
        "called on H.E. Mr. Liu Haixing. Dr. Ahsan Iqbal and Ms. Cao met in the U.S. capital "
        "on Monday. The talks ended."
    )
    assert texts(text) == [
        "ISLAMABAD, Feb. 6 (APP): The Ambassador of Pakistan to China, H.E. Khalil Hashmi, "
        "called on H.E. Mr. Liu Haixing.",
        "Dr. Ahsan Iqbal and Ms. Cao met in the U.S. capital on Monday.",
        "The talks ended.",
    ]


def test_quotes_and_ellipsis() -> None:
    text = '"We will build it," he said. "It is bound to fail...The two sides agreed." Next.'
    assert texts(text) == [
        '"We will build it," he said.',
        '"It is bound to fail...The two sides agreed."',
        "Next.",
    ]


def test_line_breaks_end_sentences() -> None:
    text = "Pakistan, China sign accords\nBEIJING: The two sides signed. More followed."
    assert texts(text) == [
        "Pakistan, China sign accords",
        "BEIJING: The two sides signed.",
        "More followed.",
    ]


def test_urdu_sentences() -> None:
    text = "پاکستان اور چین نے سی پیک پر اتفاق کیا۔ کیا تعاون بڑھے گا؟ جی ہاں"
    assert texts(text) == [
        "پاکستان اور چین نے سی پیک پر اتفاق کیا۔",
        "کیا تعاون بڑھے گا؟",
        "جی ہاں",
    ]


def test_chinese_sentences() -> None:
    text = "中巴经济走廊是重要项目。双方同意加强合作！“真的吗？”是的"
    assert texts(text) == ["中巴经济走廊是重要项目。", "双方同意加强合作！", "“真的吗？”", "是的"]


def test_no_whitespace_or_empty_sentences() -> None:
    assert texts("   \n\n  ") == []
    assert texts("  One sentence.  ") == ["One sentence."]
