"""Ingest on Dask distributed: workers clean, extract and embed; this process writes.

    corridor ingest FOLDER --engine dask [--scheduler tcp://HOST:8786] [--workers N]

How the work is split
    The *driver* (the process that called
    :meth:`~corridor.service.Corridor.ingest_distributed`) reads the sources
    (files, JSONL, URLs, feeds) as the local engine does and cuts them
    into chunks of ``chunk_size`` inputs. For each chunk a worker runs the pure
    ingest stages (read → clean → meta → gate → fingerprint,
    ``corridor.ingest.stages``) and sends back the cleaned Documents, without
    their raw payload, or for an input a stage refused, the stage, code and
    message.

    The driver then takes the chunk's inputs **in input order** through
    ``corridor.ingest.run.ingest_one``, the very code of the single-process path, with
    the worker's outcome in place of the local pipeline: already-seen inputs
    are skipped, exact and near duplicates are looked up in the store (which
    holds every document accepted before, in the open transaction too), and the
    input is stored, linked or quarantined, in the same batched transactions.
    Deduplication is never split across partitions: a near-duplicate is found
    whichever chunk or worker cleaned it.

    Each document the driver stored goes back to a worker, as the store returns
    it (``extraction_input``), for extraction (``extract_facts``: spaCy, rules,
    lexicon) and sentence embeddings. Results are saved in the order the
    documents were stored, so entity names and event ids come out as in the
    single-process run. Duplicates are never extracted. A worker does not
    embed a sentence again that it embedded earlier in the run (its vector
    is in the store by then); the driver embeds any whose vector is missing.

Workers load spaCy and the embedding model once per process (module-level
caches, warmed when the driver connects) and run onnxruntime on one thread:
the parallelism is the number of worker processes. Without ``scheduler`` a
``LocalCluster`` of ``workers`` processes (default: one per usable CPU) is
started for the run and stopped after it.

The results equal the single-process path's: same documents, sources,
duplicate links, quarantine records, entities, events, commitments and
sentence hashes; sentence vectors agree to within 1e-5 (the same model on a
different batch, see ``corridor.embed``). ``tests/engine`` checks this.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from ..document import Document, Failure
from ..errors import ConfigError, CorridorError
from ..ingest.run import (
    Batch,
    IngestReport,
    ProgressCallback,
    finish_run,
    ingest_one,
    ingest_pipeline,
    start_run,
)
from ..ingest.sources import iter_sources
from ..ingest.stages import build_ingest_pipeline, raw_hash
from ..pipeline import CollectErrors, Drop, StageFailed
from ..settings import Settings
from ..store.base import EntityRecord, RoleStamp

if TYPE_CHECKING:
    from distributed import Client, Future

    from ..embed import Embedder
    from ..ingest.run import Stages
    from .base import Pool

__all__ = [
    "CHUNK_SIZE",
    "CONNECT_TIMEOUT",
    "INSTALL_HINT",
    "DaskEngine",
    "dask_client",
    "default_workers",
    "ingest_dask",
]

_log = logging.getLogger("corridor")

INSTALL_HINT = "pip install 'corridor[dask]'"
#: inputs per worker task (a task costs a few ms of scheduling; a chunk ~0.1-1 s of work)
CHUNK_SIZE = 16
#: seconds to reach the scheduler, and to wait for its first worker
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 30.0

Vector = npt.NDArray[np.float32]


def default_workers() -> int:
    """Worker processes of a local cluster by default: one per usable CPU."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# -- worker side ------------------------------------------------------------
# Module-level functions (pickled by reference: the workers need the same
# corridor installed) and per-process caches.

_EMBEDDER: Embedder | None = None
#: (run token, hashes of the sentences this worker embedded in that run): the
#: driver stores each before it saves a later chunk, so they are not embedded
#: again (news repeats sentences; the single process embeds each text once)
_EMBEDDED: tuple[str, set[str]] = ("", set())
_EMBEDDED_MAX = 1_000_000


