"""Request and response bodies of the HTTP API (they make the OpenAPI schema).

Responses embed the service's own dataclasses (``SearchHit``,
``StoredDocument``...), so the API follows the service without a second set of
definitions to keep in step.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..store.base import (
    CheckRun,
    Citation,
    ClaimLink,
    CommitmentRecord,
    EntityRecord,
    EventRecord,
    MentionRecord,
    QuarantineRecord,
    RoleStamp,
    SearchHit,
    SentenceMention,
    StoredDocument,
)

__all__ = [
    "ArticleIn",
    "CheckList",
    "CheckOut",
    "CheckPage",
    "CheckRequest",
    "CheckSummary",
    "CitedOut",
    "CommitmentList",
    "EntityList",
    "EntityPage",
    "EventList",
    "PledgeList",
    "PledgeOut",
    "PledgePage",
    "PledgeStep",
    "RunOut",
    "TimelineOut",
    "pledge_out",
    "run_out",
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


_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _UnicodeIn(BaseModel):
    """A request body whose strings must be Unicode text: JSON lets a string hold
    a lone surrogate (``"\\ud800"``), which no UTF-8 store or answer can hold, so
    such a body is refused (422) before anything uses it."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_lone_surrogate(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str) and _SURROGATE.search(item):
                raise ValueError("not valid Unicode text: holds a lone surrogate "
                                 "(U+D800-U+DFFF)")
        return value


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
    #: the cited range asked for with ``?at=START-END`` (highlighted, anchor ``#cited``)
    cited: tuple[int, int] | None = None
    #: entity mentions (offsets into ``document.text``; linked to entity pages)
    mentions: list[SentenceMention] = Field(default_factory=list)
    #: events stated in the document; each cites its sentence
    events: list[EventRecord] = Field(default_factory=list)
    #: commitments stated in the document; each cites its sentence
    commitments: list[CommitmentRecord] = Field(default_factory=list)


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
    warm: bool = Field(True, description=(
        "The models' background warm-up (spaCy, embeddings, claim judge) is done; while "
        "it runs (false), checks wait for it. True when none was started."))


