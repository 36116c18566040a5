"""An ingest run's bookkeeping: each input stored, linked, dropped or quarantined.

``ingest_one`` decides what becomes of one input, given the ingest pipeline
that cleans it: skipped when its source key and payload hash are already
stored, dropped when a stage says so, quarantined on an error, linked when it
duplicates a stored document, stored otherwise. ``ingest_inputs`` runs it over
a stream of inputs in batched transactions (:class:`Batch`); the engines
(``corridor.engine``) call these, and ``start_run`` / ``finish_run`` record
the run itself.

Importing this module is cheap: the ingest stack (trafilatura, datasketch,
scipy) loads when an input is ingested.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CorridorError, MalformedInput
from ..settings import Settings
from ..store.base import DocumentStore

if TYPE_CHECKING:
    from ..document import Document, Failure, Format
    from ..pipeline import CollectErrors, StageFailed

__all__ = [
    "COMMIT_EVERY",
    "COMMIT_SECONDS",
    "Batch",
    "IngestReport",
    "ProgressCallback",
    "article_item",
    "error_code_message",
    "finish_run",
    "ingest_inputs",
    "ingest_one",
    "ingest_pipeline",
    "quarantine_failure",
    "start_run",
]

#: called once per input: (outcome, source_key, detail)
ProgressCallback = Callable[[str, str, str], None]

COMMIT_EVERY = 200
COMMIT_SECONDS = 2.0

#: what ``ingest_one`` needs of a pipeline: an input in, a Document or None (failed) out
Stages = Callable[["Document"], "Document | None"]


@dataclass
class IngestReport:
    inputs: int = 0
    stored: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)  # exact / near
    unchanged: int = 0
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> count
    quarantined: Counter[str] = field(default_factory=Counter)  # code -> count
    stored_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0

    extracted: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "extracted": self.extracted,
            "stored": self.stored,
            "duplicates": dict(self.duplicates),
            "unchanged": self.unchanged,
            "dropped": dict(self.dropped),
            "quarantined": dict(self.quarantined),
            "seconds": round(self.seconds, 3),
        }


class Batch:
    """Group writes into transactions of COMMIT_EVERY inputs or COMMIT_SECONDS."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self._cm: Any = None
        self._count = 0
        self._since = 0.0

    def open(self) -> None:
        if self._cm is None:
            self._cm = self.store.transaction()
            self._cm.__enter__()
            self._count, self._since = 0, time.monotonic()

    def tick(self) -> None:
        self._count += 1
        if self._count >= COMMIT_EVERY or time.monotonic() - self._since > COMMIT_SECONDS:
            self.close()

    def close(self) -> None:
        if self._cm is not None:
            cm, self._cm = self._cm, None
            cm.__exit__(None, None, None)

    def abort(self) -> None:
        if self._cm is not None:
            cm, self._cm = self._cm, None
            cm.__exit__(RuntimeError, RuntimeError("ingest aborted"), None)


def start_run(store: DocumentStore, targets: Sequence[str]) -> int:
    """Record the start of an ingest of ``targets`` (its own transaction); the run id."""
    with store.transaction():
        return store.start_run(list(targets))


def finish_run(store: DocumentStore, run_id: int, report: IngestReport) -> None:
    with store.transaction():
        store.finish_run(run_id, report.to_dict())


def ingest_pipeline(settings: Settings) -> tuple[Stages, CollectErrors]:
    """The ingest stages (read, clean, meta, gate, fingerprint) and the handler that
    collects their failures, as ``ingest_one`` takes them."""
    from ..pipeline import CollectErrors
    from .stages import build_ingest_pipeline

    handler = CollectErrors()
    return build_ingest_pipeline(settings, on_error=handler), handler


def ingest_inputs(
    store: DocumentStore, settings: Settings, inputs: Iterable[Document | Failure],
    stages: tuple[Stages, CollectErrors], report: IngestReport,
    progress: ProgressCallback | None = None,
) -> None:
    """Run every input through ``stages`` (see ``ingest_pipeline``) and ``ingest_one``,
    in input order, committing in batches; the outcomes are counted in ``report``.
    An exception rolls back the open batch (what was committed before stays)."""
    from .sources import printable

    pipeline, handler = stages
    notify = progress or (lambda outcome, key, detail: None)
    batch = Batch(store)
    try:
        for item in inputs:
            report.inputs += 1
            batch.open()
            outcome, detail = ingest_one(store, settings, item, pipeline, handler, report)
            notify(outcome, printable(item.source_key), detail)
            batch.tick()
        batch.close()
    except BaseException:
        batch.abort()
        raise


