"""`kiosk serve`: the kiosk, staff or display app in web browsers, through textual-serve.

Every browser connection starts its own app process (`kiosk run`, `kiosk staff` or `kiosk
display` with the same --config, --data and --now); they share the data folder like any other
kiosk processes. The page is our own template (kiosk/web/templates): nothing it loads comes
from anywhere but this server. textual-serve has no authentication, so the server listens on
loopback unless --allow-remote is given, and then warns that something in front must
authenticate.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

HELP = "serve the kiosk, staff or display app to web browsers (one app process per browser)"

APPS: dict[str, str] = {"kiosk": "run", "staff": "staff", "display": "display"}
"""What `kiosk serve APP` runs per browser: APP -> kiosk subcommand."""

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}

REMOTE_WARNING = (
    "listening on {host}, beyond this machine. The browser access has NO "
    "login: anyone who reaches {url} uses the {app} app. Put an authenticating reverse proxy "
    "(with https) in front, above all for staff, and let only it reach this port."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "app",
        nargs="?",
        choices=sorted(APPS),
        default="kiosk",
        help="which app each browser gets (default: kiosk)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host beyond loopback (there is no login: put an authenticating proxy "
        "in front)",
    )
    parser.add_argument(
        "--app-args",
        default="",
        metavar="'OPTIONS'",
        help="options passed on to each app process, in quotes, e.g. "
        "`kiosk serve staff --app-args '--desk 1'`",
    )


def is_loopback(host: str) -> bool:
    """True when `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(app: str, ctx, app_args: list[str] | None = None) -> str:
    """The shell command textual-serve starts per browser (it runs it through a shell).

    Paths are made absolute: the server may be started from anywhere, and the app processes
    must use exactly the folders the server was given.
    """
    parts = [
        sys.executable,
        "-m",
        "kiosk",
        "--config",
        str(Path(ctx.config_dir).resolve()),
        "--data",
        str(Path(ctx.data_dir).resolve()),
    ]
    if ctx.now_text:
        parts += ["--now", ctx.now_text]
    parts.append(APPS[app])
    parts += list(app_args or [])
    return shlex.join(parts)


def page_title(site_name: str, app: str) -> str:
    """The browser tab's title: the service point's name (plus which app, for staff/display)."""
    return site_name if app == "kiosk" else f"{site_name} · {app}"


def same_origin(origin: str | None, host: str | None, forwarded_host: str | None = None) -> bool:
    """Whether a websocket request comes from our own page.

    Browsers send Origin with every websocket request; a page from another site (or a file
    opened on the box) must not drive the apps through the visitor's or staff's browser.
    Clients without Origin (not browsers) are let through: they could forge it anyway.
    """
    if not origin:
        return True
    netloc = urlsplit(origin).netloc.lower()
    allowed = {h.strip().lower() for h in (host, forwarded_host) if h}
    return netloc in allowed


def notify_ready() -> bool:
    """Tell systemd the server listens (READY=1 on $NOTIFY_SOCKET); False when not asked to.

    The units use Type=notify, so a screen unit ordered after kiosk-web starts its browser only
    once the page can be loaded, not while the port is still closed. The variable is then
    removed: the app processes started per browser must not inherit it.
    """
    address = os.environ.pop("NOTIFY_SOCKET", None)
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(b"READY=1")
    except OSError as error:
        logging.getLogger("kiosk.serve").warning("cannot notify systemd (%s): %s", address, error)
        return False
    return True


def make_server(command: str, host: str, port: int, title: str):
    """A textual-serve Server with our page, our logging, and a same-origin websocket check."""
    from aiohttp import web
    from textual_serve.server import Server

    import kiosk.web

    log = logging.getLogger("kiosk.serve")

    class KioskServer(Server):
        connections: set[asyncio.Task] = set()

        async def on_startup(self, app: web.Application) -> None:
            # textual-serve prints its logo and "Serving ..." here, before the port is bound
            # (a lie when the port is taken); _listening says it once it is true.
            pass

        def _listening(self, *_text: object) -> None:
            log.info("listening: %r on http://%s:%s/", self.title, self.host, self.port)
            notify_ready()

        def serve(self, debug: bool = False) -> None:
            # textual-serve's serve(), without its rich handler on the root logger (colour
            # codes in the journal; kiosk.core.logs set up ours) and with aiohttp's "running
            # on" report, made once every site listens, turned into our log line and READY=1.
            self.debug = debug
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.request_exit)
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=self._listening,
            )

        async def on_shutdown(self, app: web.Application) -> None:
            # Without this, a stop (SIGTERM from systemd) waits for every browser to leave:
            # a kiosk tablet never does. Cancelling a connection ends its app process.
            for task in list(self.connections):
                task.cancel()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            origin = request.headers.get("Origin")
            if not same_origin(origin, request.host, request.headers.get("X-Forwarded-Host")):
                log.warning("websocket from a foreign page refused (Origin %s)", origin)
                raise web.HTTPForbidden(text="foreign origin")
            log.info("browser connected from %s: starting an app process", request.remote)
            task = asyncio.current_task()
            if task is not None:
                self.connections.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.connections.discard(task)
                log.info("browser from %s gone: its app process ended", request.remote)

    return KioskServer(
        command, host=host, port=port, title=title, templates_path=kiosk.web.TEMPLATES
    )


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.cli import UsageProblem
    from kiosk.core.logs import setup_logging

    if not 0 < args.port < 65536:
        raise UsageProblem(f"--port {args.port}: give a TCP port between 1 and 65535")
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        raise UsageProblem(
            f"--host {args.host} is reachable from other machines and the browser access has no "
            "login; add --allow-remote if an authenticating proxy is in front"
        )
    config = ctx.load_config()  # a broken config stops here, with every problem listed
    # Not a full-screen app: its log goes to standard error even on a terminal (each line
    # once: nothing is printed beside it).
    log = setup_logging(ctx.data_dir, "serve", to_stderr=True)
    url = f"http://{args.host}:{args.port}/"
    if remote:
        log.warning("%s", REMOTE_WARNING.format(host=args.host, url=url, app=args.app))
    try:
        app_args = shlex.split(args.app_args)
    except ValueError as error:
        raise UsageProblem(f"--app-args: {error}") from None
    command = app_command(args.app, ctx, app_args)
    server = make_server(command, args.host, args.port, page_title(config.site.name, args.app))
    log.info("kiosk serve %s starting: %s (each browser runs: %s)", args.app, url, command)
    try:
        server.serve()
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, error)
        raise UsageProblem(
            f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        ) from None
    log.info("kiosk serve %s stopped", args.app)
    return 0
