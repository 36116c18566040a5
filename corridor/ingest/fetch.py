"""Fetch one http(s) URL safely: the bytes, the final URL and the declared type.

Standard library only (``urllib.request``), with these guarantees:

* only ``http`` and ``https`` (redirects to any other scheme are refused);
* with ``settings.allow_private_urls`` off, every connection (the first one and
  every redirect) resolves the host itself, refuses it when *any* resolved
  address is private, loopback, link-local, reserved, multicast or otherwise
  not globally routable, and then connects only to the addresses it checked
  (no second lookup, so no DNS-rebinding window);
* ``settings.fetch_timeout`` bounds each socket operation *and* the whole
  download, so a server trickling bytes cannot hold a worker forever;
* the body is streamed and abandoned with :class:`~corridor.errors.TooLarge`
  past ``settings.max_bytes`` (also after gzip/deflate decompression);
* environment proxies are not used (a proxy would hide the real peer from the
  private-address check);
* a URL with non-ASCII characters (an Urdu or Chinese path, an
  internationalised host name) is sent in its ASCII form (:func:`encode_url`:
  IDNA host, percent-encoded path and query, existing ``%XX`` escapes kept);
  the address check applies to the host that form names;
* every failure is a :class:`~corridor.errors.FetchError` with a readable
  reason ("HTTP 404 Not Found for <url>", "connection refused", "timed out"),
  never an encoding error from deep inside ``http.client``.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from ..errors import FetchError, TooLarge, UnsupportedInput
from ..settings import Settings

__all__ = ["MAX_URL_CHARS", "Fetched", "encode_url", "fetch_url", "forbidden_address_reason"]

_CHUNK = 64 * 1024
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/feed+json,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_SCHEMES = ("http", "https")
#: longest URL fetched, in its encoded (ASCII) form; most servers refuse 8 KB+
MAX_URL_CHARS = 16_384
#: characters left as they are in a path (RFC 3986 pchar and "/"), and ``%``
#: (a lone ``%`` not starting an escape is encoded first)
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_USER_SAFE = ":!$&'()*+,;=-._~%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: an ASCII host name once IDNA-encoded (underscores occur in real names)
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")

Address = tuple[str, int]
Connector = Callable[..., socket.socket]


@dataclass
class Fetched:
    """What a fetch returned: final URL (after redirects), body, type and charset."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None


