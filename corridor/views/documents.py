"""Documents as answers: search results, one document, recent documents, stats, quarantine.

The answers embed the store's own dataclasses (``SearchHit``,
``StoredDocument``...), so they follow the store without a second set of
definitions to keep in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ConfigError
from ..store.base import (
    CommitmentRecord,
    EventRecord,
    QuarantineRecord,
    SearchHit,
    SentenceHit,
    SentenceMention,
    StoredDocument,
)
from .params import opt

if TYPE_CHECKING:
    from ..service import Corridor

__all__ = [
    "DocumentList",
    "DocumentPage",
    "DocumentSummary",
    "QuarantineList",
    "SearchResult",
    "SentenceSearchResult",
    "StatsOut",
    "cite_href",
    "document_list",
    "document_page",
    "quarantine_list",
    "search_result",
    "sentence_search_result",
    "stats_out",
    "summary",
]


def cite_href(base: str, doc_id: str, start: int, end: int) -> str:
    """The document page, the range ``[start, end)`` highlighted and scrolled to."""
    return f"{base}/documents/{quote(doc_id, safe='')}?at={int(start)}-{int(end)}#cited"


class SearchResult(BaseModel):
    query: str
    since: str | None = None
    until: str | None = None
    source: str | None = None
    lang: str | None = None
    limit: int
    offset: int
    #: offset of the next page, or None when this page is the last
    next_offset: int | None = None
    hits: list[SearchHit]


def search_result(corridor: Corridor, query: str, *, since: str | None = None,
                  until: str | None = None, source: str | None = None,
                  lang: str | None = None, limit: int = 20, offset: int = 0,
                  any_language: bool = False) -> SearchResult:
    """Keyword search (BM25, documents), one page; a blank query finds nothing."""
    since, until, source, lang = opt(since), opt(until), opt(source), opt(lang)
    hits: list[SearchHit] = []
    if query.strip():
        # one more than asked, to know whether there is a next page
        hits = corridor.search(query, since=since, until=until, source=source, lang=lang,
                               limit=limit + 1, offset=offset, any_language=any_language)
    more = len(hits) > limit
    return SearchResult(query=query, since=since, until=until, source=source, lang=lang,
                        limit=limit, offset=offset, hits=hits[:limit],
                        next_offset=offset + limit if more else None)


class SentenceSearchResult(BaseModel):
    """Sentences found by meaning (``semantic``) or by BM25 and meaning (``hybrid``)."""

    query: str
    mode: str
    since: str | None = None
    until: str | None = None
    source: str | None = None
    lang: str | None = None
    limit: int
    hits: list[SentenceHit]


def sentence_search_result(corridor: Corridor, query: str, *, mode: str,
                           since: str | None = None, until: str | None = None,
                           source: str | None = None, lang: str | None = None,
                           limit: int = 20) -> SentenceSearchResult:
    since, until, source, lang = opt(since), opt(until), opt(source), opt(lang)
    hits = corridor.search_sentences(query, mode=mode, since=since, until=until,
                                     source=source, lang=lang, limit=limit)
    return SentenceSearchResult(query=query, mode=mode, since=since, until=until,
                                source=source, lang=lang, limit=limit, hits=hits)


class DocumentPage(BaseModel):
    document: StoredDocument
    #: the query whose matches are highlighted (``?q=``), if any
    query: str = ""
    #: ``[start, end)`` ranges of those matches in ``document.text``
    highlights: list[tuple[int, int]] = Field(default_factory=list)
    #: the cited range asked for with ``?at=START-END`` (highlighted, anchor ``#cited``)
    cited: tuple[int, int] | None = None
    #: entity mentions (offsets into ``document.text``; linked to entity pages)
    mentions: list[SentenceMention] = Field(default_factory=list)
    #: events stated in the document; each cites its sentence
    events: list[EventRecord] = Field(default_factory=list)
    #: commitments stated in the document; each cites its sentence
    commitments: list[CommitmentRecord] = Field(default_factory=list)


def document_page(corridor: Corridor, doc_id: str, query: str = "",
                  at: str | None = None) -> DocumentPage:
    """One document with the facts extracted from it; ``query``'s matches and the
    range ``at`` (``START-END``) highlighted."""
    doc = corridor.document(doc_id)
    spans = corridor.highlights(doc_id, query) if query.strip() else []
    cited = None
    if at:
        start, end = (int(x) for x in at.split("-"))
        if not 0 <= start < end <= len(doc.text):
            raise ConfigError(f"at: {at!r} is not a range inside the text "
                              f"(0-{len(doc.text)})")
        cited = (start, end)
    return DocumentPage(document=doc, query=query, highlights=spans, cited=cited,
                        mentions=corridor.document_mentions(doc_id),
                        events=corridor.events(doc_id=doc_id, limit=1000),
                        commitments=corridor.commitments(doc_id=doc_id, limit=1000))


class DocumentSummary(BaseModel):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    lang: str | None
    ingested_at: str
    excerpt: str


def summary(doc: StoredDocument, chars: int = 280) -> DocumentSummary:
    text = " ".join(doc.text.split())
    excerpt = text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"
    return DocumentSummary(id=doc.id, title=doc.title, url=doc.url, source=doc.source,
                           published=doc.published, lang=doc.lang,
                           ingested_at=doc.ingested_at, excerpt=excerpt)


class DocumentList(BaseModel):
    since: str | None = None
    limit: int
    documents: list[DocumentSummary]


def document_list(corridor: Corridor, limit: int = 50, since: str | None = None
                  ) -> DocumentList:
    """Newly ingested documents, newest first (the Atom feed's list)."""
    since = opt(since)
    docs = corridor.recent_documents(limit, since)
    return DocumentList(since=since, limit=limit, documents=[summary(d) for d in docs])


class StatsOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    documents: int
    quarantined: int


def stats_out(corridor: Corridor, *, database: bool = False) -> StatsOut:
    """The pool's counts; ``database``: with the pool's location (the command line's
    own; a server keeps its path to itself)."""
    data = dict(corridor.stats())
    if not database:
        data.pop("database", None)
    return StatsOut(**data)


class QuarantineList(BaseModel):
    limit: int
    records: list[QuarantineRecord]


def quarantine_list(corridor: Corridor, limit: int = 100) -> QuarantineList:
    return QuarantineList(limit=limit, records=corridor.quarantine(limit))
