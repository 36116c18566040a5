"""Database handles for the HTTP service: a pool of readers, one writer, the warm-up.

Reads use a small pool of database handles (SQLite in WAL mode: readers never
wait for the writer), waited for on the event loop, not on a worker thread;
ingests run one at a time, on one writer handle or (with
``config.ingest_process``, as ``corridor serve`` runs) in a separate,
lower-priority worker process (:mod:`.ingest_job`), so their CPU work does
not hold up reads. A claim check runs on a read handle (at most
``check_concurrency`` at once) whose connection also stores the check: a
short write that SQLite's own lock orders with an ingest's batches.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ..service import Corridor
from ..settings import Settings
from .config import WebConfig
from .ingest_job import IngestJob, IngestResult, IngestWorker, WorkerLost, run_job

__all__ = ["WARM_UP_WAIT", "HandlePool", "Handles", "ServiceBusy", "WarmUp"]

log = logging.getLogger("corridor.web")


class ServiceBusy(Exception):
    """No database handle became free in time (answered 503)."""


#: how long work that needs a model waits for the warm-up before it loads the
#: model itself (the loaders are locked: it then waits for the same load)
WARM_UP_WAIT = 300.0


class WarmUp:
    """The models' warm-up (parsers, spaCy, the embedding model, the claim judge,
    :meth:`Corridor.warm_up`) on a background thread, so that the server answers
    at once and the first check does not load them.

    Work that needs a model calls :meth:`wait` first: it waits for the warm-up
    rather than loading a model beside it (spaCy's first call is not safe from
    two threads at once). Without :meth:`start` (an app made without
    ``config.warm_up``) nothing is pending and :meth:`wait` returns at once.
    """

    def __init__(self) -> None:
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._ingest = True

    def start(self, *, ingest: bool = True) -> None:
        """Start it; ``ingest``: also the ingest parsers (ingests run in this process)."""
        if self._thread is None:
            self._ingest = ingest
            self._thread = threading.Thread(target=self._run, name="corridor-warm-up",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            Corridor.warm_up(ingest=self._ingest)
        except Exception:  # noqa: BLE001 - logged; each model then loads on first use
            log.exception("warm-up failed; models load on first use")
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        """No warm-up pending: it finished (or none was started)."""
        return self._thread is None or self._done.is_set()

    def wait(self, timeout: float = WARM_UP_WAIT) -> bool:
        """Block until the warm-up is done (at most ``timeout`` s); whether it is."""
        return self._thread is None or self._done.wait(timeout)


@dataclass(eq=False)
class _Waiter:
    """One request waiting for a handle: a coroutine (``future``) or a thread (``event``)."""

    future: asyncio.Future[Corridor] | None = None
    loop: asyncio.AbstractEventLoop | None = None
    event: threading.Event | None = None
    corridor: Corridor | None = None


class HandlePool:
    """Database handles lent first come, first served, to coroutines and threads alike.

    A coroutine waits on the event loop (:meth:`aget`), holding no worker
    thread; code already on a worker thread waits there (:meth:`get`). A
    handle given back goes straight to the longest waiter, so under load no
    request waits much longer than the others (a pool that waiters poll
    lets late arrivals overtake them: p99 of 2.7 s at 48 clients).
    """

    def __init__(self) -> None:
        self._free: deque[Corridor] = deque()
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()

    def put(self, corridor: Corridor) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if waiter.event is not None:
                    waiter.corridor = corridor
                    waiter.event.set()
                    return
                assert waiter.future is not None and waiter.loop is not None
                if waiter.future.done():  # gave up (its coroutine removes it, but races)
                    continue
                try:
                    waiter.loop.call_soon_threadsafe(self._deliver, waiter.future, corridor)
                except RuntimeError:  # that loop is closed: next waiter
                    continue
                return
            self._free.append(corridor)

    def _deliver(self, future: asyncio.Future[Corridor], corridor: Corridor) -> None:
        if future.done():  # cancelled between the hand-over and now: to the next one
            self.put(corridor)
        else:
            future.set_result(corridor)

    def get(self, wait: float) -> Corridor:
        """A handle, waiting at most ``wait`` seconds on this thread (else ServiceBusy)."""
        with self._lock:
            if self._free:
                return self._free.popleft()
            waiter = _Waiter(event=threading.Event())
            self._waiters.append(waiter)
        assert waiter.event is not None
        if not waiter.event.wait(wait):
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                    raise ServiceBusy("all database handles are busy; retry shortly")
        # handed over (maybe just as the wait ended: put sets it under the lock)
        assert waiter.corridor is not None
        return waiter.corridor

    async def aget(self, wait: float) -> Corridor:
        """A handle, waited for on the event loop at most ``wait`` seconds (else ServiceBusy)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free:
                return self._free.popleft()
            waiter = _Waiter(future=loop.create_future(), loop=loop)
            self._waiters.append(waiter)
        assert waiter.future is not None
        try:
            async with asyncio.timeout(wait):
                return await waiter.future
        except BaseException as exc:
            with self._lock:
                queued = waiter in self._waiters
                if queued:
                    self._waiters.remove(waiter)
            future = waiter.future
            if not queued and future.done() and not future.cancelled():
                self.put(future.result())  # it came, but this request is gone
            if isinstance(exc, TimeoutError):
                raise ServiceBusy("all database handles are busy; retry shortly") from exc
            raise


