"""`kiosk install-services`: write the systemd units that run the kiosk for real.

Units (all paths absolute: a service manager has no useful working directory):
  kiosk-web.service          `kiosk serve kiosk`   on 127.0.0.1:PORT     (browser screen, tablets)
  kiosk-staff-web.service    `kiosk serve staff`   on 127.0.0.1:PORT+1   (behind an authenticating proxy)
  kiosk-display-web.service  `kiosk serve display` on 127.0.0.1:PORT+2   (a display box's browser)
  kiosk-screen.service       the entrance screen: cage (a Wayland kiosk compositor) on tty1
                             running foot + `kiosk run` (--screen terminal) or Chromium in kiosk
                             mode on kiosk-web (--screen browser)
  kiosk-display.service      the same for a box that drives the waiting-room screen
  kiosk-backup.timer         daily `kiosk backup BACKUP-DIR --keep N` (kiosk-backup.service)
Every unit restarts on failure (Restart=always, and never gives up: StartLimitIntervalSec=0)
and gets KIOSK_CONFIG and KIOSK_DATA. The kiosk serve units are Type=notify: a screen ordered
after kiosk-web starts its browser once the page can be loaded.

The screen's settings (rotation, font size, the kiosk's URL) and kiosk serve's (session
limit, allowed host names, proxies) live in one settings file (/etc/default/kiosk) that the
units read: re-running install-services (the update procedure) keeps them, and an option
given changes only its own value. With a Chromium screen it also writes a managed policy
(/etc/chromium/policies/managed/kiosk.json) that turns off what the flags cannot.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HELP = "write systemd units for the kiosk screen, the display screen and kiosk serve"

DEFAULT_OUTPUT = Path("/etc/systemd/system")
DEFAULT_SETTINGS = Path("/etc/default/kiosk")
DEFAULT_POLICY_DIR = Path("/etc/chromium/policies/managed")
POLICY_NAME = "kiosk.json"
ROTATIONS = (0, 90, 180, 270)
"""Degrees clockwise; a portrait screen is 90 or 270. cage 0.1.4 (Debian 12) turns the output
with -r per 90 degrees, and maps the touch panel with it."""
DEFAULT_BACKUP_DIR = Path("/var/backups/kiosk")
BACKUP_TIME = "20:30"
"""Daily, after the last opening hour; a box that was off then catches up at boot."""
SCREEN_TTY = "tty1"

CHROMIUM_FLAGS = (
    "--kiosk",
    "--ozone-platform=wayland",
    "--touch-events=enabled",
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-translate",
    "--disable-features=TranslateUI,OverscrollHistoryNavigation,NetworkTimeServiceQuerying,"
    "AutofillServerCommunication,OptimizationHints,MediaRouter",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-component-extensions-with-background-pages",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--no-pings",
    "--incognito",
    # The display calls numbers aloud and the kiosk speaks (site.toml [accessibility]); nobody
    # taps the display first, so sound must play without a gesture.
    "--autoplay-policy=no-user-gesture-required",
)
"""Chromium as a kiosk screen: full screen, no bars or bubbles, no swipe-back, no extensions.

