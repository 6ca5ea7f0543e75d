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
import contextlib
import ipaddress
import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path

HELP = (
    "serve the kiosk, staff or display app to web browsers (one app process per browser), "
    "or the status page for visitors' phones"
)

APPS: dict[str, str] = {"kiosk": "run", "staff": "staff", "display": "display"}
"""What `kiosk serve APP` runs per browser: APP -> kiosk subcommand."""

DEFAULT_MAX_SESSIONS = 3
"""Live browser sessions per served app: a screen, a spare tablet, one reload in flight. Each
session is an app process (about 45 MB): without a limit, 200 connections made 8.8 GB."""

QUIT_GRACE = 0.3
"""Seconds an app process gets to quit by itself after its browser left, before SIGTERM (the
visitor app and the display ignore textual-serve's quit request: nobody may end them)."""
TERM_GRACE = 1.2
"""Seconds after SIGTERM before SIGKILL: the process is gone within 2 s of its socket closing."""

TOUCH_ENV = "KIOSK_TOUCH"
"""Set to 1 for an app process whose page runs on a touch screen (websocket path ws/touch)."""

REMOTE_WARNING = (
    "listening on {host}, beyond this machine. The browser access has NO "
    "login: anyone who reaches {url} uses the {app} app. Put an authenticating reverse proxy "
    "(with https) in front, above all for staff, and let only it reach this port."
)


def _words(text: str | None) -> list[str]:
    """Names from an environment variable: separated by spaces or commas."""
    return [word for word in (text or "").replace(",", " ").split() if word]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "app",
        nargs="?",
        choices=sorted([*APPS, "status"]),
        default="kiosk",
        help="which app each browser gets (default: kiosk); status: the ticket status page "
        "for visitors' phones (needs [status] in site.toml; one server, no app processes)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="TCP port (default 8000; status: 8003)"
    )
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
    parser.add_argument(
        "--max-sessions",
        type=int,
        metavar="N",
        default=None,
        help=f"browsers served at once; the next one gets a 'too many screens open' page "
        f"(default {DEFAULT_MAX_SESSIONS}, or KIOSK_SERVE_MAX_SESSIONS)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        default=None,
        help="a host name browsers may use besides localhost and the --host address (the "
        "box's name behind a proxy, say); repeat for more (or KIOSK_SERVE_ALLOW_HOSTS)",
    )
    parser.add_argument(
        "--proxy",
        action="append",
        metavar="ADDRESS",
        default=None,
        help="address of a reverse proxy whose X-Forwarded-Host counts; from anyone else that "
        "header is refused; repeat for more (or KIOSK_SERVE_PROXIES)",
    )


def is_loopback(host: str) -> bool:
    """True when `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    from kiosk.web.guard import is_loopback as loopback

    return loopback(host)


def app_command(app: str, ctx, app_args: list[str] | None = None) -> str:
    """The command line started per browser (run without a shell: one process, not two).

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


def font_size_choice(text: str | None) -> str:
    """The page's ?fontsize=: a size in CSS px (8-96), or "auto" (sized to the screen)."""
    try:
        size = int(text or "")
    except ValueError:
        return "auto"
    return str(size) if 8 <= size <= 96 else "auto"


