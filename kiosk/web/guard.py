"""What every kiosk web server checks and adds: allowed Host names, safe headers, quiet errors.

Shared by `kiosk serve` and any other small aiohttp server of the kiosk (a status page, say):
build a `HostPolicy`, then `harden(app, policy)` on the aiohttp Application.

Why a Host check: the servers listen on loopback and have no login. A web page from anywhere,
opened in the kiosk's own browser, can make its name point at 127.0.0.1 ("DNS rebinding");
the browser then counts our server as that page's own origin. Such requests carry that foreign
name in Host, so only names the admin allows are answered.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # aiohttp is imported when a server is built: `kiosk --help` stays quick
    from aiohttp import web

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
SERVER_NAME = "kiosk"
"""The Server header: names no software and no version."""

SECURITY_HEADERS = {
    # Nobody may show our pages inside a frame of theirs (clicks smuggled onto the kiosk).
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        # the page plays the speech the app sends (fetched from /download/, then a blob:)
        "media-src 'self' blob:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
"""Added to every answer. The page's scripts and styles are inline, hence 'unsafe-inline'."""

log = logging.getLogger("kiosk.serve")


def host_name(host: str | None) -> str:
    """The name in a Host header value, lower case, without port or IPv6 brackets."""
    if not host:
        return ""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def is_loopback(host: str) -> bool:
    """True when `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().lower().strip("[]")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostPolicy:
    """Which Host names a server answers, and whose X-Forwarded-Host it believes.

    Allowed: loopback names and addresses, the address the server is bound to (and the local
    address a connection arrived on: a literal address cannot be rebound), and `names`.
    X-Forwarded-Host counts only on requests from an address in `proxies`; from anyone else
    it is refused, and what a named proxy forwards must pass the same check.
    """

    bound: str = "127.0.0.1"
    names: frozenset[str] = field(default_factory=frozenset)
    proxies: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls, bound: str, names: Iterable[str] = (), proxies: Iterable[str] = ()
    ) -> HostPolicy:
        return cls(
            bound=host_name(bound) or bound,
            names=frozenset(n.strip().lower() for n in names if n.strip()),
            proxies=frozenset(p.strip().lower() for p in proxies if p.strip()),
        )

    def allows_name(self, host: str, local_address: str | None = None) -> bool:
        name = host_name(host)
        if not name:
            return False
        if name in self.names or name == self.bound.lower() or is_loopback(name):
            return True
        return local_address is not None and _is_address(name) and name == local_address.lower()

    def effective_host(self, request: web.BaseRequest) -> str | None:
        """The host the browser asked for, or None when it must be refused."""
        local = None
        if request.transport is not None:
            sockname = request.transport.get_extra_info("sockname")
            if sockname:
                local = str(sockname[0])
        forwarded = request.headers.get("X-Forwarded-Host")
        if forwarded is not None:
            if (request.remote or "").lower() not in self.proxies:
                return None
            # A chain of proxies appends: the first value is what the browser asked for.
            host = forwarded.split(",")[0].strip()
        else:
            host = request.headers.get("Host", "")
        return host if self.allows_name(host, local) else None


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a websocket request comes from our own page (`host`: the checked Host).

    Browsers send Origin with every websocket request; a page from another site (or a file
    opened on the box) must not drive the apps through the visitor's or staff's browser.
    Clients without Origin (not browsers) are let through: they could forge it anyway.
    """
    if not origin:
        return True
    return bool(host) and urlsplit(origin).netloc.lower() == host.strip().lower()


Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


def host_check(policy: HostPolicy):
    """aiohttp middleware: 403 for a Host (or X-Forwarded-Host) the policy does not allow."""
    from aiohttp import web

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = policy.effective_host(request)
        if host is None:
            log.warning(
                "refused a request for host %r (X-Forwarded-Host %r) from %s: not an allowed "
                "name (--allow-host) or not from a named proxy (--proxy)",
                request.headers.get("Host"),
                request.headers.get("X-Forwarded-Host"),
                request.remote,
            )
            raise web.HTTPForbidden(text="This server does not answer for that host name.\n")
        request["kiosk_host"] = host
        return await handler(request)

    return check


async def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER_NAME


class _OneLineBadRequests(logging.Filter):
    """aiohttp logs a malformed request (headers too long, not HTTP) with a traceback: a
    stranger's bad bytes are not our error. One warning line in our log instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, HttpProcessingError):
            return True
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        detail = str(error.message).splitlines()[0][:120] if error.message else ""
        log.warning("bad request from %s refused (%s): %s", remote, error.code, detail)
        return False


_ONE_LINE = _OneLineBadRequests()


def harden(app: web.Application, policy: HostPolicy) -> web.Application:
    """Add the Host check, the safety headers and quiet bad-request logging to `app`."""
    from aiohttp import web_response as _aiohttp_response

    app.middlewares.insert(0, host_check(policy))
    app.on_response_prepare.append(_add_headers)
    # Answers aiohttp makes by itself (a request it cannot parse) skip the application's
    # signals; its default Server header names aiohttp and Python with their versions.
    _aiohttp_response.SERVER_SOFTWARE = SERVER_NAME  # type: ignore[attr-defined]
    server_log = logging.getLogger("aiohttp.server")
    if _ONE_LINE not in server_log.filters:
        server_log.addFilter(_ONE_LINE)
    return app
