from __future__ import annotations

from pathlib import Path

import pytest

from corridor.document import Document
from corridor.errors import NotFound, StoreError
from corridor.ingest.fingerprint import band_keys, content_hash, minhash_signature
from corridor.store.base import SearchFilters
from corridor.store.sqlite import SQLiteStore, migration_files, split_sql


def make_doc(text: str, key: str, **kw: object) -> Document:
    doc = Document(key, raw_text=text, text=text, **kw)  # type: ignore[arg-type]
    doc.content_hash = content_hash(text)
    doc.id = doc.content_hash[:16]
    doc.raw_hash = "r-" + key
    doc.minhash = minhash_signature(text)
    return doc


def add(store: SQLiteStore, doc: Document) -> None:
    assert doc.minhash is not None
    with store.transaction():
        store.add_document(doc, band_keys(doc.minhash, 0.7))


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "pool.db")


def test_migrations_recorded_once(tmp_path: Path) -> None:
    first = SQLiteStore(tmp_path / "a.db")
    assert first.applied_migrations() == [name for name, _ in migration_files()]
    assert first.applied_migrations()[:2] == ["0001_documents", "0002_fts"]
    first.close()
    again = SQLiteStore(tmp_path / "a.db")
    assert again.migrate() == []
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_split_sql_keeps_triggers_whole() -> None:
    parts = split_sql("CREATE TABLE a(x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                      "  INSERT INTO a VALUES (1);\n  INSERT INTO a VALUES (2);\nEND;\n")
    assert len(parts) == 2 and parts[1].endswith("END;")


def test_fts_follows_inserts_updates_deletes(store: SQLiteStore) -> None:
    doc = make_doc("The ministers discussed the Gwadar port expansion in detail.", "k1",
                   title="Port talks", published="2024-03-01", source="Example News", lang="en")
    add(store, doc)
    hits = store.search("gwadar", SearchFilters())
    assert [h.doc_id for h in hits] == [doc.id]
    assert hits[0].snippet[hits[0].highlights[0][0]:hits[0].highlights[0][1]] == "Gwadar"
    store.conn.execute("UPDATE documents SET text = 'Nothing about ports now.' WHERE id = ?",
                       (doc.id,))
    assert store.search("gwadar", SearchFilters()) == []
    assert store.search("ports", SearchFilters())
    store.conn.execute("DELETE FROM sources")
    store.conn.execute("DELETE FROM lsh_bands")
    store.conn.execute("DELETE FROM documents")
    assert store.search("ports", SearchFilters()) == []
    assert store.check_integrity() == []


def test_search_filters(store: SQLiteStore) -> None:
    add(store, make_doc("Railway upgrade talks held in March.", "a", published="2024-03-01",
                        source="Alpha", lang="en"))
    add(store, make_doc("Railway upgrade talks resumed in June.", "b", published="2024-06-01",
                        source="Beta", lang="en"))
    assert len(store.search("railway", SearchFilters())) == 2
    assert len(store.search("railway", SearchFilters(since="2024-05-01"))) == 1
    assert len(store.search("railway", SearchFilters(until="2024-05-01"))) == 1
    assert len(store.search("railway", SearchFilters(source="beta"))) == 1
    assert store.search("railway", SearchFilters(lang="ur")) == []


def test_chinese_and_urdu_search(store: SQLiteStore) -> None:
    add(store, make_doc("两国代表讨论了中巴经济走廊建设的新进展和合作项目。", "zh", lang="zh"))
    add(store, make_doc("پاکستان اور چین نے سی پیک منصوبوں پر تعاون بڑھانے پر اتفاق کیا۔", "ur",
                        lang="ur"))
    assert len(store.search("中巴经济走廊", SearchFilters())) == 1
    assert len(store.search("经济走廊", SearchFilters())) == 1
    assert len(store.search("منصوبوں", SearchFilters())) == 1


def test_transaction_rolls_back(store: SQLiteStore) -> None:
    doc = make_doc("A story that must not be half written to the pool.", "k")
    with pytest.raises(RuntimeError), store.transaction():
        assert doc.minhash is not None
        store.add_document(doc, band_keys(doc.minhash, 0.7))
        raise RuntimeError("crash")
    assert store.stats()["documents"] == 0
    assert store.search("story", SearchFilters()) == []


def test_duplicate_insert_is_store_error(store: SQLiteStore) -> None:
    doc = make_doc("Same text twice is refused by the unique hash.", "k")
    add(store, doc)
    with pytest.raises(StoreError):
        add(store, make_doc("Same text twice is refused by the unique hash.", "k2"))
    assert store.stats()["documents"] == 1


def test_quarantine_is_idempotent(store: SQLiteStore) -> None:
    kw = dict(source_key="/x.bin", origin="file", url=None, code="binary", stage="read",
              message="looks like a PNG image", raw=b"\x89PNG", raw_size=4, raw_hash="h")
    with store.transaction():
        assert store.add_quarantine(**kw) is True  # type: ignore[arg-type]
        assert store.add_quarantine(**kw) is False  # type: ignore[arg-type]
    [rec] = store.quarantined()
    assert rec.code == "binary" and rec.raw_size == 4


def test_get_document_and_links(store: SQLiteStore) -> None:
    doc = make_doc("The delegation visited the industrial zone and met local firms.", "k",
                   url="http://example.test/a")
    add(store, doc)
    assert doc.id is not None
    copy = make_doc("The delegation visited the industrial zone and met local firms!", "k2",
                    url="http://mirror.test/a")
    with store.transaction():
        store.add_source_link(copy, doc.id, "exact")
    got = store.get_document(doc.id)
    assert got.text == doc.text
    assert [s.kind for s in got.sources] == ["original", "exact"]
    with pytest.raises(NotFound):
        store.get_document("nope")


def test_near_candidates(store: SQLiteStore) -> None:
    text = ("Engineers from both sides inspected the motorway section and agreed on a repair "
            "plan covering bridges, drainage and signage along the whole northern stretch.")
    doc = make_doc(text, "k")
    add(store, doc)
    near = make_doc(text + " Work starts soon.", "k2")
    assert near.minhash is not None
    cands = store.near_candidates(band_keys(near.minhash, 0.7))
    assert [c[0] for c in cands] == [doc.id]
    assert cands[0][1] == doc.minhash