class _RemoteStageError(CorridorError):
    """A stage error as a worker reported it: the code and message it would carry."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Prepared:
    """What the ingest stages made of one input on a worker."""

    doc: Document | None  # the cleaned Document (raw payload dropped), or None
    stage: str = ""  # the stage that refused it
    dropped: bool = False  # a normal rejection (``Drop``), else an error to quarantine
    code: str = ""  # drop reason / error code
    message: str = ""


@dataclass
class _Extracted:
    doc: Document  # with sentences, mentions, events, sectors, commitments
    entities: list[EntityRecord]
    roles: list[RoleStamp]


@dataclass
class _ExtractedChunk:
    items: list[_Extracted]
    model_id: str | None = None  # None: not embedded (see ``embed_error``)
    vectors: dict[str, Vector] = field(default_factory=dict)  # by sentence text hash
    embed_error: str | None = None


def _use_nlp(mode: str) -> None:
    """Make extraction on this worker use the driver's spaCy mode (``CORRIDOR_NLP``)."""
    if os.environ.get("CORRIDOR_NLP") != mode:
        os.environ["CORRIDOR_NLP"] = mode


def _worker_embedder() -> Embedder:
    global _EMBEDDER
    if _EMBEDDER is None:
        from ..embed import Embedder

        _EMBEDDER = Embedder(threads=1)  # one process per core: no oversubscription
    return _EMBEDDER


_WARM_TEXT = (
    "ISLAMABAD, June 3: Planning Minister Ahsan Iqbal met the Chinese ambassador on Monday "
    "and both sides agreed to speed up work on the ML-1 railway, officials said in a statement "
    "issued after the talks. The ambassador said China would support cooperation in energy."
)


def _worker_info(nlp_mode: str) -> dict[str, str]:
    """Warm this worker (imports, language ID, spaCy, the embedding model: the first
    article costs seconds otherwise); what it runs."""
    from .. import __version__
    from ..extract import get_nlp
    from ..extract.run import EXTRACTOR_VERSION

    _use_nlp(nlp_mode)
    html = f"<html><body><article><h1>Talks</h1><p>{_WARM_TEXT}</p></article></body></html>"
    warm = _worker_prepare(Settings(), [Document("warm.txt", raw_text=_WARM_TEXT),
                                        Document("warm.html", raw=html.encode(), fmt="html")])
    docs = [p.doc for p in warm if p.doc is not None]
    embedded = _worker_extract(docs, nlp_mode)
    return {"corridor": __version__, "extractor": EXTRACTOR_VERSION, "nlp": get_nlp().name,
            "embedder": embedded.model_id or f"unavailable: {embedded.embed_error}"}


def _worker_prepare(settings: Settings, docs: list[Document]) -> list[_Prepared]:
    """Run the ingest stages on a chunk of raw Documents."""
    from ..ingest.run import error_code_message

    handler = CollectErrors()
    pipeline = build_ingest_pipeline(settings, on_error=handler)
    out: list[_Prepared] = []
    for doc in docs:
        result = pipeline(doc)
        if result is not None:
            result.raw = result.raw_text = result.decoded = None  # the driver keeps the input
            out.append(_Prepared(result))
            continue
        failure = handler.failures.pop()
        if isinstance(failure.error, Drop):
            out.append(_Prepared(None, failure.stage_name, True, failure.error.reason,
                                 failure.error.detail))
        else:
            code, message = error_code_message(failure.error)
            out.append(_Prepared(None, failure.stage_name, False, code, message))
    return out


def _worker_extract(docs: list[Document], nlp_mode: str, run: str = "") -> _ExtractedChunk:
    """Extract facts from stored documents and embed their sentences (those this
    worker has not embedded earlier in ``run``; none are skipped without a run)."""
    global _EMBEDDED
    from ..embed import text_hash
    from ..extract.run import extract_facts

    _use_nlp(nlp_mode)
    items = [_Extracted(doc, *extract_facts(doc)) for doc in docs]
    if _EMBEDDED[0] != run or len(_EMBEDDED[1]) > _EMBEDDED_MAX:
        _EMBEDDED = (run, set())
    done = _EMBEDDED[1] if run else set()
    texts = {h: t for t in dict.fromkeys(s.text for doc in docs for s in doc.sentences)
             if (h := text_hash(t)) not in done}
    try:
        embedder = _worker_embedder()
        vectors = embedder.embed(list(texts.values()))
    except ConfigError as exc:  # the embedding model is not installed on this worker
        return _ExtractedChunk(items, embed_error=exc.message)
    if run:
        done.update(texts)
    return _ExtractedChunk(items, embedder.model_id, dict(zip(texts, vectors, strict=True)))