class ArticleIn(_UnicodeIn):
    """One article (the fields of a JSONL line); ``text`` or ``html`` is required."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2048, description="Canonical http(s) URL")
    title: str | None = Field(None, max_length=2000)
    date: str | None = Field(None, max_length=100, description="Publication date, ISO or free")
    text: str | None = Field(None, description="Plain text body")
    html: str | None = Field(None, description="HTML body (cleaned like a fetched page)")
    source: str | None = Field(None, max_length=500, description="Publisher name")
    lang: str | None = Field(None, max_length=20)


class IngestRequest(_UnicodeIn):
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


# -- extracted facts ------------------------------------------------------------------


class EntityList(BaseModel):
    type: str | None = None
    q: str | None = None
    limit: int
    entities: list[EntityRecord]


class EntityPage(BaseModel):
    entity: EntityRecord
    #: roles stated in articles, oldest first; each cites where it was stated
    roles: list[RoleStamp]
    events: list[EventRecord]
    #: commitments where the entity is a party (a country) or the project
    commitments: list[CommitmentRecord]
    #: pledges (clustered commitments) of a project, or where a country or
    #: body is a party; None for people
    pledges: list[PledgeOut] | None = None
    mentions: list[MentionRecord]
    #: document id -> language, for the cited sentences
    langs: dict[str, str | None] = Field(default_factory=dict)


class EventList(BaseModel):
    type: str | None = None
    actor: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int
    #: why the list is empty when a filter names nothing known
    note: str | None = None
    events: list[EventRecord]
    langs: dict[str, str | None] = Field(default_factory=dict)


class CommitmentList(BaseModel):
    party: str | None = None
    sector: str | None = None
    project: str | None = None
    limit: int
    commitments: list[CommitmentRecord]
    langs: dict[str, str | None] = Field(default_factory=dict)


# -- claim checks ---------------------------------------------------------------------


class CheckRequest(_UnicodeIn):
    model_config = ConfigDict(extra="forbid")

    claim: str = Field(min_length=1, max_length=2000, description="The claim, one sentence")
    since: str | None = Field(None, max_length=40,
                              description="Only evidence published on or after (YYYY-MM-DD)")
    until: str | None = Field(None, max_length=40,
                              description="Only evidence published on or before (YYYY-MM-DD)")
    save: bool = Field(True, strict=True,  # JSON true/false only, as the schema says
                       description="Store the check (a new run of an earlier check of "
                                   "the same claim), so it gets a page and a history")


class CitedOut(BaseModel):
    """A cited sentence: where it is (document, offsets) and what it does for the claim."""

    doc_id: str
    start: int
    end: int
    sentence: str
    stance: str
    probability: float
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    attribution: str = ""
    lang: str | None = None
    #: this server's document page, highlighted at the sentence
    href: str


class CheckOut(BaseModel):
    claim: str
    verdict: str
    confidence: float
    reason: str
    evidence: list[CitedOut]
    findings: list[dict[str, str | None]] = Field(default_factory=list)
    judge: str = ""
    check_id: int | None = None
    matches: list[dict[str, Any]] = Field(default_factory=list)
    #: the stored check's page and ClaimReview (when saved)
    check_url: str | None = None
    claimreview_url: str | None = None


class CheckSummary(BaseModel):
    id: int
    claim: str
    verdict: str
    confidence: float
    reason: str
    created_at: str
    updated_at: str
    runs: int


class CheckList(BaseModel):
    verdict: str | None = None
    limit: int
    checks: list[CheckSummary]


class RunOut(BaseModel):
    id: int
    verdict: str
    confidence: float
    reason: str
    judge: str
    documents: int
    checked_at: str


class CheckPage(BaseModel):
    check: CheckSummary
    evidence: list[CitedOut]
    findings: list[dict[str, str | None]] = Field(default_factory=list)
    #: every run, oldest first (the pool grows; verdicts may move)
    history: list[RunOut]
    #: earlier checks this claim matched (same claim reworded, or suggested)
    links: list[ClaimLink] = Field(default_factory=list)
    claimreview_url: str


def run_out(run: CheckRun) -> RunOut:
    return RunOut(id=run.id, verdict=run.verdict, confidence=run.confidence, reason=run.reason,
                  judge=run.judge, documents=run.documents, checked_at=run.checked_at)


# -- pledges and timeline ---------------------------------------------------------------


class PledgeOut(BaseModel):
    """A pledge: a commitment stated again and again, clustered across articles."""

    id: str
    canonical: str
    parties: list[str]
    party_names: list[str]
    projects: list[str]
    sectors: list[str]
    first_seen: str | None
    last_seen: str | None
    #: how many times it was stated, in how many documents
    count: int
    documents: int
    reiterations: int
    #: pledged / reiterated / progress / done / contradicted
    status: str
    key_entities: list[str] = Field(default_factory=list)


class PledgeList(BaseModel):
    party: str | None = None
    sector: str | None = None
    project: str | None = None
    status: str | None = None
    limit: int
    pledges: list[PledgeOut]


class PledgeLinkOut(BaseModel):
    """Why a statement belongs to the pledge: the earlier statement it was joined to
    (cited) and the basis of the link in words."""

    citation: Citation
    basis: str
    score: float


class PledgeStep(BaseModel):
    """One step of a pledge's history: a statement or a signal, with its sentence."""

    kind: str  # first | reiterated | mentioned | progress | done | contradicted
    date: str | None = None
    cue: str | None = None
    note: str | None = None
    modality: str | None = None
    action: str | None = None
    citation: Citation
    lang: str | None = None
    #: a later statement: the earlier one it was joined to, and why
    link: PledgeLinkOut | None = None


class PledgePage(BaseModel):
    pledge: PledgeOut
    #: statements and signals, oldest first
    history: list[PledgeStep]


class TimelineOut(BaseModel):
    by: str
    #: ``YYYY-MM``, without gaps
    months: list[str]
    #: counts per month for each series (event type or sector), largest first
    series: dict[str, list[int]]
    totals: list[int]
    total: int
    #: events with neither their own date nor their article's
    undated: int
    filters: dict[str, str | None]
    #: the plot of these counts (same filters)
    plot_svg: str
    plot_png: str


def pledge_out(pledge: Any) -> PledgeOut:
    return PledgeOut(**pledge.to_dict(full=False))
