"""What the HTTP service may do: limits and switches, secure by default.

Kept apart from :class:`corridor.settings.Settings` (which governs ingest and
the store) because these only make sense for a server. ``corridor serve``
fills them from its options.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

__all__ = ["LOOPBACK_HOSTS", "WebConfig", "default_allowed_hosts", "is_loopback"]

#: Host header values accepted by default (a server bound to loopback). Any
#: other name is refused, which defeats DNS-rebinding attacks on a local server.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback address (127.0.0.0/8, ::1)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_allowed_hosts(bind: str) -> tuple[str, ...]:
    """Host header names a server bound to ``bind`` accepts when not told.

    On a loopback address: the localhost names and the bound address itself
    (``--host 127.0.0.2`` is reached as ``http://127.0.0.2:PORT/``, so that
    Host must pass); elsewhere any name (``("*",)``).
    """
    if not is_loopback(bind):
        return ("*",)
    own = bind.strip().strip("[]").lower()
    return LOOPBACK_HOSTS if own in LOOPBACK_HOSTS else (*LOOPBACK_HOSTS, own)


@dataclass(frozen=True)
class WebConfig:
    #: fetch URLs on private / loopback addresses when ingesting over HTTP
    #: (SSRF). Off unless the operator passes ``--allow-private-urls``.
    allow_private_urls: bool = False
    #: read endpoints (search, documents, stats...) without a token
    open_reads: bool = True
    #: accepted Host header names; ``("*",)`` accepts any
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    #: largest request body, in bytes (413 beyond; checked on Content-Length
    #: and counted while the body streams in)
    max_body_bytes: int = 5_000_000
    #: ingest requests per minute per client, sustained (429 beyond)
    ingest_per_minute: float = 30.0
    #: ingest requests a client may send at once before the rate applies
    ingest_burst: int = 10
    #: claim checks per minute per client, sustained (429 beyond); a check
    #: costs about a second of CPU
    check_per_minute: float = 20.0
    #: checks a client may send at once before the rate applies
    check_burst: int = 5
    #: largest body of a check request (``POST /api/check``, ``POST /check``):
    #: a claim is at most 2000 characters, so anything far larger is refused
    #: (413) before it is read into memory
    max_check_body_bytes: int = 16_384
    #: checks computed at the same time (the rest wait, then 503): they are
    #: CPU-bound, and each holds a read handle that searches also need
    check_concurrency: int = 2
    #: load parsers and models in a background thread at start-up, so the
    #: first ingest or check does not wait for them (``corridor serve`` sets it)
    warm_up: bool = False
    #: run ingests in a separate worker process at a lower CPU priority, so
    #: reads never wait for ingest work (:mod:`corridor.web.ingest_job`;
    #: ``corridor serve`` sets it). Off: ingests run on a thread of the server
    #: (and with an in-memory database or a given ``Corridor``, always)
    ingest_process: bool = False
    #: at most this many URLs / articles in one ingest request (422 beyond)
    max_urls: int = 20
    max_articles: int = 500
    #: database handles for concurrent reads (SQLite WAL: readers never wait
    #: for the writer)
    readers: int = 8
    #: seconds a write waits for the single writer before answering 503
    write_wait_seconds: float = 30.0

    def __post_init__(self) -> None:
        if min(self.max_body_bytes, self.readers, self.ingest_burst, self.check_burst,
               self.max_check_body_bytes, self.check_concurrency) < 1:
            raise ValueError("max_body_bytes, max_check_body_bytes, readers, ingest_burst, "
                             "check_burst and check_concurrency must be >= 1")
        if self.ingest_per_minute <= 0 or self.check_per_minute <= 0:
            raise ValueError("ingest_per_minute and check_per_minute must be > 0")
