"""What the routes depend on: the app's handles and config, a read handle, access control.

Reads are open unless the server runs with ``open_reads`` off; every write
needs an API token (``corridor token create NAME``), checked before the
client's rate limit is spent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..service import Corridor
from .config import WebConfig
from .handles import Handles
from .security import RateLimiter, bearer_secret

__all__ = [
    "Reader",
    "base_path",
    "config_of",
    "get_reader",
    "handles_of",
    "limit",
    "require_read",
    "require_write",
    "spend",
    "unauthorized",
    "verify",
]


def base_path(request: Request) -> str:
    """The app's root path (``""`` unless it is mounted under a prefix)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def handles_of(request: Request) -> Handles:
    handles: Handles = request.app.state.handles
    return handles


def config_of(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


async def get_reader(request: Request) -> AsyncIterator[Corridor]:
    handles = handles_of(request)
    corridor = await handles.acquire()
    try:
        yield corridor
    finally:
        handles.release(corridor)


#: a read handle for the duration of the request
Reader = Annotated[Corridor, Depends(get_reader)]


# -- access control -----------------------------------------------------------------


def unauthorized(detail: str, basic: bool = False) -> HTTPException:
    challenge = 'Bearer realm="corridor"'
    if basic:  # lets a browser ask for the token (as the password) without JavaScript
        challenge += ', Basic realm="corridor", charset="UTF-8"'
    return HTTPException(401, detail, headers={"WWW-Authenticate": challenge})


async def verify(request: Request, authorization: str | None, basic: bool) -> str:
    """The secret of a valid, unrevoked token in ``authorization``, or 401."""
    secret = bearer_secret(authorization)
    if secret is None:
        raise unauthorized("an API token is required (Authorization: Bearer <token>)", basic)
    handles = handles_of(request)
    corridor = await handles.acquire()
    try:
        token = await run_in_threadpool(corridor.verify_token, secret, touch=False)
    finally:
        handles.release(corridor)
    if token is None:
        raise unauthorized("invalid or revoked API token", basic)
    return secret


async def require_read(
    request: Request, authorization: Annotated[str | None, Header(include_in_schema=False)] = None
) -> None:
    """Reads are open unless the server runs with ``open_reads`` off."""
    if not config_of(request).open_reads:
        await verify(request, authorization, basic=True)


async def require_write(
    request: Request,
    authorization: Annotated[str | None, Header(
        description="`Bearer <token>`; create one with `corridor token create NAME`")] = None,
) -> str:
    """The caller's API token secret (checked); every write needs one."""
    return await verify(request, authorization, basic=False)


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
