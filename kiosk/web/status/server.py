"""`kiosk serve status`: the ticket status pages for visitors' phones, one aiohttp server.

No app process per phone: one event loop answers every page and poll from one in-memory view
of today (a DayIndex), which a background task renews in a worker thread whenever the store's
change stamp moves (one os.stat every half second; the file lock only when something changed).
A request never touches the disk, except a visitor's cancel, which goes to the store in a
thread.

Tickets are found by their token only. A wrong token is a plain 404 that says nothing more,
and an address that keeps missing is slowed: its misses are answered one at a time, each later
than the one before. Nothing is logged per request (the address bar holds the token); no
cookies; every answer carries headers that keep the page to itself (see SECURITY_HEADERS).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ipaddress
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from kiosk.core.config import Config, ConfigError, load_config
from kiosk.core.errors import IllegalTransition, KioskError, TicketNotFound
from kiosk.core.hours import Hours
from kiosk.core.public_status import (
    DayIndex,
    index_day,
    note_lines,
    overview,
    page_language,
    ticket_view,
    urgent_lines,
)
from kiosk.core.store import Store
from kiosk.core.tickets import Ticket
from kiosk.web.guard import HostPolicy, harden, same_origin
from kiosk.web.status import pages

log = logging.getLogger("kiosk.status")

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {
    "status.css": "text/css",
    "status.js": "text/javascript",
}
"""The only files served from disk (no directory listing, nothing else)."""

CONFIG_CHECK_SECONDS = 5.0
"""How often the config folder's files are looked at (stat calls only)."""

REFRESH_SECONDS = 0.5
"""How often the change stamp is looked at: phones are at most this much behind the store
(plus their own poll interval of 3 s)."""