class Handles:
    """Database handles for the app: a pool of readers and one writer.

    Given a ``Corridor`` (or an in-memory database), that one handle serves
    everything, one request at a time. Given ``Settings`` for a database file,
    ``config.readers`` read handles and one write handle are opened (and
    closed with the app). The write handle's settings come from ``config``:
    ``allow_private_urls`` is whatever the operator allowed, never the CLI's
    default.
    """

    def __init__(self, source: Corridor | Settings, config: WebConfig) -> None:
        self._owned: list[Corridor] = []
        self._write_lock = threading.Lock()
        self._checks = threading.BoundedSemaphore(config.check_concurrency)
        self._pool = HandlePool()
        self.warm = WarmUp()
        self.shared: Corridor | None = None
        if isinstance(source, Corridor):
            source.settings = replace(source.settings,
                                      allow_private_urls=config.allow_private_urls)
            self.shared = source
        elif source.db == ":memory:":
            self.shared = self._open(replace(source, allow_private_urls=config.allow_private_urls))
        self.worker: IngestWorker | None = None
        if self.shared is not None:
            self._writer = self.shared
            self._pool.put(self.shared)
            return
        assert isinstance(source, Settings)
        write_settings = replace(source, allow_private_urls=config.allow_private_urls)
        if config.ingest_process:
            Corridor(settings=write_settings, create=False).close()  # fail now, not at 1st ingest
            self.worker = IngestWorker(write_settings)
        else:
            self._writer = self._open(write_settings)
        for _ in range(config.readers):
            self._pool.put(self._open(replace(source, allow_private_urls=False)))

    def _open(self, settings: Settings) -> Corridor:
        corridor = Corridor(settings=settings)
        self._owned.append(corridor)
        return corridor

    @contextmanager
    def reader(self, wait: float = 30.0) -> Iterator[Corridor]:
        """A read handle, for code already on a worker thread (blocks while none is free)."""
        corridor = self._pool.get(wait)
        try:
            yield corridor
        finally:
            self._pool.put(corridor)

    async def acquire(self, wait: float = 30.0) -> Corridor:
        """A read handle, waited for on the event loop; give it back with :meth:`release`.

        Waiting here holds no worker thread: a blocking wait inside a sync
        dependency holds one of the thread pool's threads (40) while it
        waits, which the requests holding the handles may need to finish.
        """
        return await self._pool.aget(wait)

    def release(self, corridor: Corridor) -> None:
        self._pool.put(corridor)

    @contextmanager
    def writer(self, wait: float) -> Iterator[Corridor]:
        """The write handle, exclusively (and, when shared, the read handle too).

        Not with an ingest worker (the worker holds the write handle): use :meth:`ingest`.
        """
        if self.worker is not None:
            raise RuntimeError("the write handle is in the ingest worker; use Handles.ingest")
        if not self._write_lock.acquire(timeout=wait):
            raise ServiceBusy("another write is in progress; retry shortly")
        try:
            if self.shared is None:
                yield self._writer
            else:
                with self.reader(wait) as corridor:
                    yield corridor
        finally:
            self._write_lock.release()

    def ingest(self, job: IngestJob, wait: float) -> IngestResult:
        """Run an ingest job: in the worker process if there is one, else on the
        write handle; one at a time (ServiceBusy after ``wait`` seconds)."""
        if self.worker is None:
            self.warm.wait()  # the worker process warms its own models
            with self.writer(wait) as corridor:
                return run_job(corridor, job)
        if not self._write_lock.acquire(timeout=wait):
            raise ServiceBusy("another write is in progress; retry shortly")
        try:
            return self.worker.run(job)
        except WorkerLost as exc:
            log.error("%s", exc)
            raise ServiceBusy(str(exc)) from exc
        finally:
            self._write_lock.release()

    @contextmanager
    def checker(self, wait: float) -> Iterator[Corridor]:
        """A handle for a claim check: a read handle, at most ``check_concurrency`` at once.

        Storing the check is a short write on that handle's connection;
        SQLite's write lock (with its busy timeout) orders it with an ingest.
        While the models warm up, it first waits for them.
        """
        self.warm.wait()
        if not self._checks.acquire(timeout=wait):
            raise ServiceBusy("too many claim checks in progress; retry shortly")
        try:
            with self.reader(wait) as corridor:
                yield corridor
        finally:
            self._checks.release()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
        for corridor in self._owned:
            corridor.close()
        self._owned.clear()
