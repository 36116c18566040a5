"""Claim checks over HTTP: the form, the JSON endpoint, stored checks, ClaimReview, feed.

* ``POST /api/check`` (JSON; ``Authorization: Bearer <token>``) and the form
  at ``/check`` run :meth:`Corridor.check`. Both are rate-limited per client
  (like ingest), their bodies are capped at ``max_check_body_bytes`` (413),
  and both need an API token because a check is stored.
* How the browser form passes the token: there is no script on any page (the
  CSP forbids it), so the form has a password field ``token`` that is posted
  in the form body with the claim, over the same connection, and used for
  that one request: no cookie, no session, nothing kept in the browser or
  put in a URL. A forged cross-site form cannot know the token; the form
  handler also refuses requests a browser marks as cross-site, and never
  accepts ambient credentials (an ``Authorization`` header a browser might
  replay) in place of the field. After a check the browser is redirected
  (303) to the stored check's page, so reloading it does not re-submit.
* ``GET /checks`` and ``GET /checks/{id}`` (JSON twins under ``/api``) list
  stored checks and show one with its verdict, reason, cited sentences and
  run history; ``GET /api/checks/{id}/claimreview`` is its schema.org
  ClaimReview; ``GET /feeds/checks.atom`` an Atom feed of checks.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..errors import ConfigError, CorridorError, InputError
from ..views.checks import (
    CheckList,
    CheckOut,
    CheckPage,
    CheckSummary,
    check_list,
    check_out,
    check_summary,
)
from ..views.checks import check_page as stored_check_page
from ..views.params import opt, upper_opt
from .deps import (
    Reader,
    base_path,
    config_of,
    handles_of,
    limit,
    require_read,
    require_write,
    spend,
    unauthorized,
    verify,
)
from .feeds import ATOM_TYPE, checks_feed
from .handles import ServiceBusy
from .models import CheckRequest, ErrorOut
from .pages import ERRORS, page, render, router
from .security import cross_origin

__all__ = ["CHECK_PATHS", "VERDICTS"]

log = logging.getLogger("corridor.web")

#: paths whose request bodies are claims (a smaller body limit applies)
CHECK_PATHS = ("/api/check", "/check")
VERDICTS = ("SUPPORTED", "REFUTED", "CONFLICTING", "NOT_ENOUGH_INFO")
LD_JSON = "application/ld+json"


def _run_check(request: Request, secret: str, body: CheckRequest) -> CheckOut:
    """Check the claim on a check handle (blocking: call from a worker thread)."""
    base = base_path(request)
    with handles_of(request).checker(config_of(request).write_wait_seconds) as corridor:
        token = corridor.verify_token(secret, touch=body.save)  # it may be revoked meanwhile
        if token is None:
            raise unauthorized("invalid or revoked API token")
        verdict = corridor.check(body.claim, save=body.save, since=opt(body.since),
                                 until=opt(body.until))
        result = check_out(corridor, verdict, base)
    if verdict.check_id is not None:
        log.info("check %d by token %r: %s", verdict.check_id, token.name, verdict.verdict)
    return result


@router.post(
    "/api/check", response_model=CheckOut, tags=["write"],
    summary="Check a claim against the record: verdict, reason, cited sentences",
    dependencies=[Depends(limit("check"))],
    responses={400: {"model": ErrorOut, "description": "A date that cannot be read"},
               401: {"model": ErrorOut, "description": "No valid API token"},
               413: {"model": ErrorOut, "description": "Request body too large"},
               422: {"description": "Invalid request (e.g. an empty or too long claim)"},
               429: {"model": ErrorOut, "description": "Rate limit: retry after Retry-After s"},
               503: {"model": ErrorOut, "description": "Too many checks in progress"}},
)
def check(request: Request, body: CheckRequest,
          secret: Annotated[str, Depends(require_write)]) -> CheckOut:
    """Needs an API token (a check is stored unless `save` is false). The
    verdict is about the record, attributed to its sources: SUPPORTED,
    REFUTED, CONFLICTING or NOT_ENOUGH_INFO, with a confidence, a plain
    reason and the cited sentences (each with a link to its document page,
    highlighted at the sentence). A claim checked before is recorded as a new
    run of that check; `check_url` is its page."""
    return _run_check(request, secret, body)


# -- the browser form -----------------------------------------------------------------


def _form_page(request: Request, status: int = 200, *, error: str | None = None,
               claim: str = "", since: str = "", until: str = "") -> HTMLResponse:
    response = render(request, "check.html", status=status, section="check", twin=None,
                      error=error, claim=claim, since=since, until=until,
                      max_claim=2000, recent=_recent(request))
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="corridor"'
    return response


def _recent(request: Request) -> list[CheckSummary]:
    try:
        with handles_of(request).reader(wait=5.0) as corridor:
            return [check_summary(c) for c in corridor.checks(limit=5)]
    except (CorridorError, ServiceBusy):
        return []


@router.get("/check", include_in_schema=False, response_class=HTMLResponse,
            dependencies=[Depends(require_read)])
def check_form(request: Request) -> HTMLResponse:
    """The claim-check form (its JSON counterpart is ``POST /api/check``)."""
    return _form_page(request, claim=request.query_params.get("claim", "")[:2000])


@router.post("/check", include_in_schema=False, response_class=HTMLResponse)
async def check_submit(request: Request) -> Response:
    """The form's POST: the token comes from the ``token`` field only; the check
    rate limit (shared with ``POST /api/check``) is spent once the token is valid."""
    if cross_origin(request.headers.get("origin"), request.headers.get("host"),
                    request.headers.get("sec-fetch-site")):
        raise HTTPException(403, "cross-site form submissions are refused")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise HTTPException(415, "send the form as application/x-www-form-urlencoded")
    raw = await request.body()
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=10,
                          strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "the form could not be read") from None

    def field(name: str) -> str:
        return (fields.get(name) or [""])[0]

    claim, since, until, secret = field("claim"), field("since"), field("until"), field("token")
    keep = {"claim": claim[:2000], "since": since[:40], "until": until[:40]}
    if not claim.strip():
        return _form_page(request, 422, error="Write the claim to check.", **keep)
    if len(claim) > 2000:
        return _form_page(request, 422, error="A claim is at most 2000 characters.", **keep)
    if len(since) > 40 or len(until) > 40:
        return _form_page(request, 422, error="Dates are YYYY-MM-DD.", **keep)
    if not secret.strip():
        return _form_page(request, 401, error="An API token is required to store a check "
                          "(create one with `corridor token create NAME`).", **keep)
    try:
        await verify(request, f"Bearer {secret.strip()}", False)
    except HTTPException:
        return _form_page(request, 401, error="That API token is invalid or revoked.", **keep)
    spend(request, "check")
    body = CheckRequest(claim=claim, since=since or None, until=until or None, save=True)
    try:
        result = await run_in_threadpool(_run_check, request, secret.strip(), body)
    except HTTPException as exc:
        if exc.status_code == 401:
            return _form_page(request, 401, error="That API token is invalid or revoked.",
                              **keep)
        raise
    except CorridorError as exc:
        if isinstance(exc, ConfigError | InputError):
            return _form_page(request, 400, error=exc.message, **keep)
        raise
    assert result.check_url is not None
    return RedirectResponse(result.check_url, status_code=303)


# -- stored checks ----------------------------------------------------------------------


@page("/checks", template="checks.html", model=CheckList, section="checks",
      summary="Stored claim checks, most recently run first")
def checks(
    corridor: Reader,
    verdict: Annotated[str | None, Query(max_length=30, description=(
        "SUPPORTED, REFUTED, CONFLICTING or NOT_ENOUGH_INFO"))] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CheckList:
    return check_list(corridor, verdict, limit)


@page("/checks/{check_id}", template="check_page.html", model=CheckPage, section="checks",
      summary="One stored check: verdict, reason, cited sentences, run history")
def check_page(request: Request, corridor: Reader,
               check_id: Annotated[int, Path(ge=1, le=2**62)]) -> CheckPage:
    """The latest verdict with its reason and cited sentences, every earlier run,
    and the earlier checks this claim matched."""
    return stored_check_page(corridor, check_id, base_path(request))


@router.get("/api/checks/{check_id}/claimreview", tags=["read"], response_class=JSONResponse,
            dependencies=[Depends(require_read)], responses={
                **ERRORS, 200: {"content": {LD_JSON: {}},
                                "description": "schema.org ClaimReview (JSON-LD)"}},
            summary="A stored check as schema.org ClaimReview JSON-LD")
def claimreview(corridor: Reader,
                check_id: Annotated[int, Path(ge=1, le=2**62)]) -> JSONResponse:
    """The latest run, for publishing alongside a fact-check (search engines and
    fact-check aggregators read it)."""
    return JSONResponse(corridor.claimreview(check_id), media_type=LD_JSON)


@router.get("/feeds/checks.atom", tags=["read"], dependencies=[Depends(require_read)],
            response_class=Response, summary="Atom feed of claim checks, newest run first",
            responses={200: {"content": {"application/atom+xml": {}}}, **ERRORS})
def checks_atom(
    request: Request,
    corridor: Reader,
    verdict: Annotated[str | None, Query(max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Each entry: the claim, its verdict and reason, a link to the check page."""
    rows = corridor.checks(limit, upper_opt(verdict))
    body = checks_feed(rows, base_url=str(request.base_url).rstrip("/"),
                       self_url=str(request.url))
    return Response(body, media_type=ATOM_TYPE)