SECURITY_HEADERS = {
    # Only our own files, no frames, no form posts elsewhere, no inline script.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    # The address holds the ticket's token: never hand it to another site.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

FREE_MISSES = 10
"""Wrong tokens an address may try in MISS_WINDOW before its misses are slowed."""
MISS_WINDOW = 600.0
MISS_DELAY_MAX = 10.0
MISS_TABLE_MAX = 4096
"""Addresses remembered at most (the oldest are forgotten): bounded memory under a flood."""


@dataclass
class _Misses:
    times: collections.deque = field(default_factory=collections.deque)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class MissThrottle:
    """Slows an address that keeps asking for tokens that do not exist.

    Its first FREE_MISSES misses (per MISS_WINDOW seconds) are answered at once; after that
    each further miss waits 0.25 s, 0.5 s, 1 s, ... (at most MISS_DELAY_MAX), one at a time per
    address, so parallel requests do not get around it. Right tokens are never slowed.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._table: collections.OrderedDict[str, _Misses] = collections.OrderedDict()

    def delay_for(self, address: str) -> float:
        """Record a miss of `address`; how long its answer must wait."""
        now = self._clock()
        entry = self._table.pop(address, None) or _Misses()
        self._table[address] = entry  # most recent last
        while len(self._table) > MISS_TABLE_MAX:
            self._table.popitem(last=False)
        while entry.times and now - entry.times[0] > MISS_WINDOW:
            entry.times.popleft()
        entry.times.append(now)
        excess = len(entry.times) - FREE_MISSES
        if excess <= 0:
            return 0.0
        return min(MISS_DELAY_MAX, 0.25 * 2 ** (excess - 1))

    async def miss(self, address: str) -> None:
        delay = self.delay_for(address)
        if delay <= 0:
            return
        entry = self._table.get(address)
        if entry is None:
            await asyncio.sleep(delay)
            return
        async with entry.lock:
            await asyncio.sleep(delay)


def client_address(request: web.Request) -> str:
    """The phone's address: the peer, or behind a reverse proxy on this machine the last
    X-Forwarded-For entry (the one our proxy added; earlier ones can be forged)."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _is_loopback(peer):
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def host_policy(public_url: str, host: str, names=(), proxies=()) -> HostPolicy:
    """Host names answered: public_url's, this machine's own (a proxy on the box may pass
    either), the bound address and `names` (--allow-host); anything else is a DNS-rebinding
    trick or a misconfiguration, refused by kiosk.web.guard like every kiosk web server."""
    public = urlsplit(public_url).hostname or ""
    return HostPolicy.build(host, [public, *names], proxies)


def config_signature(folder: Path) -> tuple:
    """Names, mtimes and sizes of the config folder's files: changes when an admin edits one."""
    entries = []
    for path in sorted(Path(folder).rglob("*")):
        try:
            info = path.stat()
        except OSError:
            continue
        entries.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(entries)


class StatusSource:
    """Today's DayIndex, renewed in a worker thread when the store changed."""

    def __init__(self, store: Any, clock: Any):
        self.store = store
        self.clock = clock
        self.index: DayIndex | None = None
        self._stamp: Any = object()
        self._wake = asyncio.Event()

    def _read(self) -> DayIndex | None:
        """Blocking: the change stamp, and today's snapshot only when it moved."""
        stamp = self.store.change_stamp()
        if stamp == self._stamp and self.index is not None:
            return None
        snapshot = self.store.snapshot()
        self._stamp = snapshot.stamp if snapshot.stamp is not None else stamp
        return index_day(snapshot)

    async def refresh(self) -> DayIndex:
        fresh = await asyncio.to_thread(self._read)
        if fresh is not None:
            self.index = fresh
        assert self.index is not None
        return self.index

    def changed(self) -> None:
        """Look again now (after our own write)."""
        self._stamp = object()
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                await self.refresh()
            except KioskError as error:  # storage unavailable for a moment: keep the last view
                log.warning("cannot read today's tickets: %s", error)
            except Exception:  # never let the page freeze on one bad read
                log.exception("reading today's tickets failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), REFRESH_SECONDS)


@dataclass
class StatusApp:
    config: Config
    store: Any
    clock: Any
    hours: Hours
    source: StatusSource
    throttle: MissThrottle

    def now(self) -> datetime:
        return self.clock.now()

    def index(self) -> DayIndex:
        assert self.source.index is not None, "the server answers only after the first read"
        return self.source.index

    def use_config(self, config: Config) -> None:
        """A changed config that loaded cleanly: new labels, hours and desks from now on."""
        store = Store(self.store.data_dir, config, self.clock)
        self.config, self.store, self.hours = config, store, store.hours
        self.source.store = store
        self.source.changed()

    async def watch_config(self, folder: Path, signature: tuple) -> None:
        """Re-read the config when its files change (every CONFIG_CHECK_SECONDS), like the
        apps do; a broken edit is logged and the last good config stays. `signature` is the
        folder as it was at start: taken before the first answer, so an edit made as soon as
        the server answers is never counted as the starting state."""
        while True:
            await asyncio.sleep(CONFIG_CHECK_SECONDS)
            now = await asyncio.to_thread(config_signature, folder)
            if now == signature:
                continue
            signature = now
            try:
                config = await asyncio.to_thread(load_config, folder)
            except ConfigError as error:
                log.warning(
                    "config in %s changed but cannot be used; keeping the last good one: %s",
                    folder,
                    "; ".join(error.problems),
                )
                continue
            except Exception:
                log.exception("reading the changed config failed; keeping the last good one")
                continue
            self.use_config(config)
            log.info("config re-read from %s", folder)

    async def find(self, token: str) -> Ticket | None:
        """Today's ticket with this token. A token of another day never matches: the index
        holds today only. Before saying no, look at the store once more: a phone may scan the
        code within the half second before the index shows the new ticket."""
        ticket = self.index().by_token.get(token)
        if ticket is None:
            ticket = (await self.source.refresh()).by_token.get(token)
        return ticket


def _json(data: Any) -> web.Response:
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _html(body: str) -> web.Response:
    return web.Response(
        text=body, content_type="text/html", charset="utf-8", headers={"Cache-Control": "no-store"}
    )


NOT_FOUND = "404: Not Found"
SOURCE_TASK = web.AppKey("source_task", asyncio.Task)
CONFIG_TASK = web.AppKey("config_task", asyncio.Task)


def _not_found() -> web.Response:
    return web.Response(status=404, text=NOT_FOUND, headers={"Cache-Control": "no-store"})


def _preferred_language(config: Config, request: web.Request) -> str:
    """?lang=xx, else the first of the phone's Accept-Language the site has, else its first."""
    wanted = request.query.get("lang")
    if wanted:
        return page_language(config, wanted)
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in config.site.languages and code in config.languages:
            return code
    return page_language(config, None)


def make_app(status: StatusApp, config_dir: Path | None = None) -> web.Application:
    """The aiohttp application: routes, security headers, Host check."""

    @web.middleware
    async def headers(request: web.Request, handler):
        try:
            response = await handler(request)
        except web.HTTPException as error:  # unknown route, wrong method: plain, no hints
            response = web.Response(status=error.status, text=f"{error.status}: {error.reason}")
        response.headers.update(SECURITY_HEADERS)
        return response

    async def ticket_page(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        ticket = await status.find(token)
        if ticket is None:
            await status.throttle.miss(client_address(request))
            return _not_found()
        config = status.config
        lang = page_language(config, ticket.lang)
        now = status.now()
        body = pages.ticket_page(
            config,
            lang,
            token,
            ticket_view(config, status.index(), ticket),
            note_lines(config, status.hours, ticket, now),
            urgent_lines(config, lang),
        )
        return _html(body)

    async def ticket_state(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        ticket = await status.find(token)
        if ticket is None:
            await status.throttle.miss(client_address(request))
            return _not_found()
        return _json(ticket_view(status.config, status.index(), ticket))

    async def ticket_cancel(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        # A page of another site must not cancel (it would need the token too).
        if not same_origin(request.headers.get("Origin"), request.get("kiosk_host")):
            return web.Response(status=403, text="403: Forbidden")
        if await status.find(token) is None:
            await status.throttle.miss(client_address(request))
            return _not_found()
        try:
            await asyncio.to_thread(status.store.cancel_by_visitor, token)
        except IllegalTransition:
            pass  # already over (called and done meanwhile, or a second tap): show it as it is
        except TicketNotFound:
            return _not_found()
        status.source.changed()
        await status.source.refresh()
        if "application/json" in request.headers.get("Accept", ""):
            ticket = await status.find(token)
            if ticket is None:
                return _not_found()
            return _json(ticket_view(status.config, status.index(), ticket))
        # Without script the form posts here: back to the page, which shows the new state.
        return web.Response(status=303, headers={"Location": f"/t/{token}"})

    async def overview_page(request: web.Request) -> web.Response:
        lang = _preferred_language(status.config, request)
        data = overview(status.config, status.hours, status.index(), lang, status.now())
        return _html(pages.overview_page(status.config, lang, data))

    async def overview_json(request: web.Request) -> web.Response:
        lang = _preferred_language(status.config, request)
        return _json(overview(status.config, status.hours, status.index(), lang, status.now()))

    files = {name: (STATIC / name).read_bytes() for name in STATIC_FILES}  # read once

    async def static(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in files:
            return _not_found()
        return web.Response(
            body=files[name],
            content_type=STATIC_FILES[name],
            charset="utf-8",
            headers={"Cache-Control": "max-age=300"},
        )

    async def start_source(app: web.Application) -> None:
        await status.source.refresh()  # the first answer already knows today
        # Warm the opening-hours caches (the first overview took 0.7 s without), off the loop.
        first = status.config.site.languages[0]
        await asyncio.to_thread(
            overview, status.config, status.hours, status.index(), first, status.now()
        )
        app[SOURCE_TASK] = asyncio.create_task(status.source.run())
        if config_dir is not None:
            signature = await asyncio.to_thread(config_signature, config_dir)
            app[CONFIG_TASK] = asyncio.create_task(status.watch_config(config_dir, signature))

    async def stop_source(app: web.Application) -> None:
        for key in (SOURCE_TASK, CONFIG_TASK):
            task = app.get(key)
            if task is not None:
                task.cancel()

    app = web.Application(middlewares=[headers], client_max_size=4096)
    app.router.add_get("/", overview_page)
    app.router.add_get("/status.json", overview_json)
    app.router.add_get("/t/{token}", ticket_page)
    app.router.add_get("/t/{token}/state", ticket_state)
    app.router.add_post("/t/{token}/cancel", ticket_cancel)
    app.router.add_get("/static/{name}", static)
    app.on_startup.append(start_source)
    app.on_cleanup.append(stop_source)
    return app


def build(
    config: Config,
    store: Any,
    clock: Any,
    policy: HostPolicy | None = None,
    config_dir: Path | None = None,
) -> web.Application:
    """The status server's application, with the Host check and headers of kiosk.web.guard;
    with `config_dir`, a changed config is re-read while it runs."""
    status = StatusApp(
        config=config,
        store=store,
        clock=clock,
        hours=store.hours,
        source=StatusSource(store, clock),
        throttle=MissThrottle(),
    )
    return harden(
        make_app(status, config_dir),
        policy or host_policy(config.site.status.public_url, "127.0.0.1"),
    )
