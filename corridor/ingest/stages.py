"""The ingest stages, each ``Document -> Document`` (see ``corridor.pipeline``).

read -> clean -> meta -> gate -> fingerprint. Deduplication needs the store and
is done by the service after these stages.
"""

from __future__ import annotations

import hashlib

from ..document import Document
from ..errors import EmptyInput
from ..pipeline import Drop, ErrorHandler, Pipeline, Stage, stage
from ..settings import Settings
from . import clean as _clean
from . import meta as _meta
from .decode import to_text
from .fingerprint import content_hash, minhash_signature

__all__ = ["build_ingest_pipeline", "raw_hash"]


def raw_hash(doc: Document) -> str:
    """Hash of the payload as the source gave it: the identity of one input."""
    payload = doc.raw if doc.raw is not None else (doc.raw_text or "").encode("utf-8", "replace")
    return hashlib.sha256(payload).hexdigest()


def _read(settings: Settings) -> Stage:
    @stage("read", requires=["raw", "raw_text"], assigns=["decoded", "encoding", "raw_hash"])
    def read(doc: Document) -> Document:
        doc.raw_hash = raw_hash(doc)
        if doc.raw is not None:
            doc.decoded, doc.encoding = to_text(
                doc.raw, hint=doc.encoding_hint, max_bytes=settings.max_bytes
            )
        elif doc.raw_text is not None and doc.raw_text.strip():
            doc.decoded, doc.encoding = doc.raw_text.replace("\r\n", "\n"), "utf-8"
        else:
            raise EmptyInput("the input has no text")
        return doc

    return read


@stage(
    "clean",
    requires=["decoded", "fmt"],
    assigns=["text", "title", "published", "date_source", "dateline_place"],
)
def clean(doc: Document) -> Document:
    """Clean text and title; the dateline or source label opening the body leaves it
    for ``dateline_place``, ``source`` (when the source named none) and, for ``meta``,
    its date (``extra["dateline"]``: ISO date and phrase)."""
    assert doc.decoded is not None
    if doc.fmt == "html":
        cleaned = _clean.clean_html(doc.decoded, doc.url)
    else:
        cleaned = _clean.clean_text(doc.decoded)
    doc.text = cleaned.text.strip()
    doc.title = (doc.hint_title or "").strip() or cleaned.title
    given = _meta.parse_date(doc.hint_date) if doc.hint_date else None
    if given:
        doc.published, doc.date_source = given, "metadata"
    elif cleaned.date:
        doc.published, doc.date_source = cleaned.date, "page"
    if doc.source is None and cleaned.sitename:
        doc.source = cleaned.sitename
    if cleaned.dateline_place:
        doc.dateline_place = cleaned.dateline_place
    if doc.source is None and cleaned.dateline_source:
        doc.source = cleaned.dateline_source
    if cleaned.dateline_date or cleaned.dateline_phrase:
        doc.extra["dateline"] = (cleaned.dateline_date, cleaned.dateline_phrase)
    return doc


@stage(
    "meta",
    requires=["text"],
    assigns=["dateline_date", "published", "date_source", "lang"],
)
def meta(doc: Document) -> Document:
    """Publication date (the source's, else the dateline's, else one the text states),
    the dateline's date and the language. A dateline's date may be the article's only
    one: it is kept whichever date the publication got."""
    iso, phrase = doc.extra.pop("dateline", (None, None))
    if doc.published is None and iso:
        doc.published, doc.date_source = iso, "dateline"
    if doc.published is None:
        found = _meta.find_text_date(doc.text)
        if found is not None:
            doc.published, doc.date_source = found[0], "text"
    if iso is None and phrase and doc.published:
        iso = _meta.resolve_month_day(phrase, doc.published)
    doc.dateline_date = iso
    doc.lang = _meta.detect_language(doc.text)
    return doc


def _gate(settings: Settings) -> Stage:
    @stage("gate", requires=["text"])
    def gate(doc: Document) -> Document:
        if not doc.text.strip():
            raise Drop("empty", "no text left after cleaning")
        words = len(doc.text.split())
        cjk = sum(1 for ch in doc.text if "\u3400" <= ch <= "\u9fff")
        if words + cjk // 2 < settings.min_words:
            raise Drop("too_short", f"{words} words after cleaning (minimum {settings.min_words})")
        return doc

    return gate


def _fingerprint(settings: Settings) -> Stage:
    @stage("fingerprint", requires=["text"], assigns=["content_hash", "minhash", "id"])
    def fingerprint(doc: Document) -> Document:
        doc.content_hash = content_hash(doc.text)
        doc.minhash = minhash_signature(doc.text, settings.num_perm)
        doc.id = doc.content_hash[:16]
        return doc

    return fingerprint


def build_ingest_pipeline(settings: Settings, on_error: ErrorHandler | None = None) -> Pipeline:
    stages = [_read(settings), clean, meta, _gate(settings), _fingerprint(settings)]
    return Pipeline(stages, on_error=on_error)
