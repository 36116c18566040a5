"""Clustering rules on hand-made items and vectors (no model needed)."""

from __future__ import annotations

import numpy as np

from corridor.pledges import ClusterParams, Item, cluster
from corridor.pledges.text import clean_action, content_words, display_action, ordinals


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


PK, CN = "pakistan", "china"


def _item(parties: set[str], projects: set[str] = frozenset(), words: str = "", **kw: object
          ) -> Item:
    return Item(parties=frozenset(parties), projects=frozenset(projects),
                words=content_words(words), **kw)  # type: ignore[arg-type]


def test_paraphrases_of_one_project_merge_and_other_projects_never() -> None:
    items = [
        _item({PK, CN}, {"ml-1"}, "upgrade the ML-1 railway"),
        _item({PK, CN}, {"ml-1"}, "expedite the upgrading of the ML-1 line"),
        _item({PK, CN}, {"gwadar-port"}, "upgrade the port"),  # same vector, other project
    ]
    v = np.stack([_unit(1, 0.1, 0), _unit(1, 0.2, 0), _unit(1, 0.1, 0)])
    assert cluster(items, v) == [[0, 1], [2]]


def test_parties_must_be_compatible() -> None:
    same = _unit(1, 0, 0)
    items = [_item({PK, CN}), _item({PK}), _item({CN}), _item({"cctv", "ptv"})]
    groups = cluster(items, np.stack([same] * 4))
    # Pakistan alone restates the joint pledge; China alone then cannot join
    # (Pakistan and China are disjoint), nor can two broadcasters
    assert [0, 1] in groups and [2] in groups and [3] in groups


def test_ordinals_and_sectors_keep_pledges_apart() -> None:
    same = np.stack([_unit(1, 0, 0)] * 2)
    meetings = [_item({PK, CN}, words="hold the 13th JCC meeting", ordinals=frozenset({13})),
                _item({PK, CN}, words="hold the 14th JCC meeting", ordinals=frozenset({14}))]
    assert cluster(meetings, same) == [[0], [1]]
    fields = [_item({PK, CN}, words="expand cooperation in agriculture",
                    sectors=frozenset({"agriculture"})),
              _item({PK, CN}, words="expand cooperation in IT",
                    sectors=frozenset({"it_digital"}))]
    assert cluster(fields, same) == [[0], [1]]
    bodies = [_item({PK, CN}, bodies=frozenset({"cctv"})),
              _item({PK, CN}, bodies=frozenset({"xinhua"}))]
    assert cluster(bodies, same) == [[0], [1]]


def test_average_linkage_stops_chains() -> None:
    # a ~ b and b ~ c, but a and c are far apart: no single cluster of three
    a, c = _unit(1, 0, 0), _unit(0, 1, 0)
    b = _unit(1, 1, 0)
    items = [_item({PK}) for _ in range(3)]
    groups = cluster(items, np.stack([a, b, c]), ClusterParams(threshold=0.5, average=0.6))
    assert len(groups) == 2


def test_without_vectors_word_overlap_decides() -> None:
    items = [_item({PK, CN}, words="extend the orange line metro to the airport"),
             _item({PK, CN}, words="extend the orange line metro train to the airport"),
             _item({PK, CN}, words="build a new hospital in gwadar")]
    assert cluster(items, None) == [[0, 1], [2]]


def test_result_does_not_depend_on_input_order() -> None:
    rng = np.random.default_rng(7)
    base = rng.normal(size=(5, 64)).astype(np.float32)
    vecs = np.concatenate([base + 0.15 * rng.normal(size=(5, 64)).astype(np.float32)
                           for _ in range(3)])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    items = [_item({PK, CN}) for _ in range(len(vecs))]
    groups = cluster(items, vecs)
    perm = rng.permutation(len(vecs))
    again = cluster([items[i] for i in perm], vecs[perm])
    as_sets = {frozenset(g) for g in groups}
    assert {frozenset(int(perm[i]) for i in g) for g in again} == as_sets
    assert len(as_sets) == 5  # the five underlying pledges, three paraphrases each


def test_text_helpers() -> None:
    assert ordinals("hold the 14th JCC meeting and the fourth round") == {14, 4}
    assert clean_action("develop the port into a hub, the ports minister said") == (
        "develop the port into a hub")
    assert clean_action("complete the dam this year, the water minister") == (
        "complete the dam this year")
    assert display_action("advance the upgradation of ml-1",
                          "They agreed to advance the upgradation of ML-1.") == (
        "advance the upgradation of ML-1")
    # country names and generic words do not count as shared content
    assert content_words("strengthen cooperation with Pakistan") == frozenset()


def test_one_article_needs_closer_wording() -> None:
    v = np.stack([_unit(1, 0.8, 0), _unit(1, 0, 0)])  # cosine 0.78: score 0.62
    two_docs = [_item({PK, CN}, doc="a"), _item({PK, CN}, doc="b")]
    one_doc = [_item({PK, CN}, doc="a"), _item({PK, CN}, doc="a")]
    assert cluster(two_docs, v) == [[0, 1]]
    assert cluster(one_doc, v) == [[0], [1]]