def ingest_one(
    store: DocumentStore, settings: Settings, item: Document | Failure, pipeline: Stages,
    handler: CollectErrors, report: IngestReport,
) -> tuple[str, str]:
    """Store, link or quarantine one input (in the caller's transaction); its outcome
    and detail. ``pipeline`` reports a stage failure to ``handler``."""
    from ..document import Document, Failure
    from ..pipeline import Drop
    from .dedup import find_duplicate
    from .sources import unicode_failure
    from .stages import raw_hash

    if isinstance(item, Document) and (bad := unicode_failure(item)) is not None:
        item = bad  # a lone surrogate: not storable text, quarantined instead
    if isinstance(item, Failure):
        return quarantine_failure(store, settings, item, None, item.error, report)
    key_hash = raw_hash(item)
    if store.seen_source(item.source_key, key_hash):
        report.unchanged += 1
        return "unchanged", ""
    doc = pipeline(item)
    if doc is None:
        failure: StageFailed = handler.failures.pop()
        if isinstance(failure.error, Drop):
            report.dropped[failure.error.reason] += 1
            return "dropped", failure.error.reason
        as_failure = Failure(item.source_key, failure.error, item.origin,
                             item.raw if item.raw is not None else
                             (item.raw_text or "").encode("utf-8", "replace"), item.url)
        return quarantine_failure(store, settings, as_failure, failure.stage_name,
                                  failure.error, report)
    dup, bands = find_duplicate(store, doc, settings.near_dup_threshold)
    if dup is not None:
        doc.similarity = round(dup.similarity, 4)
        store.add_source_link(doc, dup.doc_id, dup.kind)
        report.duplicates[dup.kind] += 1
        return "duplicate", f"{dup.kind} of {dup.doc_id}"
    store.add_document(doc, bands)
    report.stored += 1
    assert doc.id is not None
    report.stored_ids.append(doc.id)
    return "stored", doc.id


def quarantine_failure(
    store: DocumentStore, settings: Settings, item: Failure, stage_name: str | None,
    error: BaseException, report: IngestReport,
) -> tuple[str, str]:
    """Keep a failed input (its first bytes) with the error's code and message."""
    from .sources import printable

    code, message = error_code_message(error)
    message = printable(message)  # what failed may be text that UTF-8 cannot hold
    raw = item.raw or b""
    keep = raw[: settings.quarantine_keep_bytes]
    store.add_quarantine(
        source_key=printable(item.source_key), origin=item.origin,
        url=printable(item.url) if item.url else item.url, code=code,
        stage=stage_name, message=message, raw=keep, raw_size=len(raw),
        raw_hash=hashlib.sha256(raw + message.encode()).hexdigest(),
    )
    report.quarantined[code] += 1
    return "quarantined", f"{code}: {message}"


def error_code_message(error: BaseException) -> tuple[str, str]:
    """The quarantine code and message of a stage error."""
    if isinstance(error, CorridorError):
        return error.code, error.message
    return "internal", f"unexpected error (please report): {type(error).__name__}: {error}"


def article_item(obj: Mapping[str, Any]) -> Document | Failure:
    """One posted article object as a raw Document (or a Failure to quarantine)."""
    import json

    from ..document import Document, Failure

    def opt(name: str) -> str | None:
        value = obj.get(name)
        return value.strip() or None if isinstance(value, str) else None

    url = opt("url")
    payload = json.dumps(dict(obj), sort_keys=True, ensure_ascii=False, default=str)
    # surrogatepass: an article holding a lone surrogate still gets a key (and is
    # then quarantined by the ingest, see unicode_failure), instead of an exception
    key = url or "api#" + hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    text, html = obj.get("text"), obj.get("html")
    fmt: Format
    if isinstance(text, str) and (text.strip() or not isinstance(html, str)):
        body, fmt = text, "text"
    elif isinstance(html, str):
        body, fmt = html, "html"
    else:
        error = MalformedInput("the article has neither a 'text' nor an 'html' string")
        return Failure(key, error, origin="api", raw=payload.encode("utf-8", "backslashreplace"),
                       url=url)
    lang = opt("lang")
    return Document(
        source_key=key, origin="api", raw_text=body, fmt=fmt, url=url, source=opt("source"),
        hint_title=opt("title"), hint_date=opt("date"),
        extra={"hint_lang": lang} if lang else {},
    )
