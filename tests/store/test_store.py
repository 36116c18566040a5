"""The Store contract, run against every backend (``store``: SQLite and PostgreSQL)."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.errors import NotFound, StoreError
from corridor.ingest.fingerprint import band_keys
from corridor.store.base import SearchFilters, Store
from tests.store.docs import add, make_doc


def test_search_finds_and_highlights(store: Store) -> None:
    doc = make_doc("The ministers discussed the Gwadar port expansion in detail.", "k1",
                   title="Port talks", published="2024-03-01", source="Example News", lang="en")
    add(store, doc)
    hits = store.search("gwadar", SearchFilters())
    assert [h.doc_id for h in hits] == [doc.id]
    start, end = hits[0].highlights[0]
    assert hits[0].snippet[start:end] == "Gwadar"
    assert store.search("harbour", SearchFilters()) == []
    assert doc.id is not None
    assert store.highlight_document(doc.id, "port expansion") == [(35, 39), (40, 49)]
    assert store.check_integrity() == []


def test_query_grammar(store: Store) -> None:
    add(store, make_doc("Railway upgrade talks held in Lahore with engineers.", "a", lang="en"))
    add(store, make_doc("Upgrade of the railway line was not discussed in Karachi.", "b",
                        lang="en"))
    add(store, make_doc("The café owners met the minister of ports.", "c", lang="en"))

    def found(q: str) -> set[str]:
        return {h.snippet.split()[0] for h in store.search(q, SearchFilters())}

    assert found("railway upgrade") == {"Railway", "Upgrade"}  # AND, any order
    assert found('"railway upgrade"') == {"Railway"}  # phrase
    assert found("lahore OR karachi") == {"Railway", "Upgrade"}
    assert found("rail*") == {"Railway", "Upgrade"}  # prefix
    assert found("engineer") == set()  # no stemming on either backend
    assert found("cafe") == {"The"}  # Latin diacritics folded
    assert found("RAILWAY lahore") == {"Railway"}  # case folded


@pytest.mark.parametrize("query", [
    "'; DROP TABLE documents; --", 'port" OR 1=1', "a & b | !c", "port:* <-> x", "\\'",
    "NEAR(port talks)", "title:port", "((", '"', "*", "OR", "!!", "\x00", "ports)",
    "中巴%_\\经济", "经济走廊' OR 1=1 --", "%%%中", "走廊\\%",
])
def test_hostile_queries_are_plain_text(store: Store, query: str) -> None:
    add(store, make_doc("Port talks resumed after the ministers met.", "k", title="Port"))
    add(store, make_doc("中巴经济走廊建设取得新进展。", "zh", lang="zh"))
    store.search(query, SearchFilters())  # never an error, never SQL
    store.sentence_search(query, SearchFilters())
    assert store.stats()["documents"] == 2


def test_search_filters(store: Store) -> None:
    add(store, make_doc("Railway upgrade talks held in March.", "a", published="2024-03-01",
                        source="Alpha", lang="en", url="https://alpha.example/rail"))
    add(store, make_doc("Railway upgrade talks resumed in June.", "b", published="2024-06-01",
                        source="Beta", lang="en"))
    assert len(store.search("railway", SearchFilters())) == 2
    assert len(store.search("railway", SearchFilters(since="2024-05-01"))) == 1
    assert len(store.search("railway", SearchFilters(until="2024-05-01"))) == 1
    assert len(store.search("railway", SearchFilters(source="beta"))) == 1
    assert len(store.search("railway", SearchFilters(source="ALPHA.example"))) == 1
    assert store.search("railway", SearchFilters(lang="ur")) == []
    assert len(store.search("railway", SearchFilters(), limit=1)) == 1
    assert len(store.search("railway", SearchFilters(), limit=5, offset=1)) == 1


def test_chinese_and_urdu_search(store: Store) -> None:
    add(store, make_doc("两国代表讨论了中巴经济走廊建设的新进展和合作项目。", "zh", lang="zh"))
    add(store, make_doc("پاکستان اور چین نے سی پیک منصوبوں پر تعاون بڑھانے پر اتفاق کیا۔", "ur",
                        lang="ur"))
    assert len(store.search("中巴经济走廊", SearchFilters())) == 1
    [hit] = store.search("经济走廊", SearchFilters())
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["经济走廊"]
    assert store.search("经济", SearchFilters()) == []  # under 3 characters: as on SQLite
    assert len(store.search("منصوبوں", SearchFilters())) == 1
    assert len(store.search("کیا", SearchFilters())) == 1  # the full stop ۔ ends the word
    assert len(store.search("پاكستان", SearchFilters())) == 1  # typed with Arabic kaf


def test_transaction_rolls_back(store: Store) -> None:
    doc = make_doc("A story that must not be half written to the pool.", "k")
    with pytest.raises(RuntimeError), store.transaction():
        assert doc.minhash is not None
        store.add_document(doc, band_keys(doc.minhash, 0.7))
        store.add_quarantine(source_key="/q", origin="file", url=None, code="binary",
                             stage="read", message="m", raw=b"x", raw_size=1, raw_hash="h")
        raise RuntimeError("crash")
    assert store.stats()["documents"] == 0
    assert store.quarantined() == []
    assert store.search("story", SearchFilters()) == []
    assert store.near_candidates(band_keys(doc.minhash, 0.7)) == []


def test_duplicate_insert_is_store_error(store: Store) -> None:
    doc = make_doc("Same text twice is refused by the unique hash.", "k")
    add(store, doc)
    with pytest.raises(StoreError):
        add(store, make_doc("Same text twice is refused by the unique hash.", "k2"))
    assert store.stats()["documents"] == 1
    add(store, make_doc("After the refusal the pool takes new stories again.", "k3"))
    assert store.stats()["documents"] == 2


def test_quarantine_is_idempotent(store: Store) -> None:
    kw = dict(source_key="/x.bin", origin="file", url=None, code="binary", stage="read",
              message="looks like a PNG image", raw=b"\x89PNG\x00", raw_size=5, raw_hash="h")
    with store.transaction():
        assert store.add_quarantine(**kw) is True  # type: ignore[arg-type]
        assert store.add_quarantine(**kw) is False  # type: ignore[arg-type]
    [rec] = store.quarantined()
    assert rec.code == "binary" and rec.raw_size == 5
    assert store.stats()["quarantined_by_code"] == {"binary": 1}


def test_get_document_and_links(store: Store) -> None:
    doc = make_doc("The delegation visited the industrial zone and met local firms.", "k",
                   url="http://example.test/a")
    add(store, doc)
    assert doc.id is not None
    copy = make_doc("The delegation visited the industrial zone and met local firms!", "k2",
                    url="http://mirror.test/a")
    copy.similarity = 0.93
    with store.transaction():
        store.add_source_link(copy, doc.id, "near")
    assert store.seen_source("k2", "r-k2") == doc.id
    assert store.doc_by_hash(doc.content_hash or "") == doc.id
    got = store.get_document(doc.id)
    assert got.text == doc.text
    assert [(s.kind, s.similarity) for s in got.sources] == [("original", None), ("near", 0.93)]
    assert [d.id for d in store.iter_documents()] == [doc.id]
    assert [d.id for d in store.recent_documents()] == [doc.id]
    with pytest.raises(NotFound):
        store.get_document("nope")


def test_near_candidates(store: Store) -> None:
    text = ("Engineers from both sides inspected the motorway section and agreed on a repair "
            "plan covering bridges, drainage and signage along the whole northern stretch.")
    doc = make_doc(text, "k")
    add(store, doc)
    near = make_doc(text + " Work starts soon.", "k2")
    assert near.minhash is not None
    cands = store.near_candidates(band_keys(near.minhash, 0.7))
    assert [c[0] for c in cands] == [doc.id]
    assert cands[0][1] == doc.minhash
    assert store.near_candidates([]) == []


def test_runs_and_stats(store: Store) -> None:
    with store.transaction():
        run = store.start_run(["a.txt"])
        store.finish_run(run, {"stored": 1})
    add(store, make_doc("Talks in Beijing on trade.", "k", lang="en", source="Wire",
                        published="2024-01-02"))
    stats = store.stats()
    assert stats["ingest_runs"] == 1 and stats["documents"] == 1
    assert stats["by_language"] == {"en": 1} and stats["by_source"] == {"Wire": 1}
    assert stats["earliest"] == stats["latest"] == "2024-01-02"
    assert stats["migrations"][:2] == ["0001_documents", "0002_fts"]
    assert stats["database_bytes"] > 0


def test_tokens(store: Store) -> None:
    token = store.add_token("newsroom", "hash-1")
    with pytest.raises(StoreError):
        store.add_token("newsroom", "hash-2")
    assert store.token_by_hash("hash-1") == token
    store.touch_token(token.id)
    revoked = store.revoke_token(token.id)
    assert revoked.revoked_at is not None
    again = store.add_token("newsroom", "hash-3")  # the name is free once revoked
    assert [t.id for t in store.list_tokens()] == [token.id, again.id]
    with pytest.raises(NotFound):
        store.revoke_token(999)


def test_vectors_and_checks(store: Store) -> None:
    doc = make_doc("Ministers met in Beijing. They signed a port deal. Talks ended.", "k")
    add(store, doc)
    from corridor.document import Sentence

    doc.sentences = [Sentence(0, 25, "Ministers met in Beijing."),
                     Sentence(26, 50, "They signed a port deal."),
                     Sentence(51, 63, "Talks ended.")]
    store.save_extraction(doc, [], [], {}, "v1")
    todo = store.sentences_to_hash()
    assert [(d, i) for d, i, _ in todo] == [(doc.id, 0), (doc.id, 1), (doc.id, 2)]
    vecs = {f"h{i}": np.eye(4, dtype=np.float32)[i] for i in range(3)}
    assert store.missing_vectors("m", list(vecs)) == set(vecs)
    store.save_sentence_vectors("m", [(d, i, f"h{i}") for d, i, _ in todo], vecs)
    assert store.missing_vectors("m", list(vecs)) == set()
    assert store.texts_without_vector("m") == {}
    # the same sentences under another model: all of them still to embed, by text
    assert store.texts_without_vector("m2") == {f"h{i}": t for i, (_, _, t) in enumerate(todo)}
    assert set(store.vectors_by_hash("m", ["h1", "zz"])) == {"h1"}
    hits = store.vector_search("m", np.eye(4, dtype=np.float32)[1], SearchFilters(), limit=2)
    assert [h.idx for h in hits] == [1, 0] and hits[0].score == pytest.approx(1.0)
    [hit] = store.sentence_search("port deal", SearchFilters())
    assert (hit.idx, hit.text[hit.highlights[0][0]:hit.highlights[0][1]]) == (1, "port")
    assert [h.idx for h in store.sentence_search("port beijing", SearchFilters(),
                                                 any_term=True)] in ([0, 1], [1, 0])
    check_id = store.save_check(claim="A port deal", claim_key="a port deal", model="m",
                                vector=vecs["h1"], verdict="SUPPORTED", confidence=0.9,
                                reason="r", result={"verdict": "SUPPORTED"}, judge="j1")
    assert store.save_check(claim="A port deal.", claim_key="a port deal", model=None,
                            vector=None, verdict="REFUTED", confidence=0.7, reason="r2",
                            result={"verdict": "REFUTED"}, judge="j1") == check_id
    other = store.save_check(claim="Another", claim_key="another", model=None, vector=None,
                             verdict="NOT_ENOUGH_INFO", confidence=0.5, reason="r",
                             result={}, judge="j1")
    store.link_claims(other, check_id, "suggested", 0.85)
    got = store.get_check(other)
    assert [(link.matched_id, link.kind) for link in got.links] == [(check_id, "suggested")]
    assert [r.verdict for r in store.check_runs(check_id)] == ["SUPPORTED", "REFUTED"]
    assert store.find_check("a port deal") is not None
    assert [c.id for c in store.list_checks(verdict="refuted")] == [check_id]
    [(cid, claim, vec)] = store.check_vectors("m")
    assert (cid, claim) == (check_id, "A port deal.") and vec.tolist() == vecs["h1"].tolist()