# -- connecting -------------------------------------------------------------


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(
            f"the Dask engine needs dask[distributed] ({exc}); install it with: {INSTALL_HINT}"
        ) from exc
    return distributed


def _probe(address: str, timeout: float) -> None:
    """Fail fast, with a clear message, when nothing listens at a tcp:// address."""
    parts = urlsplit(address if "://" in address else "tcp://" + address)
    if parts.scheme != "tcp":
        return  # tls://, ucx://...: left to distributed
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise ConfigError(f"bad Dask scheduler address {address!r}: {exc}") from exc
    if not host or port is None:
        raise ConfigError(
            f"bad Dask scheduler address {address!r}: expected tcp://HOST:PORT "
            "(a scheduler listens on 8786 by default)")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {reason}") from exc


@contextmanager
def dask_client(
    scheduler: str | None = None, workers: int | None = None,
    connect_timeout: float | None = None,
) -> Iterator[Client]:
    """A Dask client whose workers are checked and warm; closed (with its cluster) after.

    ``scheduler``: connect to it, and wait for ``workers`` workers (default
    1); without it start a local cluster of ``workers`` processes.
    """
    distributed = _distributed()
    if workers is not None and workers < 1:
        raise ConfigError(f"the number of Dask workers must be >= 1, got {workers}")
    timeout = CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    cluster = None
    if scheduler:
        _probe(scheduler, timeout)
        try:
            client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") \
                from exc
    else:
        cluster = distributed.LocalCluster(
            n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=logging.ERROR,
            scheduler_kwargs={"dashboard_address": ":0"})  # its health page on a free port
        client = distributed.Client(cluster, set_as_default=False)
    try:
        _check_workers(client, scheduler or "the local cluster", workers or 1)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _check_workers(client: Client, where: str, wanted: int) -> None:
    """Wait for ``wanted`` workers, warm them, and refuse mismatched installs."""
    from .. import __version__
    from ..extract import nlp_mode
    from ..extract.run import EXTRACTOR_VERSION

    try:
        client.wait_for_workers(wanted, timeout=WORKER_TIMEOUT)
    except TimeoutError as exc:
        have = len(client.scheduler_info().get("workers", {}))
        raise ConfigError(
            f"{where} has {have} Dask worker(s); waited {WORKER_TIMEOUT:.0f} s for {wanted}"
        ) from exc
    try:
        # a task pinned to each worker (runs in its thread pool, unlike ``client.run``)
        addresses = list(client.scheduler_info()["workers"])
        futures = [client.submit(_worker_info, nlp_mode(), workers=[a], allow_other_workers=False,
                                 pure=False) for a in addresses]
        infos: dict[str, dict[str, str]] = {
            a: f.result() for a, f in zip(addresses, futures, strict=True)}
    except CorridorError:
        raise
    except Exception as exc:  # e.g. corridor not importable on a worker
        raise ConfigError(
            f"a Dask worker of {where} cannot run Corridor's tasks ({type(exc).__name__}: "
            f"{exc}); install the same corridor version on every worker") from exc
    for address, info in infos.items():
        if (info["corridor"], info["extractor"]) != (__version__, EXTRACTOR_VERSION):
            raise ConfigError(
                f"Dask worker {address} runs corridor {info['corridor']} "
                f"({info['extractor']}), this process {__version__} ({EXTRACTOR_VERSION})")
    nlps = {info["nlp"] for info in infos.values()}
    if len(nlps) > 1:
        raise ConfigError(f"Dask workers load different spaCy pipelines: {sorted(nlps)}")
    _log.info("Dask: %d worker(s), NLP %s", len(infos), ", ".join(nlps))


# -- driver side ------------------------------------------------------------


