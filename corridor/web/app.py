"""The HTTP service: a FastAPI app over :class:`corridor.service.Corridor`.

Every page is declared once with :func:`.pages.page`: a function that returns
the page's data (a model of :mod:`corridor.views`, the same one that
``corridor ... --json`` prints) from ``Corridor`` calls, registered as JSON at
``/api<path>`` and as HTML at ``<path>`` (see :mod:`.pages`).

Writes (``POST /api/ingest``, ``POST /api/check``) take
``Depends(limit(...))`` and ``Depends(require_write)``: a rate limit per
client, then an API token (see ``corridor token create``; :mod:`.deps`).

The pages are spread over modules by subject: this one (search, documents,
stats, quarantine, feeds, ingest), :mod:`.facts` (entities, events,
commitments, pledges, timeline) and :mod:`.checks` (claim checks); all
register their routes on :data:`.pages.router`, which the app includes.
Database handles (a pool of readers, one writer or an ingest worker
process) are in :mod:`.handles`. No SQL here: routes call ``Corridor``
methods only. Errors are answered with the HTTP status each error class
carries (:mod:`corridor.errors`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ..errors import CorridorError, StoreError
from ..service import Corridor
from ..settings import Settings
from ..views.documents import (
    DocumentList,
    DocumentPage,
    QuarantineList,
    SearchResult,
    StatsOut,
    document_list,
    document_page,
    quarantine_list,
    search_result,
    stats_out,
)
from ..views.ingest import IngestItem, IngestOut, ingest_report
from ..views.params import opt
from .config import WebConfig
from .deps import (
    Reader,
    base_path,
    config_of,
    handles_of,
    limit,
    require_read,
    require_write,
    unauthorized,
)
from .feeds import ATOM_TYPE, atom_feed
from .handles import Handles, ServiceBusy
from .ingest_job import IngestJob
from .models import ErrorOut, Health, IngestRequest
from .pages import ERRORS, page, render, router
from .render import STATIC, environment
from .security import BodyLimit, HostCheck, RateLimiter, SecurityHeaders
from .security import check_fetch_url as _check_fetch_url

__all__ = ["create_app"]

log = logging.getLogger("corridor.web")


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
    return search_result(corridor, q, since=since, until=until, source=source, lang=lang,
                         limit=limit, offset=offset)


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
    return document_page(corridor, doc_id, q, at)


@page("/documents", template="documents.html", model=DocumentList, section="documents",
      summary="Newly ingested documents, newest first")
def documents(
    corridor: Reader,
    since: Annotated[str | None, Query(max_length=40, description=(
        "Ingested at or after (ISO date or timestamp)"))] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DocumentList:
    """The same list as the Atom feed (`/feed.atom`)."""
    return document_list(corridor, limit, since)


@page("/stats", template="stats.html", model=StatsOut, section="stats",
      summary="Counts: documents, duplicates, quarantine, languages, sources, dates")
def stats(corridor: Reader) -> StatsOut:
    return stats_out(corridor)  # without the database: a server path is its own business


@page("/quarantine", template="quarantine.html", model=QuarantineList, section="quarantine",
      summary="Inputs that could not be processed, and why (newest first)")
def quarantine(corridor: Reader, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
               ) -> QuarantineList:
    return quarantine_list(corridor, limit)


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
    docs = corridor.recent_documents(limit, opt(since))
    base = str(request.base_url).rstrip("/")
    body = atom_feed(docs, base_url=base, self_url=str(request.url))
    return Response(body, media_type=ATOM_TYPE)


@router.get("/api/health", response_model=Health, tags=["meta"], summary="Liveness and database")
@router.get("/health", response_model=Health, include_in_schema=False)
def health(request: Request) -> JSONResponse:
    """``warm``: the models' background warm-up is done; while it runs, checks
    (and ingests on a server thread) wait for it."""
    handles = handles_of(request)
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
    return render(request, "docs.html", section="docs", twin=base_path(request) + "/openapi.json",
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
    config = config_of(request)
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
    result = handles_of(request).ingest(job, config.write_wait_seconds)
    if result.token is None:
        raise unauthorized("invalid or revoked API token")
    log.info("ingest by token %r: %s", result.token, result.report)
    return IngestOut(report=ingest_report(result.report), items=[
        IngestItem(outcome=outcome, source_key=key, detail=detail)
        for outcome, key, detail in result.items])


# -- errors ---------------------------------------------------------------------------


def _wants_html(request: Request) -> bool:
    path = request.url.path[len(base_path(request)):]
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


_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
          413: "too_large", 422: "invalid", 429: "rate_limited", 503: "busy"}


async def _on_corridor_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CorridorError)
    status = exc.http_status
    if status == 503:  # busy: the same request can be retried
        return _error(request, status, exc.message, exc.code, {"Retry-After": "5"})
    if status >= 500:  # the server's fault: logged, its message not shown
        log.error("request %s failed: %s", request.url.path, exc)
        detail = "database error" if isinstance(exc, StoreError) else "internal error"
        return _error(request, status, detail, exc.code)
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


# the other pages register on the router when imported; last, so that their routes
# follow this module's (the order of the API reference, /docs)
from . import checks, facts  # noqa: E402, F401
from .checks import CHECK_PATHS  # noqa: E402
