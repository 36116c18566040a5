"""The HTTP service: a FastAPI app over :class:`corridor.service.Corridor`.

Every page is declared once with :func:`page`: a function that returns the
page's data (a pydantic model) from ``Corridor`` calls. ``page`` registers it
twice: as JSON at ``/api<path>`` (documented in the OpenAPI schema) and as
HTML at ``<path>``, rendered by a Jinja2 template from the *same* data. So
every HTML page has a JSON twin by construction. To add a page later
(entities, events, pledges, claim checks), write the data function, a
template and a model, and decorate::

    @page("/entities/{entity_id}", template="entity.html", model=EntityPage,
          summary="One entity: aliases, roles, mentions", section="entities")
    def entity(corridor: Reader, entity_id: str) -> EntityPage:
        return EntityPage(...)

Writes (``POST /api/ingest``, ``POST /api/check``) take
``Depends(limit(...))`` and ``Depends(require_write)``: a rate limit per
client, then an API token (see ``corridor token create``).

The pages are spread over modules by subject: this one (search, documents,
stats, quarantine, feeds, ingest), :mod:`.facts` (entities, events,
commitments, pledges, timeline) and :mod:`.checks` (claim checks); the last
two register their routes on :data:`router` when imported at the end here.

Concurrency: reads use a small pool of database handles (SQLite in WAL mode:
readers never wait for the writer), waited for on the event loop, not on a
worker thread; ingests run one at a time, on one writer handle or (with
``config.ingest_process``, as ``corridor serve`` runs) in a separate,
lower-priority worker process (:mod:`.ingest_job`), so their CPU work does
not hold up reads. A claim check runs on a read handle (at most
``check_concurrency`` at once) whose connection also stores the check: a
short write that SQLite's own lock orders with an ingest's batches. No SQL
here: routes call ``Corridor`` methods only.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..errors import ConfigError, CorridorError, NotFound, StoreBusy, StoreError
from ..service import Corridor
from ..settings import Settings
from .config import WebConfig
from .feeds import ATOM_TYPE, atom_feed
from .ingest_job import IngestJob, IngestResult, IngestWorker, WorkerLost, run_job
from .models import (
    DocumentList,
    DocumentPage,
    ErrorOut,
    Health,
    IngestItem,
    IngestOut,
    IngestRequest,
    QuarantineList,
    SearchResult,
    StatsOut,
    summary,
)
from .render import STATIC, environment
from .security import BodyLimit, HostCheck, RateLimiter, SecurityHeaders, bearer_secret
from .security import check_fetch_url as _check_fetch_url

__all__ = ["PAGES", "Handles", "Page", "create_app", "page", "router"]

log = logging.getLogger("corridor.web")
F = TypeVar("F", bound=Callable[..., Any])


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


# -- database handles -------------------------------------------------------------


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


def _handles(request: Request) -> Handles:
    handles: Handles = request.app.state.handles
    return handles


def _config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


async def get_reader(request: Request) -> AsyncIterator[Corridor]:
    handles = _handles(request)
    corridor = await handles.acquire()
    try:
        yield corridor
    finally:
        handles.release(corridor)


#: a read handle for the duration of the request
Reader = Annotated[Corridor, Depends(get_reader)]


# -- access control -----------------------------------------------------------------


def _unauthorized(detail: str, basic: bool = False) -> HTTPException:
    challenge = 'Bearer realm="corridor"'
    if basic:  # lets a browser ask for the token (as the password) without JavaScript
        challenge += ', Basic realm="corridor", charset="UTF-8"'
    return HTTPException(401, detail, headers={"WWW-Authenticate": challenge})


async def _verify(request: Request, authorization: str | None, basic: bool) -> str:
    """The secret of a valid, unrevoked token in ``authorization``, or 401."""
    secret = bearer_secret(authorization)
    if secret is None:
        raise _unauthorized("an API token is required (Authorization: Bearer <token>)", basic)
    handles = _handles(request)
    corridor = await handles.acquire()
    try:
        token = await run_in_threadpool(corridor.verify_token, secret, touch=False)
    finally:
        handles.release(corridor)
    if token is None:
        raise _unauthorized("invalid or revoked API token", basic)
    return secret


async def require_read(
    request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> None:
    """Reads are open unless the server runs with ``open_reads`` off."""
    if not _config(request).open_reads:
        await _verify(request, authorization, basic=True)


async def require_write(
    request: Request,
    authorization: Annotated[str | None, Header(
        description="`Bearer <token>`; create one with `corridor token create NAME`")] = None,
) -> str:
    """The caller's API token secret (checked); every write needs one."""
    return await _verify(request, authorization, basic=False)


