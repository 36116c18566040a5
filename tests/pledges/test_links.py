"""One pledge made in two articles worded differently (one of them undated) is
one pledge, and the link that joins them cites both statements. Own-written
articles; a different pledge of the same party stays apart."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest

from corridor.pledges import Item, cluster, cluster_links
from corridor.pledges.text import content_words
from corridor.service import Corridor
from corridor.settings import Settings

ARTICLES = [
    {"url": "https://test.example/links/1", "date": "2024-03-05", "source": "Valley Post",
     "title": "Health ministers review hospital cooperation",
     "text": "Health ministers review hospital cooperation\n\n"
             "Pakistan and China reviewed their cooperation in public health on Tuesday.\n\n"
             "The health minister said Pakistan would take all necessary measures to protect "
             "Chinese doctors and nurses serving in its hospitals.\n"},
    {"url": "https://test.example/links/2", "source": "Valley Post",
     "title": "Chinese medical delegation meets the President",
     "text": "Chinese medical delegation meets the President\n\n"
             "A delegation of Chinese medical staff called on the President of Pakistan.\n\n"
             "The President said Pakistan would leave no stone unturned to keep the Chinese "
             "medical teams in the country safe. He said Pakistan would also open two new "
             "nursing colleges in Quetta.\n"},
]


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corridor]:
    folder = tmp_path_factory.mktemp("pledge-links")
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    corridor = Corridor(settings=Settings(db=str(folder / "pool.db")))
    corridor.ingest([str(path)])
    yield corridor
    corridor.close()


def test_the_same_pledge_in_other_words_is_one_cited_pledge(pool: Corridor) -> None:
    pledges = pool.pledges()
    safety = [p for p in pledges if any("doctors" in m.action for m in p.mentions)]
    assert len(safety) == 1
    p = safety[0]
    assert p.parties == ["pakistan"] and p.documents == 2 and p.status == "reiterated"
    assert any("no stone unturned" in m.action for m in p.mentions)
    # the other pledge of the same party stays its own
    colleges = [q for q in pledges if any("nursing colleges" in m.action for m in q.mentions)]
    assert colleges and all(q.id != p.id for q in colleges)
    # one link per join, citing both statements: documents, offsets, sentences
    assert len(p.links) == p.count - 1 == 1
    link = p.links[0]
    assert {link.citation_a.doc_id, link.citation_b.doc_id} == {m.citation.doc_id
                                                                 for m in p.mentions}
    for cite in (link.citation_a, link.citation_b):
        doc = pool.document(cite.doc_id)
        assert doc.text[cite.start:cite.end] == cite.sentence
    assert link.cosine is not None and link.score > 0
    assert "same party (pakistan)" in link.basis
    out = p.to_dict()
    assert out["links"][0]["basis"] == link.basis
    later = [h for h in out["history"] if h["kind"] == "reiterated"]
    assert later and later[0]["link"]["citation"]["doc_id"] == p.mentions[0].citation.doc_id
    note = [s.note for s in p.signals if s.kind == "reiterated"][0]
    assert "linked to" in note and link.citation_a.doc_id in note


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_cluster_links_are_a_spanning_tree_with_their_scores() -> None:
    items = [Item(parties=frozenset({"pakistan"}), projects=frozenset(),
                  words=content_words(w), doc=d)
             for w, d in (("protect foreign crews", "a"), ("keep foreign crews safe", "b"),
                          ("guard foreign crews", "c"), ("open a college", "d"))]
    v = np.stack([_unit(1, 0.1, 0), _unit(1, 0.2, 0), _unit(1, 0.15, 0), _unit(0, 0, 1)])
    groups, links = cluster_links(items, v)
    assert groups == cluster(items, v) == [[0, 1, 2], [3]]
    assert len(links) == 2 and all(k.a < k.b for k in links)
    assert {i for k in links for i in (k.a, k.b)} == {0, 1, 2}
    for k in links:
        assert k.cosine is not None and k.cosine == pytest.approx(float(v[k.a] @ v[k.b]), abs=1e-3)
        assert k.score == pytest.approx(0.8 * k.cosine + 0.2 * k.overlap, abs=1e-3)
    # without vectors the word overlap is the score
    same = [Item(parties=frozenset({"pakistan"}), projects=frozenset(),
                 words=content_words("guard the foreign crews at the dam"), doc=d) for d in "ab"]
    _, lexical = cluster_links(same, None)
    assert [(k.a, k.b, k.cosine, k.score) for k in lexical] == [(0, 1, None, 1.0)]