def fetch_url(url: str, settings: Settings) -> Fetched:
    """Download ``url`` (http/https) under the limits in ``settings``.

    ``url`` may hold any Unicode (it is sent as :func:`encode_url` gives it);
    the returned ``Fetched.url`` is ``url`` itself unless a redirect moved it.
    Raises UnsupportedInput for other schemes, TooLarge past ``max_bytes`` and
    FetchError for everything else that goes wrong (a URL that cannot be
    encoded included).
    """
    _check_url(url)
    sent = encode_url(url)
    deadline = time.monotonic() + settings.fetch_timeout
    opener = _build_opener(settings.allow_private_urls)
    try:
        request = urllib.request.Request(
            sent,
            headers={
                "User-Agent": settings.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
        )
        with opener.open(request, timeout=settings.fetch_timeout) as resp:
            fetched = _read_response(resp, url, settings, deadline)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib refused the redirect (loop, scheme)
            raise FetchError(f"HTTP {exc.code}: {exc.reason} for {url}") from exc
        raise FetchError(f"HTTP {exc.code} {_phrase(exc.code, exc.reason)} for {url}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"{_describe(exc.reason, settings)} for {url}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{_describe(exc, settings)} for {url}") from exc
    except zlib.error as exc:
        raise FetchError(f"corrupt compressed body from {url}: {exc}") from exc
    except ValueError as exc:  # UnicodeError included: whatever the URL made urllib do
        raise FetchError(f"cannot fetch {url!r}: {type(exc).__name__}: {exc}") from exc
    if fetched.url == sent:
        fetched.url = url
    return fetched


def encode_url(url: str) -> str:
    """``url`` in the ASCII form that goes on the wire.

    The host is IDNA-encoded (``新闻.example`` -> ``xn--efvy88h.example``;
    full-width digits and dots are folded, so ``１２７.０.０.１`` is
    ``127.0.0.1``, which the address check then refuses like any other
    spelling); the user, path, query and fragment are percent-encoded as
    UTF-8, keeping the ``%XX`` escapes already there (a lone ``%`` becomes
    ``%25``). An ASCII URL that needs nothing comes back unchanged, and
    encoding twice changes nothing more. Raises FetchError for what cannot be
    encoded: a lone surrogate, a host that is not a valid name or address,
    a result over :data:`MAX_URL_CHARS`.
    """
    if _SURROGATE.search(url):
        raise FetchError(f"invalid URL {_shown(url)}: it holds a lone surrogate "
                         "(not valid Unicode text)")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL {_shown(url)}: {exc}") from exc
    host = _ascii_host(parts.hostname or "", url)
    netloc = host
    if port is not None:
        netloc += f":{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else None
    if userinfo is not None:
        netloc = f"{_quote(userinfo, _USER_SAFE)}@{netloc}"
    encoded = urlunsplit((
        parts.scheme.lower(), netloc, _quote(parts.path, _PATH_SAFE),
        _quote(parts.query, _QUERY_SAFE), _quote(parts.fragment, _QUERY_SAFE)))
    if len(encoded) > MAX_URL_CHARS:
        raise FetchError(f"URL is {len(encoded)} characters long once encoded, over the "
                         f"{MAX_URL_CHARS}-character limit: {_shown(url)}")
    return encoded


def _quote(text: str, safe: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", text), safe=safe, encoding="utf-8", errors="strict")


def _ascii_host(host: str, url: str) -> str:
    """The host as it is looked up: IDNA for a name, bracketed for IPv6."""
    if not host:
        return host  # _check_url reports a missing host
    if ":" in host:  # urlsplit took it from inside [...]
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError as exc:
            raise FetchError(f"invalid IPv6 address in {_shown(url)}") from exc
        return f"[{_quote(host, ':.%')}]"
    try:
        if "%" in host:  # a percent-encoded name (RFC 3986 allows it): its UTF-8 text
            host = unquote(host, errors="strict")
        name = host.encode("idna").decode("ascii").lower()
    except ValueError as exc:  # UnicodeError included
        raise FetchError(f"invalid host name in {_shown(url)}: {_idna_reason(exc)}") from exc
    if not _HOST_NAME.fullmatch(name) or len(name.rstrip(".")) > 253:
        raise FetchError(f"invalid host name in {_shown(url)}")
    return name


def _idna_reason(exc: ValueError) -> str:
    text = str(exc)
    return "a label is empty or over 63 characters" if "empty or too long" in text else text


def _shown(url: str, limit: int = 200) -> str:
    """A URL for a message: printable (lone surrogates escaped) and cut to ``limit``."""
    text = url.encode("utf-8", "backslashreplace").decode("utf-8")
    return repr(text if len(text) <= limit else text[:limit] + "...")


def forbidden_address_reason(address: str) -> str | None:
    """Why an IP address must not be fetched when private URLs are off, or None.

    Besides what :mod:`ipaddress` calls private, loopback, link-local,
    reserved, multicast or not global: all of 192.0.0.0/24 and 192.88.99.0/24,
    site-local ``fec0::/10``, and IPv6 addresses that carry an IPv4 address
    (IPv4-mapped, 6to4 ``2002::/16``, Teredo, NAT64 ``64:ff9b::/96``,
    IPv4-compatible ``::a.b.c.d``) whose IPv4 address would be refused.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv6Address):
        for kind, inner in _embedded_ipv4(ip):
            reason = forbidden_address_reason(str(inner))
            if reason:
                return f"{reason} ({kind} address for {inner})"
        if ip.is_site_local:
            return "site-local"
    elif any(ip in net for net in _REFUSED_V4):
        return "reserved"
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    for label, hit in checks:
        if hit:
            return label
    return None


#: IPv4 ranges refused besides what ipaddress knows: IETF protocol assignments
#: (Python's tables hold only parts of the /24) and the old 6to4 relay anycast
_REFUSED_V4 = (ipaddress.IPv4Network("192.0.0.0/24"), ipaddress.IPv4Network("192.88.99.0/24"))
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, with the mechanism's name."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo", client), ("Teredo", server)]
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64:
        found.append(("NAT64", low))
    if ip in _V4_COMPATIBLE and int(ip) > 1:
        found.append(("IPv4-compatible", low))
    return found


# -- URL and connection checks ----------------------------------------------


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in _SCHEMES:
        shown = parts.scheme or "none"
        raise UnsupportedInput(
            f"unsupported URL scheme {shown!r} in {url!r}; only http and https are fetched"
        )
    if not parts.hostname:
        raise FetchError(f"URL has no host: {url!r}")
    if port == 0:
        raise FetchError(f"invalid port 0 in {url!r}")


def _guarded_connect(
    address: Address, timeout: Any = None, source_address: Address | None = None
) -> socket.socket:
    """``socket.create_connection`` that refuses non-public peers.

    Resolves once, checks every address, then connects only to those.
    """
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"DNS lookup failed for host {host!r}: {exc.strerror}") from exc
    for *_, sockaddr in infos:
        reason = forbidden_address_reason(str(sockaddr[0]))
        if reason:
            raise FetchError(
                f"refused to fetch from {host!r}: it resolves to {sockaddr[0]}, a {reason} "
                "address (set allow_private_urls to allow this)"
            )
    return _connect_first(infos, timeout, source_address)


def _connect_first(infos: list[Any], timeout: Any, source_address: Address | None) -> socket.socket:
    last: OSError | None = None
    for family, kind, proto, _canon, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if isinstance(timeout, int | float):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            last = exc
            sock.close()
    raise last or OSError("no address to connect to")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connect


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connect


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_GuardedHTTPSConnection, req, context=ssl.create_default_context())


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s); the connection guard checks the new host."""

    max_redirections = 10

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        try:
            scheme = urlsplit(newurl).scheme.lower()
        except ValueError as exc:
            raise FetchError(f"refused redirect from {req.full_url} to an invalid URL "
                             f"{_shown(newurl)}: {exc}") from exc
        if scheme not in _SCHEMES:
            raise FetchError(f"refused redirect from {req.full_url} to non-http URL {newurl!r}")
        return super().redirect_request(req, fp, code, msg, headers, encode_url(newurl))


def _build_opener(allow_private: bool) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({}),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _RedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    if allow_private:
        handlers += [urllib.request.HTTPHandler(), urllib.request.HTTPSHandler()]
    else:
        handlers += [_GuardedHTTPHandler(), _GuardedHTTPSHandler()]
    for handler in handlers:
        opener.add_handler(handler)
    return opener


# -- reading the body -------------------------------------------------------


def _read_response(resp: Any, url: str, settings: Settings, deadline: float) -> Fetched:
    headers = resp.headers
    length = headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > settings.max_bytes:
        raise TooLarge(f"{url} is {int(length)} bytes, over the {settings.max_bytes}-byte limit")
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    body = _read_body(resp, encoding, url, settings, deadline)
    content_type = headers.get_content_type() if headers.get("Content-Type") else None
    return Fetched(
        url=resp.geturl(),
        content=body,
        content_type=content_type,
        charset=headers.get_content_charset(),
    )


def _read_body(resp: Any, encoding: str, url: str, settings: Settings, deadline: float) -> bytes:
    decoder = _decoder(encoding, url)
    limit = settings.max_bytes
    parts: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {settings.fetch_timeout:g} s reading {url}")
        chunk = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
        if not chunk:
            break
        if decoder is not None:
            chunk = decoder.decompress(chunk, limit + 1 - size)
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{url} is larger than the {limit}-byte limit")
        parts.append(chunk)
    if decoder is not None:
        tail = decoder.flush()
        if size + len(tail) > limit:
            raise TooLarge(f"{url} is larger than the {limit}-byte limit")
        parts.append(tail)
    return b"".join(parts)


def _decoder(encoding: str, url: str) -> Any:
    if encoding in ("identity", ""):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(47)  # zlib or gzip header, detected
    raise FetchError(f"unsupported Content-Encoding {encoding!r} from {url}")


def _phrase(code: int, reason: object) -> str:
    """The standard reason phrase ("Not Found"), else what the server said."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return str(reason or "").strip() or "error"


def _describe(reason: object, settings: Settings) -> str:
    """A short human reason for a low-level network error."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return f"timed out after {settings.fetch_timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"DNS lookup failed ({reason.strerror})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    if isinstance(reason, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(reason, http.client.HTTPException):
        return f"bad HTTP response ({type(reason).__name__}: {reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return f"network error ({reason.strerror})"
    return f"network error ({reason})"