def spend(request: Request, action: str) -> None:
    """Take one of the client's ``action`` requests (``config.<action>_per_minute``), or 429."""
    limiter: RateLimiter = request.app.state.limiters[action]
    client = request.client.host if request.client else "unknown"
    wait = limiter.take(client)
    if wait > 0:
        raise HTTPException(
            429, f"too many {action} requests; retry in {RateLimiter.retry_after(wait)} s",
            headers={"Retry-After": RateLimiter.retry_after(wait)},
        )


def limit(action: str) -> Callable[..., Awaitable[None]]:
    """A dependency for a write: the API token first (401), then the rate limit (429).

    In this order, requests without a valid token spend nothing: a stream of
    401s from one address cannot use up the budget of a valid writer behind
    the same address. (The token check is one indexed read; the work the
    limit protects, an ingest or a check, only starts after both.)
    """

    async def check(request: Request, secret: Annotated[str, Depends(require_write)]) -> None:
        spend(request, action)

    check.__name__ = f"limit_{action}"
    return check


# -- pages: HTML + JSON twins ------------------------------------------------------


@dataclass(frozen=True)
class Page:
    path: str  # the HTML page
    api_path: str  # its JSON twin
    template: str
    section: str


router: APIRouter = APIRouter()
PAGES: list[Page] = []
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad parameter (e.g. a date that cannot be read)"},
    401: {"model": ErrorOut, "description": "A token is required (reads on a non-local server)"},
    404: {"model": ErrorOut, "description": "Not found"},
}


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(
        base=_base(request), params=dict(request.query_params), path=request.url.path,
        open_reads=_config(request).open_reads, **context)
    return HTMLResponse(html, status_code=status)


