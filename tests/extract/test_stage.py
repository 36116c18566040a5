"""The extraction stage, the domain pack, rule-only mode and speed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from corridor.document import Document
from corridor.domain import load_pack
from corridor.extract import extract_stage, get_nlp
from corridor.pipeline import Pipeline, Stage

Extract = Callable[..., Document]


def test_stage_declaration() -> None:
    assert isinstance(extract_stage, Stage)
    assert extract_stage.requires == {"text", "published", "lang"}
    assert extract_stage.assigns == {"sentences", "mentions", "events", "sectors", "commitments"}


def test_stage_in_a_pipeline() -> None:
    pipe = Pipeline([extract_stage], provided={"source_key", "text", "published", "lang"})
    doc = Document(source_key="k", text="Pakistan and China signed an MoU on Monday.", lang="en")
    out = pipe(doc)
    assert out is not None and out.sentences and out.events


def test_rules_mode_has_no_statistical_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_NLP", "rules")
    nlp = get_nlp()
    assert not nlp.statistical
    assert "entity_ruler" in nlp.nlp.pipe_names
    assert "ner" not in nlp.nlp.pipe_names


def test_auto_mode_has_ruler_before_ner() -> None:
    nlp = get_nlp("auto")
    names = nlp.nlp.pipe_names
    assert "entity_ruler" in names
    if nlp.statistical:
        assert names.index("entity_ruler") < names.index("ner")


def test_domain_pack_is_consistent() -> None:
    pack = load_pack()
    assert pack.lookup("CPEC") is not None and pack.lookup("CPEC").id == "cpec"  # type: ignore[union-attr]
    assert pack.lookup("سی پیک").id == "cpec"  # type: ignore[union-attr]
    assert pack.lookup("中巴经济走廊").id == "cpec"  # type: ignore[union-attr]
    assert pack.lookup("app") is None  # acronyms are case-sensitive
    for entry in pack.entities.values():
        if entry.country:
            assert entry.country in pack.entities, entry.id
        if entry.capital_of:
            assert f"gov-{entry.capital_of}" in pack.entities


def test_an_800_word_article_is_extracted(run: Extract) -> None:
    """Its speed is measured in bench/ingest_bench.py, not asserted here."""
    para = (
        "Federal Minister for Planning Ahsan Iqbal met Vice Chairman of the National "
        "Development and Reform Commission Zhou Minghao in Islamabad on Monday. Both sides "
        "agreed to expand cooperation in agriculture, industry and information technology "
        "under CPEC. He said Pakistan would provide security to Chinese personnel. "
    )
    text = "\n".join([para] * 16)  # about 800 words
    assert 700 < len(text.split()) < 900
    doc = run(text)
    assert len(doc.sentences) >= 40
    assert any(e.type == "MEET" for e in doc.events)
