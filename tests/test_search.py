"""Sentence search: keyword (BM25), semantic (vectors), hybrid (RRF); vectors stored once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.errors import ConfigError
from corridor.search import rrf
from corridor.service import Corridor
from corridor.store.base import SentenceHit

ARTICLES = [
    {"url": "https://river-news.example/a", "title": "Dam talks", "date": "2024-05-02",
     "source": "River News", "text": (
         "Officials from both countries met in Lahore to discuss the new dam. "
         "The engineers said the reservoir would store water for irrigation during droughts. "
         "A second round of talks is planned for the autumn.")},
    {"url": "https://market-post.example/b", "title": "Fruit exports grow", "date": "2024-07-09",
     "source": "Market Post", "text": (
         "Mango exports rose sharply this season as new cold-storage plants opened. "
         "Farmers in Multan welcomed the higher prices paid by foreign buyers. "
         "Traders expect the growth to continue next year.")},
]


@pytest.fixture(scope="module")
def corridor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    c = Corridor(str(tmp_path_factory.mktemp("search") / "s.db"))
    c.ingest_articles(ARTICLES, label="test")
    yield c
    c.close()


def test_keyword_finds_sentence_with_offsets(corridor: Corridor) -> None:
    hits = corridor.search_sentences("reservoir irrigation", mode="keyword")
    assert hits and "reservoir" in hits[0].text
    doc = corridor.document(hits[0].doc_id)
    assert doc.text[hits[0].start:hits[0].end] == hits[0].text
    assert hits[0].highlights and hits[0].ranks == {"keyword": 1}


def test_semantic_finds_paraphrase_without_shared_words(corridor: Corridor) -> None:
    hits = corridor.search_sentences("fruit shipments abroad increased", mode="semantic", limit=3)
    assert hits[0].text.startswith("Mango exports rose")
    assert hits[0].source == "Market Post" and hits[0].published == "2024-07-09"
    assert -1.0 <= hits[-1].score <= hits[0].score <= 1.0
    # no keyword shared: keyword mode finds nothing
    assert corridor.search_sentences("fruit shipments abroad increased", mode="keyword") == []


def test_semantic_results_are_ranked_by_exact_minilm(corridor: Corridor) -> None:
    import numpy as np

    from corridor.embed import get_embedder, get_exact_embedder

    query = "farmers were paid more by buyers abroad"
    hits = corridor.search_sentences(query, mode="semantic", limit=4)
    exact = get_exact_embedder().embed([query] + [h.text for h in hits])
    # each score is exact MiniLM's cosine (not the stored int8-model vector's), in order
    assert np.allclose([h.score for h in hits], exact[1:] @ exact[0], atol=1e-5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    stored = get_embedder().embed([hits[0].text])[0] @ get_embedder().embed([query])[0]
    assert not np.isclose(stored, hits[0].score, atol=1e-6)


def test_hybrid_fuses_both(corridor: Corridor) -> None:
    hits = corridor.search_sentences("water stored for droughts", mode="hybrid", limit=3)
    assert "reservoir" in hits[0].text
    assert set(hits[0].ranks) == {"keyword", "semantic"}


def test_filters_apply_to_every_mode(corridor: Corridor) -> None:
    for mode in ("keyword", "semantic", "hybrid"):
        hits = corridor.search_sentences("exports talks", mode=mode, source="River News")
        assert all(h.source == "River News" for h in hits), mode
        hits = corridor.search_sentences("mango exports", mode=mode, since="2024-06-01")
        assert hits and all(h.published and h.published >= "2024-06-01" for h in hits), mode


def test_bad_mode(corridor: Corridor) -> None:
    with pytest.raises(ConfigError):
        corridor.search_sentences("dam", mode="fuzzy")


def test_vectors_are_reused_after_reextraction(corridor: Corridor) -> None:
    assert corridor.embed_sentences() == 0  # ingest embedded everything
    corridor.extract(everything=True)  # sentences deleted and stored again
    assert corridor.store.sentences_to_hash() == []
    assert corridor.embed_sentences() == 0
    hits = corridor.search_sentences("fruit shipments abroad increased", mode="semantic")
    assert hits[0].text.startswith("Mango exports rose")


def test_rrf_orders_by_summed_reciprocal_rank() -> None:
    def hit(i: int) -> SentenceHit:
        return SentenceHit(doc_id="d", idx=i, start=0, end=1, text=str(i))

    fused = rrf([[hit(1), hit(2), hit(3)], [hit(3), hit(2)]], k=60)
    assert [h.idx for h in fused] == [3, 2, 1]  # 3: 1/63+1/61 > 2: 2/62 > 1: 1/61
    assert fused[0].ranks == {"keyword": 3, "semantic": 1}


def test_cli_search_modes(corridor: Corridor) -> None:
    runner = CliRunner()
    db = corridor.settings.db
    res = runner.invoke(app, ["search", "mango", "--db", db, "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["hits"][0]["snippet"]  # documents
    res = runner.invoke(app, ["search", "fruit sold abroad", "--mode", "semantic", "--db", db,
                              "--json"])
    assert res.exit_code == 0, res.output
    first = json.loads(res.output)["hits"][0]
    assert first["text"].startswith("Mango") and {"doc_id", "start", "end"} <= set(first)
    res = runner.invoke(app, ["search", "dam", "--mode", "hybrid", "--db", db])
    assert res.exit_code == 0 and "River News" in res.output