class _Replay:
    """Stands in for the ingest pipeline in ``ingest_one``: hands back
    what a worker's pipeline made of the input, as the local pipeline would
    have (a failure goes to the handler). Inputs no worker saw (they looked
    already stored when their chunk was sent) go through the local pipeline."""

    def __init__(self, local: Stages, handler: CollectErrors) -> None:
        self.local = local
        self.handler = handler
        self.results: dict[int, _Prepared] = {}

    def load(self, pairs: Iterable[tuple[Document, _Prepared]]) -> None:
        self.results = {id(item): prepared for item, prepared in pairs}

    def __call__(self, item: Document) -> Document | None:
        prepared = self.results.pop(id(item), None)
        if prepared is None:
            return self.local(item)
        if prepared.doc is not None:
            return prepared.doc
        error: Exception = (Drop(prepared.code, prepared.message) if prepared.dropped
                            else _RemoteStageError(prepared.code, prepared.message))
        self.handler.failures.append(StageFailed(prepared.stage, item, error))
        return None


@dataclass
class _StageChunk:
    items: list[Document | Failure]
    sent: list[Document]  # the inputs handed to the worker
    future: Future[list[_Prepared]] | None


class _DaskIngest:
    def __init__(self, pool: Pool, client: Client, chunk_size: int) -> None:
        from ..extract import nlp_mode
        from ..extract.run import plover_types

        self.store = pool.store
        self.settings = pool.settings
        self.client = client
        self.chunk_size = chunk_size
        info = client.scheduler_info().get("workers", {})
        slots = max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))
        self.max_stage = slots + 1  # ingest-stage chunks in flight
        self.max_extract = 2 * slots + 1  # extraction chunks in flight (memory bound)
        self.nlp = nlp_mode()
        self.plover = plover_types()
        self.extracted: dict[str, None] = {}  # doc ids, in the order saved
        self.run_token = _run_token()  # scopes the workers' "already embedded" sets
        self.embed_warned = False

    def run(
        self, targets: Sequence[str], progress: ProgressCallback | None, extract: bool,
        items: Iterable[Document | Failure] | None, started: float, catch_up: bool = True,
    ) -> IngestReport:
        from ..extract.run import extraction_input

        store = self.store
        report = IngestReport()
        local, handler = ingest_pipeline(self.settings)
        replay = _Replay(local, handler)
        notify: Callable[[str, str, str], None] = progress or (lambda o, k, d: None)
        run_id = start_run(store, targets)
        batch = Batch(store)
        source = iter(items if items is not None else iter_sources(targets, self.settings))
        staged: deque[_StageChunk] = deque()
        extracting: deque[Future[_ExtractedChunk]] = deque()
        try:
            more = True
            while True:
                while extracting and (extracting[0].done()  # type: ignore[no-untyped-call]
                                      or len(extracting) > self.max_extract):
                    self._save(extracting.popleft().result(), batch, report)
                while more and len(staged) < self.max_stage:
                    chunk = list(islice(source, self.chunk_size))
                    more = bool(chunk)
                    if chunk:
                        staged.append(self._send(chunk))
                if not staged:
                    break
                accepted = self._write(staged.popleft(), replay, handler, report, batch, notify)
                if extract and accepted:
                    docs = [extraction_input(store.get_document(doc_id)) for doc_id in accepted]
                    extracting.append(self.client.submit(
                        _worker_extract, docs, self.nlp, self.run_token, pure=False))
            while extracting:
                self._save(extracting.popleft().result(), batch, report)
            batch.close()
        except BaseException:
            batch.abort()
            pending = [s.future for s in staged if s.future is not None]
            self.client.cancel(pending + list(extracting))  # type: ignore[no-untyped-call]
            raise
        if extract:
            from ..extract.run import embed_after_extract, extract_documents, extraction_todo

            if self.extracted:  # what ``extract_documents`` embeds after its documents
                embed_after_extract(store, list(self.extracted))  # (their sentences are done)
            if catch_up:
                # documents an interrupted run stored but never extracted, as the
                # local engine does
                left = [d for d in extraction_todo(store) if d not in self.extracted]
                if left:
                    report.extracted += extract_documents(store, left)
                embed_after_extract(store, None)  # sentences not embedded yet (if any)
        report.seconds = time.monotonic() - started
        finish_run(store, run_id, report)
        return report

    def _send(self, chunk: list[Document | Failure]) -> _StageChunk:
        """Submit the chunk's inputs that need the stages (not failures, not stored ones)."""
        sent = [it for it in chunk if isinstance(it, Document)
                and not self.store.seen_source(it.source_key, raw_hash(it))]
        future = (self.client.submit(_worker_prepare, self.settings, sent, pure=False)
                  if sent else None)
        return _StageChunk(chunk, sent, future)

    def _write(
        self, chunk: _StageChunk, replay: _Replay, handler: CollectErrors,
        report: IngestReport, batch: Batch, notify: Callable[[str, str, str], None],
    ) -> list[str]:
        """Dedup and store one chunk in input order, as the local engine; new doc ids."""
        prepared = chunk.future.result() if chunk.future is not None else []
        replay.load(zip(chunk.sent, prepared, strict=True))
        first = len(report.stored_ids)
        for item in chunk.items:
            report.inputs += 1
            batch.open()
            outcome, detail = ingest_one(self.store, self.settings, item, replay, handler,
                                         report)
            notify(outcome, item.source_key, detail)
            batch.tick()
        return report.stored_ids[first:]

    def _save(self, chunk: _ExtractedChunk, batch: Batch, report: IngestReport) -> None:
        """Save extracted facts and new sentence vectors, one document at a time."""
        from ..embed import text_hash
        from ..extract.run import save_facts

        store = self.store
        for item in chunk.items:
            doc_id = item.doc.id
            assert doc_id is not None
            batch.open()
            save_facts(store, item.doc, item.entities, item.roles, self.plover)
            self.extracted[doc_id] = None
            report.extracted += 1
            if chunk.model_id is not None:
                rows = [(d, i, text_hash(t)) for d, i, t in store.sentences_to_hash([doc_id])]
                if rows:
                    missing = store.missing_vectors(chunk.model_id, [h for _, _, h in rows])
                    new = {h: chunk.vectors[h] for h in sorted(missing) if h in chunk.vectors}
                    # a text neither stored nor sent (its run was aborted after the worker
                    # embedded it) keeps no hash: ``embed_after_extract`` embeds it below
                    rows = [r for r in rows if r[2] in new or r[2] not in missing]
                    store.save_sentence_vectors(chunk.model_id, rows, new)
            batch.tick()
        if chunk.embed_error and not self.embed_warned:
            self.embed_warned = True
            _log.warning("sentences not embedded (semantic search unavailable): %s",
                         chunk.embed_error)