def page(path: str, *, template: str, model: type[BaseModel], summary: str, section: str,
         aliases: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Register ``fn`` as JSON at ``/api<path>`` and as HTML at ``path`` (and ``aliases``)."""
    api_path = "/api" + path

    def register(fn: F) -> F:
        guard = [Depends(require_read)]
        router.add_api_route(api_path, fn, methods=["GET"], response_model=model,
                             summary=summary, description=inspect.getdoc(fn) or "",
                             tags=["read"], dependencies=guard, responses=ERRORS,
                             name=fn.__name__)

        async def html(request: Request, data: BaseModel) -> HTMLResponse:
            twin = _base(request) + api_path.format(
                **{k: quote(str(v), safe="") for k, v in request.path_params.items()})
            if request.url.query:
                twin += "?" + request.url.query
            return render(request, template, data=data, section=section, twin=twin)

        html.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               annotation=Request),
             inspect.Parameter("data", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                               annotation=Any, default=Depends(fn))],
            return_annotation=HTMLResponse,
        )
        for i, route in enumerate((path, *aliases)):
            router.add_api_route(route, html, methods=["GET"], response_class=HTMLResponse,
                                 response_model=None, include_in_schema=False,
                                 dependencies=guard, name=f"{fn.__name__}_page{i or ''}")
        PAGES.append(Page(path, api_path, template, section))
        return fn

    return register


def _opt(value: str | None) -> str | None:
    """HTML forms send empty fields as ''; treat them as absent."""
    return value.strip() or None if value is not None else None


@page("/search", template="search.html", model=SearchResult, section="search",
      summary="Keyword search with highlighted snippets", aliases=("/",))
def search(
    corridor: Reader,
    q: Annotated[str, Query(max_length=500, description=(
        'Words, "quoted phrases", prefix*, OR; Chinese matches substrings'))] = "",
    since: Annotated[str | None, Query(max_length=40,
                                       description="Published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(max_length=40,
                                       description="Published on or before (YYYY-MM-DD)")] = None,
    source: Annotated[str | None, Query(max_length=200,
                                        description="Source name or domain")] = None,
    lang: Annotated[str | None, Query(max_length=20, description="Language: en, ur, zh...")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchResult:
    """Best first (BM25). Each hit has a snippet and the `[start, end)` ranges of
    the matched terms in it. An empty `q` returns no hits."""
    since, until, source, lang = _opt(since), _opt(until), _opt(source), _opt(lang)
    hits = []
    if q.strip():
        # one more than asked, to know whether there is a next page
        hits = corridor.search(q, since=since, until=until, source=source, lang=lang,
                               limit=limit + 1, offset=offset)
    more = len(hits) > limit
    return SearchResult(query=q, since=since, until=until, source=source, lang=lang,
                        limit=limit, offset=offset, hits=hits[:limit],
                        next_offset=offset + limit if more else None)


@page("/documents/{doc_id}", template="document.html", model=DocumentPage,
      section="documents", summary="One document: text, metadata and every source")
def document(
    corridor: Reader,
    doc_id: Annotated[str, Path(max_length=64)],
    q: Annotated[str, Query(max_length=500, description="Highlight this query's matches")] = "",
    at: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", description=(
        "Highlight the cited range START-END of the text (anchor `#cited`)"))] = None,
) -> DocumentPage:
    """The stored clean text, its metadata, and every input it came from (the
    original and each exact or near duplicate linked to it), with the facts
    extracted from it: entity mentions, events and commitments, all with
    offsets into the text."""
    doc = corridor.document(doc_id)
    spans = corridor.highlights(doc_id, q) if q.strip() else []
    cited = None
    if at:
        start, end = (int(x) for x in at.split("-"))
        if not 0 <= start < end <= len(doc.text):
            raise ConfigError(f"at: {at!r} is not a range inside the text "
                              f"(0-{len(doc.text)})")
        cited = (start, end)
    return DocumentPage(document=doc, query=q, highlights=spans, cited=cited,
                        mentions=corridor.document_mentions(doc_id),
                        events=corridor.events(doc_id=doc_id, limit=1000),
                        commitments=corridor.commitments(doc_id=doc_id, limit=1000))


@page("/documents", template="documents.html", model=DocumentList, section="documents",
      summary="Newly ingested documents, newest first")
def documents(
    corridor: Reader,
    since: Annotated[str | None, Query(max_length=40, description=(
        "Ingested at or after (ISO date or timestamp)"))] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DocumentList:
    """The same list as the Atom feed (`/feed.atom`)."""
    docs = corridor.recent_documents(limit, _opt(since))
    return DocumentList(since=_opt(since), limit=limit, documents=[summary(d) for d in docs])


@page("/stats", template="stats.html", model=StatsOut, section="stats",
      summary="Counts: documents, duplicates, quarantine, languages, sources, dates")
def stats(corridor: Reader) -> StatsOut:
    data = dict(corridor.stats())
    data.pop("database", None)  # a server path: not the client's business
    return StatsOut(**data)


@page("/quarantine", template="quarantine.html", model=QuarantineList, section="quarantine",
      summary="Inputs that could not be processed, and why (newest first)")
def quarantine(corridor: Reader, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               ) -> QuarantineList:
    return QuarantineList(limit=limit, records=corridor.quarantine(limit))


# -- feed, health, docs --------------------------------------------------------------


@router.get("/feed.atom", tags=["read"], dependencies=[Depends(require_read)],
            response_class=Response, summary="Atom feed of newly ingested documents",
            responses={200: {"content": {"application/atom+xml": {}}}, **ERRORS})
@router.get("/feeds/articles.atom", include_in_schema=False,
            dependencies=[Depends(require_read)], response_class=Response)
def feed(
    request: Request,
    corridor: Reader,
    since: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Newest first; each entry links to the document page here and to the article."""
    docs = corridor.recent_documents(limit, _opt(since))
    base = str(request.base_url).rstrip("/")
    body = atom_feed(docs, base_url=base, self_url=str(request.url))
    return Response(body, media_type=ATOM_TYPE)


@router.get("/api/health", response_model=Health, tags=["meta"], summary="Liveness and database")
@router.get("/health", response_model=Health, include_in_schema=False)
def health(request: Request) -> JSONResponse:
    """``warm``: the models' background warm-up is done; while it runs, checks
    (and ingests on a server thread) wait for it."""
    handles = _handles(request)
    try:
        with handles.reader(wait=5.0) as corridor:
            corridor.recent_documents(1)
    except (CorridorError, ServiceBusy) as exc:
        return JSONResponse({"status": "error", "detail": str(exc), "warm": handles.warm.done},
                            status_code=503)
    return JSONResponse({"status": "ok", "detail": "", "warm": handles.warm.done})


@router.get("/openapi.json", include_in_schema=False, dependencies=[Depends(require_read)])
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse,
            dependencies=[Depends(require_read)])