def make_server(
    command: str,
    host: str,
    port: int,
    title: str,
    *,
    app: str = "kiosk",
    policy=None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    screen_width_mm: int = 0,
):
    """A textual-serve Server with our page, our logging, the guard (kiosk.web.guard), a
    session limit and app processes that end with their socket."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    import kiosk.web
    from kiosk.web.guard import HostPolicy, harden, same_origin

    log = logging.getLogger("kiosk.serve")
    policy = policy or HostPolicy.build(host)

    class AppProcess(AppService):
        """One browser's app process: started without a shell in its own process group, and
        stopped for sure: asked to quit, then SIGTERM, then SIGKILL, within 2 s."""

        extra_environment: dict[str, str] = {}

        async def _open_app_process(self, width: int = 80, height: int = 24):
            environment = self._build_environment(width=width, height=height)
            environment.update(self.extra_environment)
            self._process = process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
            )
            self._stdin = process.stdin
            return process

        def _signal(self, signum: int) -> None:
            if self._process is not None and self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signum)

        async def stop(self) -> None:
            task, self._task = self._task, None
            process = self._process
            if task is None or process is None:
                return
            await self.send_meta({"type": "quit"})
            for grace, signum in ((QUIT_GRACE, signal.SIGTERM), (TERM_GRACE, signal.SIGKILL)):
                try:
                    await asyncio.wait_for(process.wait(), grace)
                    break
                except TimeoutError:
                    level = logging.INFO if signum == signal.SIGTERM else logging.WARNING
                    log.log(level, "app process %s still running: %s", process.pid, signum.name)
                    self._signal(signum)
            await process.wait()
            await task  # reads the rest of its output, then ends (stdout closed)

    class KioskServer(Server):
        connections: set[asyncio.Task] = set()
        sessions: set[object] = set()

        async def _make_app(self) -> web.Application:
            # textual-serve's routes without its directory listings (show_index), and its
            # download route only for sound (speech, calls): no kiosk app hands out files.
            application = web.Application()
            aiohttp_jinja2.setup(application, loader=jinja2.FileSystemLoader(self.templates_path))
            application.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/ws/touch", self.handle_websocket, name="websocket-touch"),
                    web.static("/static", self.statics_path, show_index=False, name="static"),
                    web.get("/download/{key}", self.handle_sound, name="download"),
                ]
            )
            application.on_startup.append(self.on_startup)
            application.on_shutdown.append(self.on_shutdown)
            return harden(application, policy)

        async def handle_sound(self, request: web.Request) -> web.StreamResponse:
            """One announcement an app delivered (App.deliver_binary), for its page to play
            (kiosk.ui.sound); anything but audio is not served."""
            try:
                meta = await self.download_manager.get_download_metadata(request.match_info["key"])
            except KeyError:
                raise web.HTTPNotFound(text="no such sound\n") from None
            if not str(meta.mime_type).startswith("audio/"):
                log.warning("an app offered a %s file: not served", meta.mime_type)
                raise web.HTTPNotFound(text="no such sound\n")
            return await self.handle_download(request)

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

        def _full(self) -> bool:
            return len(self.sessions) >= max_sessions

        def _busy_page(self, request: web.Request) -> web.Response:
            response = aiohttp_jinja2.render_template(
                "busy.html",
                request,
                {"application": {"name": self.title}, "limit": max_sessions},
                status=503,
            )
            response.headers["Retry-After"] = "5"
            return response

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if self._full():
                return self._busy_page(request)
            touch = request.query.get("touch", "auto")
            font_size = font_size_choice(request.query.get("fontsize"))
            if font_size == "auto" and app == "staff":
                font_size = "16"  # staff PCs: many columns for the queue, not arm's length
            return aiohttp_jinja2.render_template(
                "app_index.html",
                request,
                {
                    "application": {"name": self.title},
                    "font_size": font_size,
                    "touch": touch if touch in ("0", "1") else "auto",
                    # The staff app is typed into; kiosk and display never raise a keyboard.
                    "keyboard": "on" if app == "staff" else "off",
                    # Large text (?large=1 or the kiosk's button) is sized from the screen.
                    "large_text": "on" if app == "kiosk" else "off",
                    "screen_width_mm": screen_width_mm,
                },
            )

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            origin = request.headers.get("Origin")
            if not same_origin(origin, request.get("kiosk_host")):
                log.warning("websocket from a foreign page refused (Origin %s)", origin)
                raise web.HTTPForbidden(text="foreign origin")
            websocket = web.WebSocketResponse(heartbeat=15)
            if not websocket.can_prepare(request).ok:
                raise web.HTTPBadRequest(text="This address takes websocket connections only.\n")
            if self._full():
                log.warning(
                    "browser from %s refused: %d sessions open (--max-sessions)",
                    request.remote,
                    len(self.sessions),
                )
                raise web.HTTPServiceUnavailable(
                    text="Too many screens open.\n", headers={"Retry-After": "5"}
                )
            touch = request.path.endswith("/touch")
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            session = AppProcess(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            session.extra_environment = {TOUCH_ENV: "1"} if touch else {}
            self.sessions.add(session)
            task = asyncio.current_task()
            if task is not None:
                self.connections.add(task)
            log.info(
                "browser connected from %s%s: starting an app process (%d of %d)",
                request.remote,
                " (touch screen)" if touch else "",
                len(self.sessions),
                max_sessions,
            )
            try:
                await websocket.prepare(request)
                await session.start(width, height)
                await self._process_messages(websocket, session)
            except asyncio.CancelledError:
                await websocket.close()
            except (ConnectionError, ValueError, AssertionError) as error:
                # a browser that sends nonsense or vanishes mid-message: not our error
                log.warning("browser from %s: %s", request.remote, error)
            finally:
                try:
                    await asyncio.shield(session.stop())
                finally:
                    self.sessions.discard(session)
                    self.connections.discard(task)
                    log.info("browser from %s gone: its app process ended", request.remote)
            return websocket

    return KioskServer(
        command, host=host, port=port, title=title, templates_path=kiosk.web.TEMPLATES
    )


STATUS_PORT = 8003  # 8000-8002: kiosk, staff and display (install-services)

STATUS_REMOTE_NOTE = (
    "status page listening on %s:%s, beyond this machine: phones reach it as %s. It has no "
    "login by design (a ticket's page needs its token); staff apps must not share this port."
)


def run_status(args: argparse.Namespace, ctx, config, remote: bool) -> int:
    """`kiosk serve status`: one aiohttp server for every phone (kiosk.web.status)."""
    from kiosk.cli import UsageProblem
    from kiosk.core.logs import setup_logging

    public_url = config.site.status.public_url
    if not public_url:
        raise UsageProblem(
            f"{Path(ctx.config_dir) / 'site.toml'}: no [status] public_url, so the status page is "
            "off (tickets' QR codes hold the take-away note); set it to the address phones use"
        )
    if args.app_args:
        raise UsageProblem("--app-args: the status page runs no app processes")
    log = setup_logging(ctx.data_dir, "serve-status", to_stderr=True)
    if remote:
        log.warning(STATUS_REMOTE_NOTE, args.host, args.port, public_url)
    from aiohttp import web

    from kiosk.core.store import Store
    from kiosk.web.status.server import build, host_policy

    names = args.allow_host or _words(os.environ.get("KIOSK_SERVE_ALLOW_HOSTS"))
    proxies = args.proxy or _words(os.environ.get("KIOSK_SERVE_PROXIES"))
    policy = host_policy(public_url, args.host, names, proxies)
    clock = ctx.clock(config)
    store = Store(ctx.data_dir, config, clock)
    app = build(config, store, clock, policy, config_dir=Path(ctx.config_dir))

    def listening(*_text: object) -> None:
        log.info(
            "status page listening on http://%s:%s/ (phones open %s/t/<token>)",
            args.host,
            args.port,
            public_url,
        )
        notify_ready()

    try:
        # No access log: every ticket page's address holds its token.
        web.run_app(app, host=args.host, port=args.port, access_log=None, print=listening)
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, error)
        raise UsageProblem(
            f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        ) from None
    log.info("kiosk serve status stopped")
    return 0


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.cli import UsageProblem
    from kiosk.core.logs import setup_logging

    if args.port is None:
        args.port = STATUS_PORT if args.app == "status" else 8000
    if not 0 < args.port < 65536:
        raise UsageProblem(f"--port {args.port}: give a TCP port between 1 and 65535")
    remote = not is_loopback(args.host)
    if remote and not args.allow_remote:
        raise UsageProblem(
            f"--host {args.host} is reachable from other machines and the browser access has no "
            "login; add --allow-remote if an authenticating proxy is in front"
        )
    config = ctx.load_config()  # a broken config stops here, with every problem listed
    if args.app == "status":
        return run_status(args, ctx, config, remote)
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
    from kiosk.web.guard import HostPolicy

    max_sessions = args.max_sessions
    if max_sessions is None:
        text = os.environ.get("KIOSK_SERVE_MAX_SESSIONS", "").strip()
        try:
            max_sessions = int(text) if text else DEFAULT_MAX_SESSIONS
        except ValueError:
            raise UsageProblem(
                f"KIOSK_SERVE_MAX_SESSIONS={text!r}: give a whole number of sessions"
            ) from None
    if not 1 <= max_sessions <= 100:
        raise UsageProblem(f"--max-sessions {max_sessions}: give a number from 1 to 100")
    names = args.allow_host or _words(os.environ.get("KIOSK_SERVE_ALLOW_HOSTS"))
    proxies = args.proxy or _words(os.environ.get("KIOSK_SERVE_PROXIES"))
    for proxy in proxies:
        try:
            ipaddress.ip_address(proxy)
        except ValueError:
            raise UsageProblem(
                f"--proxy {proxy}: give the proxy's IP address as it connects (e.g. 127.0.0.1)"
            ) from None
    policy = HostPolicy.build(args.host, names, proxies)
    command = app_command(args.app, ctx, app_args)
    server = make_server(
        command,
        args.host,
        args.port,
        page_title(config.site.name, args.app),
        app=args.app,
        policy=policy,
        max_sessions=max_sessions,
        screen_width_mm=config.site.accessibility.screen_width_mm,
    )
    if names or proxies:
        log.info("allowed host names: %s; proxies: %s", names or "-", proxies or "-")
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