Not enough on their own: started with only these flags (headless, with a net log) Chromium
still asked clients2.google.com (network time), update.googleapis.com (a component),
content-autofill.googleapis.com, optimizationguide-pa.googleapis.com and accounts.google.com
(signed-in accounts). The policy (`chromium_policy`) stops the network time, autofill and
optimisation-guide requests; the component updater and the accounts check have no switch
that turns them off, so `_own_origin_flags` points them at the kiosk server itself (which
answers 404). tests/browser/test_browser_offline.py runs the units' command line and fails on any
other host in the net log."""


def _own_origin_flags(origin: str) -> tuple[str, ...]:
    return (f"--gaia-url={origin}/", f"--component-updater=url-source={origin}/")


def chromium_policy(origins: list[str]) -> dict[str, object]:
    """Chromium's managed policy for a kiosk screen: nothing that calls home, and no page but
    the kiosk's own (`origins`, e.g. http://127.0.0.1:8000)."""
    return {
        "BrowserNetworkTimeQueriesEnabled": False,
        "ComponentUpdatesEnabled": False,
        "BrowserSignin": 0,
        "SyncDisabled": True,
        "MetricsReportingEnabled": False,
        "UrlKeyedAnonymizedDataCollectionEnabled": False,
        "SafeBrowsingProtectionLevel": 0,
        "SearchSuggestEnabled": False,
        "NetworkPredictionOptions": 2,
        "AlternateErrorPagesEnabled": False,
        "SpellCheckServiceEnabled": False,
        "SpellcheckEnabled": False,
        "TranslateEnabled": False,
        "AutofillAddressEnabled": False,
        "AutofillCreditCardEnabled": False,
        "PasswordManagerEnabled": False,
        "DnsOverHttpsMode": "off",
        "EnableMediaRouter": False,
        "BackgroundModeEnabled": False,
        "DefaultBrowserSettingEnabled": False,
        "PromotionalTabsEnabled": False,
        "DeveloperToolsAvailability": 2,
        "BrowserGuestModeEnabled": False,
        "BrowserAddPersonEnabled": False,
        "URLBlocklist": ["*"],
        "URLAllowlist": sorted(set(origins)),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user", default="kiosk", help="system user the services run as (default kiosk)"
    )
    parser.add_argument(
        "--prefix",
        metavar="DIR",
        help="the software's folder (the git clone with deploy/; default: this one)",
    )
    parser.add_argument(
        "--kiosk-bin",
        metavar="PATH",
        help="the kiosk executable (default: `kiosk` beside this Python, i.e. this venv's)",
    )
    parser.add_argument(
        "--output",
        metavar="DIR",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where the unit files go (default {DEFAULT_OUTPUT})",
    )
    parser.add_argument(
        "--screen",
        choices=("terminal", "browser"),
        default="terminal",
        help="the entrance and display screens: foot terminal (keyboard/keypad) or Chromium "
        "on kiosk serve (touch screens); default terminal",
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="kiosk-web port; staff +1, display +2 (8000)"
    )
    parser.add_argument(
        "--display-url",
        metavar="URL",
        help="kiosk-display.service shows this page in Chromium instead (a display box "
        "whose kiosk runs on another machine)",
    )
    parser.add_argument(
        "--display-web-host",
        metavar="HOST",
        default="127.0.0.1",
        help="address kiosk-display-web listens on (default 127.0.0.1); another one lets a "
        "display box's browser reach it (it shows numbers only; no login)",
    )
    parser.add_argument(
        "--backup-dir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_BACKUP_DIR,
        help=f"where kiosk-backup.timer puts the daily backup (default {DEFAULT_BACKUP_DIR}; "
        "copy it off the box)",
    )
    parser.add_argument(
        "--backup-keep",
        metavar="N",
        type=int,
        default=14,
        help="daily backups kept in --backup-dir (default 14)",
    )
    parser.add_argument(
        "--rotation",
        type=int,
        choices=ROTATIONS,
        default=None,
        help="turn the screen by this many degrees clockwise (portrait: 90 or 270); kept "
        "in the settings file (default 0)",
    )
    parser.add_argument(
        "--font-size",
        metavar="PX|auto",
        default=None,
        help="browser screens: text size in CSS pixels, or auto (sized to the screen); kept "
        "in the settings file (default auto)",
    )
    parser.add_argument(
        "--kiosk-url",
        metavar="URL",
        default=None,
        help="the page the browser entrance screen shows (default http://127.0.0.1:PORT/); "
        "kept in the settings file",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        metavar="N",
        default=None,
        help="kiosk serve: browsers served at once per app (default 3); kept in the settings",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        default=None,
        help="kiosk serve: a host name browsers may use (the box's name behind a proxy); "
        "repeat for more; kept in the settings",
    )
    parser.add_argument(
        "--proxy",
        action="append",
        metavar="ADDRESS",
        default=None,
        help="kiosk serve: a reverse proxy's address whose X-Forwarded-Host counts; kept",
    )
    parser.add_argument(
        "--settings",
        metavar="FILE",
        type=Path,
        default=DEFAULT_SETTINGS,
        help=f"the settings file the units read (default {DEFAULT_SETTINGS}); its values are "
        "kept when install-services runs again",
    )
    parser.add_argument(
        "--policy-dir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_POLICY_DIR,
        help=f"where Chromium's managed policy goes (default {DEFAULT_POLICY_DIR})",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the units, settings and policy (and the warnings) instead of writing them",
    )
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="write the units even when files they name are missing here (for another machine)",
    )


