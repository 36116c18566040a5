"""The single-process engine: every stage in this process, in input order."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..ingest.run import (
    IngestReport,
    ProgressCallback,
    finish_run,
    ingest_inputs,
    ingest_pipeline,
    start_run,
)
from .base import Pool

if TYPE_CHECKING:
    from ..document import Document, Failure

__all__ = ["LocalEngine"]


class LocalEngine:
    """Ingest in this process (see :class:`corridor.engine.base.Engine`).

    Writes are committed in small batches; a crash loses at most the current
    batch, which the next run redoes (inputs already stored are recognised by
    source key and payload hash and skipped).
    """

    def ingest(
        self, pool: Pool, targets: Sequence[str], progress: ProgressCallback | None = None,
        *, extract: bool = True, items: Iterable[Document | Failure] | None = None,
        catch_up: bool = True,
    ) -> IngestReport:
        report = IngestReport()
        started = time.monotonic()
        store, settings = pool.store, pool.settings
        stages = ingest_pipeline(settings)  # the ingest stack loads only for an ingest
        run_id = start_run(store, targets)
        if items is None:
            from ..ingest.sources import iter_sources

            items = iter_sources(targets, settings)
        ingest_inputs(store, settings, items, stages, report, progress)
        if extract:  # spaCy and the embedding model load only for an extraction
            from ..extract.run import embed_after_extract, extract_documents, extraction_todo

            todo = report.stored_ids
            if catch_up:  # plus what an interrupted run stored but never extracted
                todo = list(dict.fromkeys(todo + extraction_todo(store)))
            report.extracted = extract_documents(store, todo)
            if catch_up:  # sentences a killed run extracted but did not embed
                embed_after_extract(store, None)
        report.seconds = time.monotonic() - started
        finish_run(store, run_id, report)
        return report
