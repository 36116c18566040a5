"""An API ingest as one job: run on a handle of the server, or in a worker process.

``POST /api/ingest`` cleans, deduplicates, extracts and embeds what it is
given before it answers: seconds to minutes of CPU, most of it Python that
holds the interpreter lock (or C code that never lets it go, such as a long
regular-expression pass over a long article). Run on one of the server's own
threads, that work competes for the lock and the cores with every read, and
the reads wait.

So ``corridor serve`` runs ingests in an :class:`IngestWorker`: one separate
process, started on first use (or at start-up, to load the parsers and
models early), restarted if it dies, that owns its own handle on the pool
and runs at a lower CPU priority (``nice`` +10): the server process keeps
its interpreter lock and the cores first for reads. SQLite in WAL mode lets
the worker write while the server's handles read; one ingest at a time
still (the app's write lock), as before.

:func:`run_job` is the job itself, the same in both places: the token is
checked again (it may have been revoked meanwhile) and its use recorded, then
the URLs and the articles are ingested; at most :data:`MAX_ITEMS` per-input
outcomes come back.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ..errors import CorridorError
from ..service import Corridor
from ..settings import Settings

__all__ = ["MAX_ITEMS", "IngestJob", "IngestResult", "IngestWorker", "WorkerLost", "run_job"]

log = logging.getLogger("corridor.web")

#: per-input outcomes returned with a result (the report counts them all)
MAX_ITEMS = 1000
#: how much lower the worker's CPU priority is than the server's
WORKER_NICE = 10


class WorkerLost(Exception):
    """The worker process ended before it answered (killed, out of memory)."""


@dataclass
class IngestJob:
    secret: str
    urls: list[str] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class IngestResult:
    #: the token's name; None when it is invalid or revoked (nothing was ingested)
    token: str | None
    report: dict[str, Any] = field(default_factory=dict)
    #: (outcome, source key, detail) per input, in order, at most MAX_ITEMS
    items: list[tuple[str, str, str]] = field(default_factory=list)


def _merge(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    for key, value in part.items():
        if isinstance(value, dict):
            bucket = total.setdefault(key, {})
            for k, v in value.items():
                bucket[k] = bucket.get(k, 0) + v
        elif isinstance(value, int | float):
            total[key] = round(total.get(key, 0) + value, 3)
    return total


def run_job(corridor: Corridor, job: IngestJob) -> IngestResult:
    """Check the token (recording its use), then ingest the URLs and the articles."""
    token = corridor.verify_token(job.secret)
    if token is None:
        return IngestResult(token=None)
    items: list[tuple[str, str, str]] = []

    def progress(outcome: str, key: str, detail: str) -> None:
        if len(items) < MAX_ITEMS:
            items.append((outcome, key, detail))

    report: dict[str, Any] = {}
    if job.urls:  # catch_up=False: one request never turns into a whole-pool extraction
        _merge(report, corridor.ingest(job.urls, progress, catch_up=False).to_dict())
    if job.articles:
        _merge(report, corridor.ingest_articles(job.articles, progress,
                                                label=f"api:{token.name}").to_dict())
    return IngestResult(token=token.name, report=report, items=items)


# -- the worker process --------------------------------------------------------------


def _worker_main(conn: Connection, settings: Settings, warm_up: bool) -> None:
    """The worker: one Corridor handle, jobs one at a time until told to stop."""
    # Ctrl-C in a terminal reaches the whole process group: the server decides
    # when the worker stops (IngestWorker.close), not the keyboard
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # not allowed here: same priority, still apart
        os.nice(WORKER_NICE)
    corridor = Corridor(settings=settings)
    try:
        if warm_up:
            Corridor.warm_up(check=False)  # claim checks run in the server
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return  # the server went away
            if message is None:
                return
            try:
                reply: tuple[str, Any] = ("ok", run_job(corridor, message))
            except CorridorError as exc:
                reply = ("corridor", exc)
            except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
                reply = ("error", f"{type(exc).__name__}: {exc}")
            try:
                conn.send(reply)
            except (OSError, ValueError):
                return  # the server went away while the job ran
            except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        corridor.close()


class IngestWorker:
    """One worker process for the app's ingests (see the module documentation).

    ``settings`` are the write handle's (``allow_private_urls`` included).
    Thread-safe: callers take turns. :meth:`close` stops the process; a job
    in progress then ends as a killed ingest does (crash-safe: the next
    ingest redoes its last batch).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._closing = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, warm_up: bool = False) -> None:
        """Start the process now (it starts on the first job otherwise)."""
        with self._lock:
            self._ensure(warm_up)

    def _ensure(self, warm_up: bool = False) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        if self._closing:
            raise WorkerLost("the server is stopping: no ingest is started now, retry")
        self._stop()
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.settings, warm_up),
                                    name="corridor-ingest", daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def run(self, job: IngestJob) -> IngestResult:
        """Run ``job`` in the worker and wait for its result (blocks the calling thread)."""
        with self._lock:
            conn = self._ensure()
            try:
                conn.send(job)
                kind, value = conn.recv()
            except (EOFError, OSError) as exc:
                process = self._process
                self._stop()
                why = ("the server is stopping" if self._closing else
                       f"exit code {process.exitcode if process is not None else None}")
                raise WorkerLost(f"the ingest worker stopped before it answered ({why}); "
                                 "what it stored stays stored, retry for the rest") from exc
        if kind == "ok":
            assert isinstance(value, IngestResult)
            return value
        if kind == "corridor":
            raise value
        raise RuntimeError(f"ingest failed in the worker: {value}")

    def close(self, wait: float = 5.0) -> None:
        """Stop the worker: at once when idle, else after ``wait`` seconds at most."""
        self._closing = True
        if self._lock.acquire(timeout=0.1):  # idle: ask it to stop
            try:
                if self._conn is not None:
                    with contextlib.suppress(OSError):
                        self._conn.send(None)
                self._stop(wait)
            finally:
                self._lock.release()
        else:  # a job is running: end it as a crash would
            process = self._process
            if process is not None and process.is_alive():
                process.terminate()
                process.join(wait)

    def _stop(self, wait: float = 5.0) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None:
            process.join(wait)
            if process.is_alive():
                process.terminate()
                process.join(wait)
            if process.is_alive():  # pragma: no cover - ignores SIGTERM
                process.kill()
                process.join()
        if conn is not None:
            conn.close()