@dataclass(frozen=True)
class Plan:
    """Everything the units need, all absolute."""

    user: str
    kiosk_bin: Path
    prefix: Path
    config_dir: Path
    data_dir: Path
    screen: str = "terminal"
    port: int = 8000
    display_url: str | None = None
    display_web_host: str = "127.0.0.1"
    backup_dir: Path = DEFAULT_BACKUP_DIR
    backup_keep: int = 14
    settings_path: Path = DEFAULT_SETTINGS
    policy_dir: Path = DEFAULT_POLICY_DIR
    rotation: int = 0
    font_size: str = "auto"
    kiosk_url: str | None = None
    max_sessions: int = 3
    allow_hosts: tuple[str, ...] = field(default_factory=tuple)
    proxies: tuple[str, ...] = field(default_factory=tuple)

    @property
    def foot_ini(self) -> Path:
        return self.prefix / "deploy" / "foot.ini"

    @property
    def uses_chromium(self) -> bool:
        return self.screen == "browser" or self.display_url is not None

    def screen_url(self, app: str) -> str:
        """The page a browser screen shows for APP ("kiosk" or "display")."""
        if app == "display":
            if self.display_url:
                return self.display_url
            base = f"http://127.0.0.1:{self.port + 2}/"
        else:
            base = self.kiosk_url or f"http://127.0.0.1:{self.port}/"
        if self.font_size == "auto":
            return base
        parts = urlsplit(base)
        query = (parts.query + "&" if parts.query else "") + urlencode({"fontsize": self.font_size})
        return parts._replace(query=query).geturl()

    def origins(self) -> list[str]:
        found = []
        for app in ("kiosk", "display"):
            parts = urlsplit(self.screen_url(app))
            found.append(f"{parts.scheme}://{parts.netloc}")
        return found


def _quote(path: Path | str) -> str:
    """A word for ExecStart= (systemd's quoting is close enough to the shell's for paths)."""
    text = str(path)
    # $, { and }: ${NAME} from the settings file, expanded by systemd into one word
    return text if text and all(c.isalnum() or c in "/._-+:=@,%${}" for c in text) else f'"{text}"'


def _exec(*words: object) -> str:
    return " ".join(_quote(word) for word in words)


SETTINGS_HEAD = """\
# Settings of the kiosk's services, written by `kiosk install-services` and read by its units
# (EnvironmentFile=). Running install-services again keeps these values; an option given
# (--rotation, --font-size, --kiosk-url, --display-url, --max-sessions, --allow-host,
# --proxy) changes its own. After a hand edit: systemctl try-restart 'kiosk-*'.
"""