def _run_token() -> str:
    return uuid.uuid4().hex


class DaskEngine:
    """Ingest with the stages on Dask (see the module docstring and
    :class:`corridor.engine.base.Engine`): connects to ``scheduler``, or starts a
    local cluster of ``workers`` processes, for each ingest."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, *,
                 chunk_size: int = CHUNK_SIZE, connect_timeout: float | None = None) -> None:
        if chunk_size < 1:
            raise ConfigError(f"chunk_size must be >= 1, got {chunk_size}")
        self.scheduler = scheduler
        self.workers = workers
        self.chunk_size = chunk_size
        self.connect_timeout = connect_timeout

    def ingest(
        self, pool: Pool, targets: Sequence[str], progress: ProgressCallback | None = None,
        *, extract: bool = True, items: Iterable[Document | Failure] | None = None,
        catch_up: bool = True,
    ) -> IngestReport:
        started = time.monotonic()  # the report's time includes starting the cluster
        with dask_client(self.scheduler, self.workers, self.connect_timeout) as client:
            return _DaskIngest(pool, client, self.chunk_size).run(
                targets, progress, extract, items, started, catch_up)


def ingest_dask(
    pool: Pool, targets: Sequence[str], progress: ProgressCallback | None = None,
    extract: bool = True, *, scheduler: str | None = None, workers: int | None = None,
    items: Iterable[Document | Failure] | None = None, chunk_size: int = CHUNK_SIZE,
    connect_timeout: float | None = None,
) -> IngestReport:
    """Ingest into ``pool`` (a ``Corridor``) with the stages on Dask (see the module
    docstring): :class:`DaskEngine`'s ingest."""
    engine = DaskEngine(scheduler, workers, chunk_size=chunk_size,
                        connect_timeout=connect_timeout)
    return engine.ingest(pool, targets, progress, extract=extract, items=items)
