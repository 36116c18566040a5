"""Sentence vectors for stored sentences that have none, saved in the order asked.

``SentenceVectors.add(doc_ids)`` reads what those documents' sentences need
(on the calling thread: the store's connection is not shared) and queues the
embedding. With ``background=True`` the model runs on a second thread while
the caller goes on (an extraction run: onnxruntime releases the GIL, so
spaCy extracts the next documents on one core while the embedder works on
the other); finished work is saved by the calling thread at its next
``add`` and at ``close``.

Jobs are saved strictly in the order they were queued, each in its own
transaction, and a document's sentence-to-vector rows go with (or after) the
job holding the vectors they name. So a killed run never leaves a sentence
marked as embedded without its vector: what it did not save,
``sentences_to_hash`` finds again and ``embed_after_extract`` redoes.

A vector does not depend on its batch or on the thread count (to within
1e-5, ``corridor.embed``), so background and in-line runs store the same
vectors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from .._once import ProcessWide

if TYPE_CHECKING:
    from ..embed import Embedder, Vectors
    from ..store.base import SentenceStore

__all__ = ["SentenceVectors", "ingest_embedder"]


def _one_thread() -> Embedder:
    from ..embed import Embedder

    return Embedder(threads=1)


#: the embedder of background work: one onnxruntime thread (the other core is the
#: extraction's; a second intra-op thread costs ~7 % more CPU: docs/benchmarks.md)
_INGEST = ProcessWide(_one_thread)


def ingest_embedder() -> Embedder:
    """The process-wide single-threaded embedder that extraction runs use."""
    return _INGEST.get()


@dataclass
class _Job:
    hashes: list[str]
    rows: list[tuple[str, int, str]]
    result: Future[Vectors]


class SentenceVectors:
    """Embed and save the vectors that stored sentences lack (see the module)."""

    def __init__(self, store: SentenceStore, *, embedder: Embedder | None = None,
                 background: bool = False, batch: int = 512) -> None:
        from ..embed import get_embedder

        self._store = store
        self._embedder = embedder or (ingest_embedder() if background else get_embedder())
        self._embedder.load()  # a missing model is a ConfigError here, not on the thread
        self._pool = (ThreadPoolExecutor(1, thread_name_prefix="corridor-embed")
                      if background else None)
        self._batch = batch
        self._jobs: deque[_Job] = deque()
        self._queued: set[str] = set()
        #: how many new texts were embedded and saved
        self.embedded = 0

    def add(self, doc_ids: Sequence[str] | None) -> None:
        """Queue the sentences of ``doc_ids`` that have no vector yet (all with None:
        then also those whose text hash is recorded but has no vector for this model,
        as in a pool embedded with an earlier model)."""
        from ..embed import text_hash

        self._save(wait=False)
        todo = self._store.sentences_to_hash(doc_ids)
        hashed = [(d, i, text_hash(t)) for d, i, t in todo]
        text_of = {h: t for (_, _, h), (_, _, t) in zip(hashed, todo, strict=True)}
        needed = self._store.missing_vectors(self._embedder.model_id, list(text_of))
        if doc_ids is None:  # recorded texts whose vector is another model's (or lost)
            stale = self._store.texts_without_vector(self._embedder.model_id)
            text_of.update(stale)
            needed |= set(stale)
        missing = sorted(needed - self._queued)
        if not hashed and not missing:
            return
        self._queued.update(missing)
        # the rows go with the last chunk (an empty one when every vector is stored)
        chunks = [missing[s:s + self._batch]
                  for s in range(0, len(missing), self._batch)] or [[]]
        for n, chunk in enumerate(chunks):
            rows = hashed if n == len(chunks) - 1 else []
            self._jobs.append(_Job(chunk, rows, self._run([text_of[h] for h in chunk])))

    def _run(self, texts: list[str]) -> Future[Vectors]:
        if self._pool is not None and texts:
            return self._pool.submit(self._embedder.embed, texts)
        done: Future[Vectors] = Future()
        done.set_result(self._embedder.embed(texts))  # no texts: no model call
        return done

    def _save(self, wait: bool) -> None:
        while self._jobs and (wait or self._jobs[0].result.done()):
            job = self._jobs[0]
            vectors = job.result.result()
            with self._store.transaction():
                self._store.save_sentence_vectors(
                    self._embedder.model_id, job.rows,
                    dict(zip(job.hashes, vectors, strict=True)))
            self._jobs.popleft()
            self.embedded += len(job.hashes)

    def close(self) -> None:
        """Wait for the queued work and save it."""
        try:
            self._save(wait=True)
        finally:
            self._shutdown()

    def abandon(self) -> None:
        """Stop without saving what is still queued (the next run redoes it)."""
        self._jobs.clear()
        self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> SentenceVectors:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()
