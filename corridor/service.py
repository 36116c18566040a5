"""``Corridor``: the one API that the CLI and the HTTP layer call."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .document import Document, Failure
from .errors import ConfigError, CorridorError, InputError
from .ingest.dedup import find_duplicate
from .ingest.sources import iter_sources
from .ingest.stages import build_ingest_pipeline, raw_hash
from .pipeline import CollectErrors, Drop, StageFailed
from .settings import Settings
from .store.base import QuarantineRecord, SearchFilters, SearchHit, Store, StoredDocument

__all__ = ["Corridor", "IngestReport", "ProgressCallback", "open_store"]

#: called once per input: (outcome, source_key, detail)
ProgressCallback = Callable[[str, str, str], None]

COMMIT_EVERY = 200
COMMIT_SECONDS = 2.0


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "stored": self.stored,
            "duplicates": dict(self.duplicates),
            "unchanged": self.unchanged,
            "dropped": dict(self.dropped),
            "quarantined": dict(self.quarantined),
            "seconds": round(self.seconds, 3),
        }


def open_store(db: str) -> Store:
    """Open the store a ``--db`` value names (a SQLite file path by default)."""
    if db.startswith(("postgresql://", "postgres://")):
        raise ConfigError("the PostgreSQL backend is not available yet; use a SQLite file path")
    path = db.removeprefix("sqlite:///")
    from .store.sqlite import SQLiteStore

    return SQLiteStore(path)


class Corridor:
    """A knowledge pool: ingest, search, read. One instance per database."""

    def __init__(self, db: str | None = None, settings: Settings | None = None,
                 store: Store | None = None) -> None:
        self.settings = settings or Settings.from_env()
        if db is not None:
            self.settings.db = db
        self.store = store or open_store(self.settings.db)

    def __enter__(self) -> Corridor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest -----------------------------------------------------------
    def ingest(
        self, targets: Sequence[str], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest files, folders, URLs and feeds. Idempotent and crash-safe.

        Writes are committed in small batches; a crash loses at most the
        current batch, which the next run redoes (inputs already stored are
        recognised by source key and payload hash and skipped).
        """
        report = IngestReport()
        started = time.monotonic()
        handler = CollectErrors()
        pipeline = build_ingest_pipeline(self.settings, on_error=handler)
        notify = progress or (lambda outcome, key, detail: None)
        run_id = self._in_tx(lambda: self.store.start_run(list(targets)))
        batch = _Batch(self.store)
        try:
            for item in iter_sources(targets, self.settings):
                report.inputs += 1
                batch.open()
                outcome, detail = self._ingest_one(item, pipeline, handler, report)
                notify(outcome, item.source_key, detail)
                batch.tick()
            batch.close()
        except BaseException:
            batch.abort()
            raise
        report.seconds = time.monotonic() - started
        self._in_tx(lambda: self.store.finish_run(run_id, report.to_dict()))
        return report

    def _in_tx(self, fn: Callable[[], Any]) -> Any:
        with self.store.transaction():
            return fn()

    def _ingest_one(
        self, item: Document | Failure, pipeline: Any, handler: CollectErrors,
        report: IngestReport,
    ) -> tuple[str, str]:
        if isinstance(item, Failure):
            return self._quarantine_failure(item, None, item.error, report)
        key_hash = raw_hash(item)
        if self.store.seen_source(item.source_key, key_hash):
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
            return self._quarantine_failure(as_failure, failure.stage_name, failure.error, report)
        dup, bands = find_duplicate(self.store, doc, self.settings.near_dup_threshold)
        if dup is not None:
            doc.similarity = round(dup.similarity, 4)
            self.store.add_source_link(doc, dup.doc_id, dup.kind)
            report.duplicates[dup.kind] += 1
            return "duplicate", f"{dup.kind} of {dup.doc_id}"
        self.store.add_document(doc, bands)
        report.stored += 1
        assert doc.id is not None
        report.stored_ids.append(doc.id)
        return "stored", doc.id

    def _quarantine_failure(
        self, item: Failure, stage_name: str | None, error: BaseException, report: IngestReport
    ) -> tuple[str, str]:
        import hashlib

        code = error.code if isinstance(error, CorridorError) else "internal"
        message = (str(error.message) if isinstance(error, CorridorError)
                   else f"{type(error).__name__}: {error}")
        if not isinstance(error, InputError | CorridorError):
            message = f"unexpected error (please report): {message}"
        raw = item.raw or b""
        keep = raw[: self.settings.quarantine_keep_bytes]
        self.store.add_quarantine(
            source_key=item.source_key, origin=item.origin, url=item.url, code=code,
            stage=stage_name, message=message, raw=keep, raw_size=len(raw),
            raw_hash=hashlib.sha256(raw + message.encode()).hexdigest(),
        )
        report.quarantined[code] += 1
        return "quarantined", f"{code}: {message}"

    # -- read -------------------------------------------------------------
    def search(
        self, query: str, *, since: str | None = None, until: str | None = None,
        source: str | None = None, lang: str | None = None, limit: int = 20, offset: int = 0,
    ) -> list[SearchHit]:
        from .ingest.meta import parse_date

        def as_date(value: str | None, name: str) -> str | None:
            if value is None:
                return None
            parsed = parse_date(value)
            if parsed is None:
                raise ConfigError(f"--{name}: cannot read {value!r} as a date (try YYYY-MM-DD)")
            return parsed

        if limit < 1 or offset < 0:
            raise ConfigError("limit must be >= 1 and offset >= 0")
        filters = SearchFilters(as_date(since, "since"), as_date(until, "until"), source, lang)
        return self.store.search(query, filters, limit=limit, offset=offset)

    def document(self, doc_id: str) -> StoredDocument:
        return self.store.get_document(doc_id)

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def quarantine(self, limit: int = 100) -> list[QuarantineRecord]:
        return self.store.quarantined(limit)

    def check_integrity(self) -> list[str]:
        return self.store.check_integrity()


class _Batch:
    """Group writes into transactions of COMMIT_EVERY inputs or COMMIT_SECONDS."""

    def __init__(self, store: Store) -> None:
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

