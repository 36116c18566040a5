"""Security for the HTTP service: headers, Host check, body limit, rate limit, tokens.

* :class:`SecurityHeaders` adds a strict Content-Security-Policy (no script
  at all, styles only from this server) and the usual hardening headers to
  every response.
* :class:`HostCheck` refuses a Host header that is not allowed (DNS rebinding
  against a server on localhost).
* :class:`BodyLimit` answers 413 when Content-Length is over the limit, and
  otherwise counts the body as it streams in (chunked uploads, lying
  clients) and answers 413 as soon as the count passes the limit. The body is
  buffered (at most the limit) and replayed to the application.
* :class:`RateLimiter`: a token bucket per (action, client).
* :func:`bearer_secret` reads an API token from ``Authorization: Bearer`` or
  from the password of ``Authorization: Basic`` (so a browser can log in
  without JavaScript when reads need a token).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CSP",
    "BodyLimit",
    "HostCheck",
    "RateLimiter",
    "SecurityHeaders",
    "bearer_secret",
    "check_fetch_url",
    "cross_origin",
    "host_of",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: no script anywhere, styles and images only from this server
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()), *(headers or [])],
    })
    await send({"type": "http.response.body", "body": data})


class SecurityHeaders:
    """Add CSP and hardening headers to every HTTP response (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_of(header: str) -> str:
    """The host name of a Host header, without port; IPv6 without brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """400 for a request whose Host header names a host not allowed."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.any = "*" in allowed
        self.allowed = {h.strip("[]").lower() for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.any:
            headers = dict(scope.get("headers") or [])
            host = host_of(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed:
                await _send_json(send, 400, {"detail": "invalid Host header", "code": "host"})
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """413 for a body over ``limit`` bytes: by Content-Length, then by counting.

    ``per_path`` sets a smaller limit for some paths (e.g. a claim check,
    whose body is a sentence, not a batch of articles). A body over such a
    path's limit but within the default limit is read and discarded (never
    kept) before the 413, so the client, which is still sending, gets the
    answer instead of a reset connection; past the default limit the
    connection is closed at once.
    """

    def __init__(self, app: ASGIApp, limit: int, per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = limit
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        root = str(scope.get("root_path", ""))
        if root and path.startswith(root):
            path = path[len(root):]
        limit = self.per_path.get(path.rstrip("/") or "/", self.default)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            text = declared.decode("latin-1").strip()
            if not text.isdigit():
                await _send_json(send, 400, {"detail": "invalid Content-Length",
                                             "code": "bad_request"})
                return
            if int(text) > limit:
                drained = int(text) <= self.default and await self._drain(receive, 0)
                await self._too_large(send, limit, close=not drained)
                return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                drained = (not message.get("more_body", False)
                           or await self._drain(receive, len(body)))
                await self._too_large(send, limit, close=not drained)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _drain(self, receive: Receive, seen: int) -> bool:
        """Read the rest of the body without keeping it; False past the default limit."""
        while seen <= self.default:
            message = await receive()
            if message["type"] == "http.disconnect":
                return False
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return seen <= self.default
        return False

    @staticmethod
    async def _too_large(send: Send, limit: int, close: bool = True) -> None:
        detail = f"request body over the {limit}-byte limit"
        await _send_json(send, 413, {"detail": detail, "code": "too_large"},
                         [(b"connection", b"close")] if close else [])


class RateLimiter:
    """Token buckets per key: ``burst`` requests at once, then ``per_minute``.

    Thread-safe; remembers at most ``max_keys`` clients (least recently seen
    are forgotten first, which only ever gives a client a full bucket again).
    """

    def __init__(self, per_minute: float, burst: int, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when allowed (one token taken), else seconds until the next token."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))


def bearer_secret(authorization: str | None) -> str | None:
    """The token in ``Bearer <token>``, or the password in ``Basic base64(user:token)``."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def check_fetch_url(url: str) -> str | None:
    """Why ``url`` may not be fetched over the API (None when it may).

    Only absolute http(s) URLs with a host: never a local path, ``file:``,
    ``ftp:``, ``data:``... Private and loopback addresses are refused later, at
    connection time, by :mod:`corridor.ingest.fetch` (after DNS resolution).
    """
    try:
        parts = urlsplit(url.strip())
        _ = parts.port
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'a local path'!r}"
    if not parts.hostname:
        return "the URL has no host"
    if parts.username or parts.password:
        return "URLs with credentials are not fetched"
    return None


def cross_origin(origin: str | None, host: str | None, fetch_site: str | None) -> bool:
    """True when a browser says a request comes from another site.

    ``Sec-Fetch-Site: cross-site`` or an ``Origin`` whose host:port differs
    from the ``Host`` header. ``Origin: null`` tells nothing (browsers send it
    for same-origin posts from a page with ``Referrer-Policy: no-referrer``,
    as every page here has), and a request without either header (curl, a
    test client) is not cross-origin: the token it must carry is the
    protection.
    """
    if fetch_site and fetch_site.strip().lower() == "cross-site":
        return True
    if not origin or origin.strip().lower() == "null":
        return False
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return True
    return parts.netloc.lower() != (host or "").strip().lower()