def docs(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema (no script, no CDN)."""
    schema = request.app.openapi()
    operations = []
    for route_path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            operations.append({"path": route_path, "method": method.upper(), **op})
    return render(request, "docs.html", section="docs", twin=_base(request) + "/openapi.json",
                  schema=schema, operations=operations)


# -- writes ---------------------------------------------------------------------------


@router.post(
    "/api/ingest", response_model=IngestOut, tags=["write"],
    summary="Ingest URLs (pages or feeds) and/or articles given as JSON",
    dependencies=[Depends(limit("ingest"))],
    responses={400: {"model": ErrorOut, "description": "The body is not readable JSON"},
               401: {"model": ErrorOut, "description": "No valid API token"},
               413: {"model": ErrorOut, "description": "Request body too large"},
               422: {"description": "Invalid request (e.g. a non-http(s) URL)"},
               429: {"model": ErrorOut, "description": "Rate limit: retry after Retry-After s"},
               503: {"model": ErrorOut, "description": "Another write is in progress"}},
)
def ingest(request: Request, body: IngestRequest,
           secret: Annotated[str, Depends(require_write)]) -> IngestOut:
    """Needs an API token. URLs are fetched by the server: only http(s), and
    never private or loopback addresses unless the server was started with
    `--allow-private-urls` (such URLs end in quarantine, code `fetch`).
    Same outcomes and idempotence as `corridor ingest`; the answer lists
    every input's outcome."""
    config = _config(request)
    if not body.urls and not body.articles:
        raise HTTPException(422, "nothing to ingest: give 'urls' and/or 'articles'")
    if len(body.urls) > config.max_urls or len(body.articles) > config.max_articles:
        raise HTTPException(422, f"at most {config.max_urls} URLs and {config.max_articles} "
                                 "articles per request")
    problems = [f"{url!r}: {why}" for url in body.urls if (why := _check_fetch_url(url))]
    problems += [f"articles[{i}].url {a.url!r}: {why}" for i, a in enumerate(body.articles)
                 if a.url and (why := _check_fetch_url(a.url))]
    if problems:
        raise HTTPException(422, "; ".join(problems))
    job = IngestJob(secret=secret, urls=[u.strip() for u in body.urls],
                    articles=[a.model_dump(exclude_none=True) for a in body.articles])
    # the token is checked again in the job: it may have been revoked meanwhile
    result = _handles(request).ingest(job, config.write_wait_seconds)
    if result.token is None:
        raise _unauthorized("invalid or revoked API token")
    log.info("ingest by token %r: %s", result.token, result.report)
    return IngestOut(report=result.report, items=[
        IngestItem(outcome=outcome, source_key=key, detail=detail)
        for outcome, key, detail in result.items])


# -- errors ---------------------------------------------------------------------------


def _wants_html(request: Request) -> bool:
    path = request.url.path[len(_base(request)):]
    return not (path.startswith(("/api/", "/feeds/")) or path.endswith((".svg", ".png"))
                or path in ("/openapi.json", "/feed.atom", "/health"))


def _error(request: Request, status: int, detail: str, code: str,
           headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        response: Response = render(request, "error.html", status=status, section="",
                                    twin=None, status_code=status, detail=detail, code=code)
    else:
        response = JSONResponse({"detail": detail, "code": code}, status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


_STATUS = {NotFound: 404, ConfigError: 400, StoreBusy: 503}
_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 422: "invalid", 429: "rate_limited", 503: "busy"}


async def _on_corridor_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CorridorError)
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 500)
    if status == 500:
        log.error("request %s failed: %s", request.url.path, exc)
        detail = "database error" if isinstance(exc, StoreError) else "internal error"
        return _error(request, 500, detail, exc.code)
    if status == 503:
        return _error(request, 503, exc.message, exc.code, {"Retry-After": "5"})
    return _error(request, status, exc.message, exc.code)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _CODES.get(exc.status_code, "error")
    return _error(request, exc.status_code, str(exc.detail), code, dict(exc.headers or {}))


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_html(request):
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg')}"
                 for e in exc.errors()]
        return _error(request, 422, "; ".join(parts) or "invalid request", "invalid")
    errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
    for error in errors:
        error.pop("input", None)  # do not echo request bodies back
        error.pop("ctx", None)
    return JSONResponse({"detail": errors, "code": "invalid"}, status_code=422)