def settings_text(plan: Plan) -> str:
    """The settings file: the values the options chose, then what the units use from them."""
    lines = {
        "KIOSK_ROTATION": str(plan.rotation),
        "KIOSK_FONT_SIZE": plan.font_size,
        "KIOSK_URL": plan.kiosk_url or "",
        "KIOSK_DISPLAY_URL": plan.display_url or "",
        "KIOSK_SERVE_MAX_SESSIONS": str(plan.max_sessions),
        "KIOSK_SERVE_ALLOW_HOSTS": " ".join(plan.allow_hosts),
        "KIOSK_SERVE_PROXIES": " ".join(plan.proxies),
    }
    derived = {
        # cage turns the output (and the touch panel with it) 90 degrees per -r
        "KIOSK_CAGE_OPTIONS": " ".join(["-r"] * (plan.rotation // 90)),
        "KIOSK_SCREEN_URL": plan.screen_url("kiosk"),
        "KIOSK_DISPLAY_SCREEN_URL": plan.screen_url("display"),
        "KIOSK_SCREEN_ORIGIN": plan.origins()[0],
        "KIOSK_DISPLAY_SCREEN_ORIGIN": plan.origins()[1],
    }
    text = SETTINGS_HEAD
    text += "".join(f'{key}="{value}"\n' for key, value in lines.items())
    text += "# Made from the values above (install-services writes them again):\n"
    text += "".join(f'{key}="{value}"\n' for key, value in derived.items())
    return text


def read_settings(path: Path) -> dict[str, str]:
    """KEY=value lines of an existing settings file (quotes removed); {} when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        from kiosk.cli import UsageProblem

        raise UsageProblem(f"cannot read {path}: {error.strerror or error}") from None
    found = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            found[key.strip()] = value.strip().strip('"').strip("'")
    return found


def _unit_head(plan: Plan, description: str) -> str:
    return (
        "[Unit]\n"
        f"Description={description}\n"
        "Documentation=file://" + str(plan.prefix / "README.md") + "\n"
        # systemd stops restarting a unit that failed 5 times in 10 s (say, a broken config
        # while the technician edits it): an entrance screen must come back when it is fixed.
        "StartLimitIntervalSec=0\n"
    )


def _common_service(plan: Plan) -> str:
    return (
        f"User={plan.user}\n"
        # "-": a unit still starts without it (then with the built-in defaults)
        f"EnvironmentFile=-{plan.settings_path}\n"
        f"Environment=KIOSK_CONFIG={plan.config_dir}\n"
        f"Environment=KIOSK_DATA={plan.data_dir}\n"
        "Environment=LANG=C.UTF-8\n"
        f"WorkingDirectory={plan.data_dir}\n"
        "Restart=always\n"
        "RestartSec=2\n"
        # Files the kiosk makes (day files, logs, CSV) are not for other users on the box.
        "UMask=0027\n"
    )


def serve_unit(plan: Plan, app: str, port: int, host: str = "127.0.0.1") -> str:
    """A `kiosk serve APP` service (on loopback unless told otherwise)."""
    from kiosk.cli.serve import is_loopback

    what = {"kiosk": "visitor kiosk", "staff": "staff app", "display": "public display"}[app]
    remote = [] if is_loopback(host) else ["--allow-remote"]
    return (
        _unit_head(plan, f"Service-Point check-in: the {what} for browsers on {host}:{port}")
        + "After=network.target local-fs.target\n"
        "\n"
        "[Service]\n"
        # READY=1 once the port listens (kiosk serve sends it): units ordered after this one
        # start then, not while the port is still closed.
        "Type=notify\n"
        f"ExecStart={_exec(plan.kiosk_bin, 'serve', app, '--host', host, '--port', port, *remote)}\n"
        + _common_service(plan)
        + "NoNewPrivileges=yes\n"
        "PrivateTmp=yes\n"
        "ProtectSystem=full\n"
        "\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n"
    )


def _screen_command(plan: Plan, app: str) -> list[object]:
    """What cage runs on the screen for APP ("kiosk" or "display").

    The page and its origin come from the settings file (${...}: one word each, as systemd
    expands them), so a changed --kiosk-url or --font-size needs no new unit.
    """
    if (app == "display" and plan.display_url) or plan.screen == "browser":
        prefix = "KIOSK_SCREEN" if app == "kiosk" else "KIOSK_DISPLAY_SCREEN"
        return [
            "/usr/bin/chromium",
            *CHROMIUM_FLAGS,
            *_own_origin_flags(f"${{{prefix}_ORIGIN}}"),
            _chromium_profile(),
            f"${{{prefix}_URL}}",
        ]
    subcommand = "run" if app == "kiosk" else "display"
    return ["/usr/bin/foot", f"--config={plan.foot_ini}", plan.kiosk_bin, subcommand]


def _chromium_profile() -> str:
    # CacheDirectory= below makes /var/cache/kiosk-browser, owned by the service's user.
    return "--user-data-dir=/var/cache/kiosk-browser"


def screen_unit(plan: Plan, app: str) -> str:
    """cage on tty1, logged in through PAM so logind hands it the screen, keyboard and touch."""
    name = "entrance kiosk screen" if app == "kiosk" else "waiting-room display screen"
    other = "kiosk-display.service" if app == "kiosk" else "kiosk-screen.service"
    needs = ""
    if plan.screen == "browser" and not (app == "display" and plan.display_url):
        web = "kiosk-web.service" if app == "kiosk" else "kiosk-display-web.service"
        needs = f"Wants={web}\nAfter={web}\n"
    cache = (
        "CacheDirectory=kiosk-browser\n" if "chromium" in str(_screen_command(plan, app)) else ""
    )
    return (
        _unit_head(plan, f"Service-Point check-in: the {name} (cage on {SCREEN_TTY})")
        + "After=systemd-user-sessions.service plymouth-quit-wait.service\n"
        "Wants=dbus.socket systemd-logind.service\n"
        "After=dbus.socket systemd-logind.service\n"
        f"Conflicts=getty@{SCREEN_TTY}.service {other}\n"
        f"After=getty@{SCREEN_TTY}.service\n" + needs + "ConditionPathExists=/dev/tty0\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        # $KIOSK_CAGE_OPTIONS (no braces): zero or more words, the rotation
        f"ExecStart={_exec('/usr/bin/cage', '-d')} $KIOSK_CAGE_OPTIONS "
        f"{_exec('--', *_screen_command(plan, app))}\n"
        + _common_service(plan)
        + cache
        + "PAMName=login\n"
        f"TTYPath=/dev/{SCREEN_TTY}\n"
        "TTYReset=yes\n"
        "TTYVHangup=yes\n"
        "TTYVTDisallocate=yes\n"
        "StandardInput=tty-fail\n"
        "StandardOutput=journal\n"
        "StandardError=journal\n"
        f"UtmpIdentifier={SCREEN_TTY}\n"
        "UtmpMode=user\n"
        "\n"
        "[Install]\n"
        "WantedBy=graphical.target\n"
    )


def backup_units(plan: Plan) -> tuple[str, str]:
    """kiosk-backup.service (one backup, safe while the kiosk runs) and its daily timer."""
    service = (
        _unit_head(plan, "Service-Point check-in: back up the data folder")
        + "After=local-fs.target\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        # "+": as root, so the folder can be made under /var/backups for the service's user
        f"ExecStartPre=+{_exec('/usr/bin/install', '-d', '-o', plan.user, '-m', '0750', plan.backup_dir)}\n"
        f"ExecStart={_exec(plan.kiosk_bin, 'backup', plan.backup_dir, '--keep', plan.backup_keep)}\n"
        f"User={plan.user}\n"
        "UMask=0027\n"
        f"Environment=KIOSK_CONFIG={plan.config_dir}\n"
        f"Environment=KIOSK_DATA={plan.data_dir}\n"
        "Environment=LANG=C.UTF-8\n"
        f"WorkingDirectory={plan.data_dir}\n"
        "NoNewPrivileges=yes\n"
        "PrivateTmp=yes\n"
        "ProtectSystem=full\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Service-Point check-in: daily backup of the data folder at {BACKUP_TIME}\n"
        "Documentation=file://" + str(plan.prefix / "README.md") + "\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {BACKUP_TIME}:00\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return service, timer


def units(plan: Plan) -> dict[str, str]:
    """File name -> text of every unit for this plan."""
    backup_service, backup_timer = backup_units(plan)
    return {
        "kiosk-web.service": serve_unit(plan, "kiosk", plan.port),
        "kiosk-staff-web.service": serve_unit(plan, "staff", plan.port + 1),
        "kiosk-display-web.service": serve_unit(
            plan, "display", plan.port + 2, plan.display_web_host
        ),
        "kiosk-screen.service": screen_unit(plan, "kiosk"),
        "kiosk-display.service": screen_unit(plan, "display"),
        "kiosk-backup.service": backup_service,
        "kiosk-backup.timer": backup_timer,
    }


def default_kiosk_bin() -> Path:
    # Not resolved: a venv's python is a symlink to the system one, and the venv must stay.
    return Path(os.path.abspath(sys.executable)).parent / "kiosk"


def default_prefix() -> Path:
    """The clone this package runs from; for a pip/pipx install the files it installed under
    <venv>/share/servicepoint-kiosk (deploy/foot.ini, README.md)."""
    import kiosk

    clone = Path(kiosk.__file__).resolve().parent.parent
    installed = Path(sys.prefix) / "share" / "servicepoint-kiosk"
    if not (clone / "deploy").is_dir() and (installed / "deploy").is_dir():
        return installed
    return clone


def _font_size(text: str, where: str) -> str:
    from kiosk.cli import UsageProblem

    if text == "auto":
        return text
    if text.isdigit() and 8 <= int(text) <= 96:
        return str(int(text))
    raise UsageProblem(f"{where} {text}: give a size in CSS pixels from 8 to 96, or auto")


def _url(text: str, where: str) -> str:
    from kiosk.cli import UsageProblem

    if not text.startswith(("http://", "https://")) or not urlsplit(text).netloc:
        raise UsageProblem(f"{where} {text}: give an http:// or https:// URL")
    return text


def make_plan(args: argparse.Namespace, ctx) -> Plan:
    from kiosk.cli import UsageProblem

    kiosk_bin = Path(args.kiosk_bin) if args.kiosk_bin else default_kiosk_bin()
    prefix = Path(args.prefix) if args.prefix else default_prefix()
    settings_path = Path(os.path.abspath(args.settings))
    kept = read_settings(settings_path)
    where = str(settings_path) + ":"

    def chosen(option: object, name: str, key: str) -> tuple[object, str]:
        """The option if given, else the value kept in the settings file, else None."""
        if option is not None:
            return option, name
        return (kept.get(key) or None), f"{where} {key}="

    display_url, display_from = chosen(args.display_url, "--display-url", "KIOSK_DISPLAY_URL")
    if display_url:
        display_url = _url(str(display_url), display_from)
    kiosk_url, kiosk_from = chosen(args.kiosk_url, "--kiosk-url", "KIOSK_URL")
    if kiosk_url:
        kiosk_url = _url(str(kiosk_url), kiosk_from)
    font_size, font_from = chosen(args.font_size, "--font-size", "KIOSK_FONT_SIZE")
    font_size = _font_size(str(font_size or "auto"), font_from)
    rotation, rotation_from = chosen(args.rotation, "--rotation", "KIOSK_ROTATION")
    if str(rotation or 0) not in {str(r) for r in ROTATIONS}:
        raise UsageProblem(f"{rotation_from} {rotation}: give 0, 90, 180 or 270")
    sessions, sessions_from = chosen(
        args.max_sessions, "--max-sessions", "KIOSK_SERVE_MAX_SESSIONS"
    )
    try:
        max_sessions = 3 if sessions is None else int(str(sessions))
    except ValueError:
        max_sessions = 0
    if not 1 <= max_sessions <= 100:
        raise UsageProblem(f"{sessions_from} {sessions}: give a number from 1 to 100")
    hosts = args.allow_host
    if hosts is None:
        hosts = kept.get("KIOSK_SERVE_ALLOW_HOSTS", "").split()
    proxies = args.proxy
    if proxies is None:
        proxies = kept.get("KIOSK_SERVE_PROXIES", "").split()
    if not 0 < args.port < 65534:
        raise UsageProblem(f"--port {args.port}: give a TCP port between 1 and 65533")
    if args.backup_keep < 1:
        raise UsageProblem(f"--backup-keep {args.backup_keep}: keep at least 1 backup")
    return Plan(
        user=args.user,
        kiosk_bin=Path(os.path.abspath(kiosk_bin)),
        prefix=Path(os.path.abspath(prefix)),
        config_dir=Path(os.path.abspath(ctx.config_dir)),
        data_dir=Path(os.path.abspath(ctx.data_dir)),
        screen=args.screen,
        port=args.port,
        display_url=display_url,
        display_web_host=args.display_web_host,
        backup_dir=Path(os.path.abspath(args.backup_dir)),
        backup_keep=args.backup_keep,
        settings_path=settings_path,
        policy_dir=Path(os.path.abspath(args.policy_dir)),
        rotation=int(rotation or 0),
        font_size=font_size,
        kiosk_url=kiosk_url,
        max_sessions=max_sessions,
        allow_hosts=tuple(hosts),
        proxies=tuple(proxies),
    )


def missing_files(plan: Plan) -> list[str]:
    """Files the units name that are not on this machine: the units would never start."""
    found = []
    if not os.access(plan.kiosk_bin, os.X_OK):
        found.append(f"{plan.kiosk_bin} is not an executable file (give --kiosk-bin)")
    if not (plan.config_dir / "site.toml").is_file():
        found.append(f"{plan.config_dir}/site.toml is missing (give --config DIR)")
    if plan.screen == "terminal" and not plan.foot_ini.is_file():
        found.append(f"{plan.foot_ini} is missing (give --prefix, the folder of the clone)")
    return found


def problems(plan: Plan) -> list[str]:
    """Things that would stop the services on this machine: missing files, user, tools."""
    found = missing_files(plan)
    try:
        pwd.getpwnam(plan.user)
    except KeyError:
        found.append(
            f"no user {plan.user!r}: create it with "
            f"`useradd --system --create-home --home-dir /home/{plan.user} "
            f"--groups video,input,render {plan.user}`"
        )
    for tool, package in (
        ("/usr/bin/cage", "cage xwayland"),
        ("/usr/bin/foot" if plan.screen == "terminal" else "/usr/bin/chromium", None),
    ):
        if not os.access(tool, os.X_OK):
            package = package or Path(tool).name
            found.append(f"{tool} missing: apt-get install {package} (for the screen units)")
    return found


def files(plan: Plan, output: Path) -> dict[Path, str]:
    """Every file install-services writes: the units, the settings, and Chromium's policy."""
    written = {output / name: text for name, text in units(plan).items()}
    written[plan.settings_path] = settings_text(plan)
    if plan.uses_chromium:
        policy = json.dumps(chromium_policy(plan.origins()), indent=2) + "\n"
        written[plan.policy_dir / POLICY_NAME] = policy
    return written


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.cli import UsageProblem

    plan = make_plan(args, ctx)
    written = files(plan, args.output)
    unit_paths = [path for path in written if path.parent == args.output]
    if args.dry_run:
        for path, text in written.items():
            print(f"# ---- {path}\n{text}")
    else:
        missing = [] if args.no_check else missing_files(plan)
        if missing:
            for line in missing:
                print(f"kiosk: {line}", file=sys.stderr)
            print(
                "kiosk: nothing written: the units would not start (--no-check writes them "
                "anyway, e.g. for another machine)",
                file=sys.stderr,
            )
            return 2
        try:
            for path, text in written.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageProblem(f"cannot write {path}: {error.strerror or error}") from None
        print(f"Wrote {len(written)} files:")
        for path in written:
            print(f"  {path}")
    for problem in problems(plan):
        print(f"warning: {problem}", file=sys.stderr)
    if args.dry_run:
        return 0
    names = " ".join(shlex.quote(str(path)) for path in unit_paths)
    print(
        "Next:\n"
        f"  systemd-analyze verify {names}\n"
        "  systemctl daemon-reload\n"
        "  systemctl enable --now kiosk-screen.service      # the entrance box\n"
        "  systemctl enable --now kiosk-backup.timer        # the box that holds the data\n"
        "  systemctl set-default graphical.target"
    )
    return 0
