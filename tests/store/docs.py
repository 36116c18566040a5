"""Documents for the store tests: ``from tests.store.docs import add, make_doc``."""

from __future__ import annotations

from corridor.document import Document
from corridor.ingest.fingerprint import band_keys, content_hash, minhash_signature
from corridor.store.base import Store


def make_doc(text: str, key: str, **kw: object) -> Document:
    doc = Document(key, raw_text=text, text=text, **kw)  # type: ignore[arg-type]
    doc.content_hash = content_hash(text)
    doc.id = doc.content_hash[:16]
    doc.raw_hash = "r-" + key
    doc.minhash = minhash_signature(text)
    return doc


def add(store: Store, doc: Document) -> None:
    assert doc.minhash is not None
    with store.transaction():
        store.add_document(doc, band_keys(doc.minhash, 0.7))
