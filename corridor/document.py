"""The Document and its typed parts: plain dataclasses, no I/O.

A Document is born in a source (``ingest.sources``) holding its raw payload and
whatever metadata the source knew, then flows through pipeline stages
(``Document -> Document``) that fill in the clean text, metadata and, later,
the extracted facts. Every extracted item carries character offsets into
``Document.text`` (the stored clean text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Commitment",
    "Document",
    "Event",
    "Failure",
    "Mention",
    "SectorHit",
    "Sentence",
    "Span",
]

Format = Literal["html", "text"]


@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` into ``Document.text``."""

    start: int
    end: int


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, PLACE, PROJECT
    entity_id: str | None = None
    role: str | None = None
    country: str | None = None


@dataclass
class Event:
    """One happening, however many sentences report it.

    ``start``/``end`` is the trigger of its first report; ``support`` the
    ``(start, end)`` of every sentence that reports it, in text order.
    ``participants`` are the actors named for it (people where people are
    named), ``parties`` the countries they act for. ``date`` is a day the text
    (or a dated dateline, for "today") states for the event; a date resolved
    from a relative phrase ("on Monday") is ``date_inferred`` with its
    ``date_basis`` ("'on Monday' before the dateline date 2025-03-12"), never
    ``date``. ``date_phrase`` keeps the words either came from (or a vaguer
    phrase, "last week", with no date at all).
    """

    type: str  # MEET, VISIT, CALL, JOINT_STATEMENT, AGREE, SIGN, STATEMENT
    start: int
    end: int
    participants: list[str] = field(default_factory=list)
    place: str | None = None
    date: str | None = None
    date_phrase: str | None = None
    ordinal: str | None = None
    date_inferred: str | None = None
    date_basis: str | None = None
    parties: list[str] = field(default_factory=list)
    support: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SectorHit:
    """A cooperation sector (taxonomy in the domain pack) and the sentence that supports it."""

    sector: str
    start: int
    end: int


@dataclass
class Commitment:
    start: int
    end: int
    parties: list[str] = field(default_factory=list)
    modality: str = "agreed"
    action: str = ""
    sectors: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One article on its way from a source to the store.

    Source fields (set by ``ingest.sources``):
        source_key  stable identity of the input (absolute path, ``path#L3``
                    for a JSONL line, URL, ``feed-url#guid``); re-ingesting the
                    same key with the same payload is a no-op.
        origin      ``file`` | ``jsonl`` | ``url`` | ``feed``
        raw         payload bytes as read (``None`` when the source gave text)
        raw_text    payload already decoded (JSONL / feed fields)
        fmt         ``html`` or ``text``
        url, source, hint_title, hint_date, encoding_hint: what the source knew

    Stage fields: text (clean), title, published (ISO ``YYYY-MM-DD`` or None),
    date_source (where the date came from), dateline_place and dateline_date
    (ISO: the day the dateline states, its year taken from the publication date
    when it gives none; the dateline itself is not in ``text``), lang,
    content_hash, minhash (signature as ints), id (stable, from the hash),
    duplicate_of (set by dedup), sentences and the extracted facts.
    """

    source_key: str
    origin: str = "file"
    raw: bytes | None = None
    raw_text: str | None = None
    fmt: Format = "text"
    url: str | None = None
    source: str | None = None
    hint_title: str | None = None
    hint_date: str | None = None
    encoding_hint: str | None = None

    decoded: str | None = None
    encoding: str | None = None
    text: str = ""
    title: str | None = None
    published: str | None = None
    date_source: str | None = None
    dateline_place: str | None = None
    dateline_date: str | None = None
    lang: str | None = None
    content_hash: str | None = None
    raw_hash: str | None = None
    minhash: list[int] | None = None
    id: str | None = None
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    similarity: float | None = None

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    sectors: list[SectorHit] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """An input a source could not even read (unreachable URL, bad JSON line).

    It goes to quarantine with its reason; ``raw`` keeps what was read, if any.
    """

    source_key: str
    error: Exception
    origin: str = "file"
    raw: bytes | None = None
    url: str | None = None
