"""Request and response bodies of the HTTP API (they make the OpenAPI schema).

Responses embed the service's own dataclasses (``SearchHit``,
``StoredDocument``...), so the API follows the service without a second set of
definitions to keep in step.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..store.base import QuarantineRecord, SearchHit, StoredDocument

__all__ = [
    "ArticleIn",
    "DocumentList",
    "DocumentPage",
    "DocumentSummary",
    "ErrorOut",
    "Health",
    "IngestItem",
    "IngestOut",
    "IngestRequest",
    "QuarantineList",
    "SearchResult",
    "StatsOut",
    "summary",
]


class ErrorOut(BaseModel):
    detail: str
    code: str


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


class DocumentPage(BaseModel):
    document: StoredDocument
    #: the query whose matches are highlighted (``?q=``), if any
    query: str = ""
    #: ``[start, end)`` ranges of those matches in ``document.text``
    highlights: list[tuple[int, int]] = Field(default_factory=list)


class DocumentSummary(BaseModel):
    id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    lang: str | None
    ingested_at: str
    excerpt: str


class DocumentList(BaseModel):
    since: str | None = None
    limit: int
    documents: list[DocumentSummary]


class StatsOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    documents: int
    quarantined: int


class QuarantineList(BaseModel):
    limit: int
    records: list[QuarantineRecord]


class Health(BaseModel):
    status: Literal["ok", "error"]
    detail: str = ""


class ArticleIn(BaseModel):
    """One article (the fields of a JSONL line); ``text`` or ``html`` is required."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2048, description="Canonical http(s) URL")
    title: str | None = Field(None, max_length=2000)
    date: str | None = Field(None, max_length=100, description="Publication date, ISO or free")
    text: str | None = Field(None, description="Plain text body")
    html: str | None = Field(None, description="HTML body (cleaned like a fetched page)")
    source: str | None = Field(None, max_length=500, description="Publisher name")
    lang: str | None = Field(None, max_length=20)


class IngestRequest(BaseModel):
    """URLs (pages or feeds, fetched by the server) and/or articles given inline."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(default_factory=list, description="http(s) pages or feeds")
    articles: list[ArticleIn] = Field(default_factory=list)


class IngestItem(BaseModel):
    outcome: str  # stored | duplicate | unchanged | dropped | quarantined
    source_key: str
    detail: str


class IngestOut(BaseModel):
    report: dict[str, Any]
    #: one line per input, in order (at most 1000)
    items: list[IngestItem]


def summary(doc: StoredDocument, chars: int = 280) -> DocumentSummary:
    text = " ".join(doc.text.split())
    excerpt = text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"
    return DocumentSummary(id=doc.id, title=doc.title, url=doc.url, source=doc.source,
                           published=doc.published, lang=doc.lang,
                           ingested_at=doc.ingested_at, excerpt=excerpt)