async def _on_busy(request: Request, exc: Exception) -> Response:
    return _error(request, 503, str(exc), "busy", {"Retry-After": "5"})


# -- the app ----------------------------------------------------------------------------


def create_app(corridor_or_settings: Corridor | Settings | None = None,
               config: WebConfig | None = None) -> FastAPI:
    """The app over a ``Corridor`` (used as is, one request at a time) or over
    ``Settings`` (the app opens and closes its own handles). ``config``
    defaults to :class:`WebConfig`: local reads open, writes need a token,
    private URLs refused, Host limited to localhost names."""
    config = config or WebConfig()
    source = corridor_or_settings if corridor_or_settings is not None else Settings.from_env()
    handles = Handles(source, config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if config.warm_up:
            # the socket is up (`corridor serve` listens before the app starts), and
            # health answers while this runs; checks wait for it (Handles.checker)
            handles.warm.start(ingest=handles.worker is None)
            if handles.worker is not None:  # its own parsers and models, in its own time
                handles.worker.start(warm_up=True)
        yield
        handles.close()

    app = FastAPI(
        title="Corridor",
        version="0.1.0",
        summary="A sourced knowledge pool of bilateral-relations news",
        description=(
            "Every HTML page at `PATH` has a JSON twin at `/api/PATH`. Reads are open on "
            "a local server; writes need an API token (`corridor token create NAME`), sent "
            "as `Authorization: Bearer <token>`. Errors are `{\"detail\", \"code\"}`."
        ),
        docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan,
    )
    app.state.config = config
    app.state.handles = handles
    app.state.templates = environment()
    app.state.limiters = {"ingest": RateLimiter(config.ingest_per_minute, config.ingest_burst),
                          "check": RateLimiter(config.check_per_minute, config.check_burst)}
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(CorridorError, _on_corridor_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(ServiceBusy, _on_busy)
    # outermost first: headers on every answer, then Host, then the body limit
    app.add_middleware(BodyLimit, limit=config.max_body_bytes,
                       per_path={p: config.max_check_body_bytes for p in CHECK_PATHS})
    app.add_middleware(HostCheck, allowed=config.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


# the other pages register on ``router`` when imported (they import from here)
from . import checks, facts  # noqa: E402, F401
from .checks import CHECK_PATHS  # noqa: E402
