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
"""

from __future__ import annotations

import argparse
import os
import pwd
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

HELP = "write systemd units for the kiosk screen, the display screen and kiosk serve"

DEFAULT_OUTPUT = Path("/etc/systemd/system")
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
    "--disable-features=TranslateUI,OverscrollHistoryNavigation",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--incognito",
)
"""Chromium as a kiosk screen: full screen, no bars or bubbles, no swipe-back, nothing fetched."""


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
        "--dry-run", action="store_true", help="print the units instead of writing them"
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

    @property
    def foot_ini(self) -> Path:
        return self.prefix / "deploy" / "foot.ini"


def _quote(path: Path | str) -> str:
    """A word for ExecStart= (systemd's quoting is close enough to the shell's for paths)."""
    text = str(path)
    return text if text and all(c.isalnum() or c in "/._-+:=@,%" for c in text) else f'"{text}"'


def _exec(*words: object) -> str:
    return " ".join(_quote(word) for word in words)


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
        f"Environment=KIOSK_CONFIG={plan.config_dir}\n"
        f"Environment=KIOSK_DATA={plan.data_dir}\n"
        "Environment=LANG=C.UTF-8\n"
        f"WorkingDirectory={plan.data_dir}\n"
        "Restart=always\n"
        "RestartSec=2\n"
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
    """What cage runs on the screen for APP ("kiosk" or "display")."""
    if app == "display" and plan.display_url:
        return ["/usr/bin/chromium", *CHROMIUM_FLAGS, _chromium_profile(), plan.display_url]
    if plan.screen == "browser":
        port = plan.port if app == "kiosk" else plan.port + 2
        return [
            "/usr/bin/chromium",
            *CHROMIUM_FLAGS,
            _chromium_profile(),
            f"http://127.0.0.1:{port}/",
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
        f"ExecStart={_exec('/usr/bin/cage', '-d', '--', *_screen_command(plan, app))}\n"
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
    import kiosk

    return Path(kiosk.__file__).resolve().parent.parent


def make_plan(args: argparse.Namespace, ctx) -> Plan:
    from kiosk.cli import UsageProblem

    kiosk_bin = Path(args.kiosk_bin) if args.kiosk_bin else default_kiosk_bin()
    prefix = Path(args.prefix) if args.prefix else default_prefix()
    if args.display_url and not args.display_url.startswith(("http://", "https://")):
        raise UsageProblem(f"--display-url {args.display_url}: give an http:// or https:// URL")
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
        display_url=args.display_url,
        display_web_host=args.display_web_host,
        backup_dir=Path(os.path.abspath(args.backup_dir)),
        backup_keep=args.backup_keep,
    )


def problems(plan: Plan) -> list[str]:
    """Things that would stop the services on this machine (warnings; files are still written)."""
    found = []
    if not os.access(plan.kiosk_bin, os.X_OK):
        found.append(f"{plan.kiosk_bin} is not an executable file (give --kiosk-bin)")
    if not (plan.config_dir / "site.toml").is_file():
        found.append(f"{plan.config_dir}/site.toml is missing (give --config DIR)")
    if plan.screen == "terminal" and not plan.foot_ini.is_file():
        found.append(f"{plan.foot_ini} is missing (give --prefix, the folder of the clone)")
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


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.cli import UsageProblem

    plan = make_plan(args, ctx)
    written = units(plan)
    if args.dry_run:
        for name, text in written.items():
            print(f"# ---- {args.output / name}\n{text}")
        return 0
    try:
        args.output.mkdir(parents=True, exist_ok=True)
        for name, text in written.items():
            (args.output / name).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageProblem(f"cannot write into {args.output}: {error.strerror or error}") from None
    print(f"Wrote {len(written)} units into {args.output}:")
    for name in written:
        print(f"  {args.output / name}")
    for problem in problems(plan):
        print(f"warning: {problem}", file=sys.stderr)
    names = " ".join(shlex.quote(str(args.output / name)) for name in written)
    print(
        "Next:\n"
        f"  systemd-analyze verify {names}\n"
        "  systemctl daemon-reload\n"
        "  systemctl enable --now kiosk-screen.service      # the entrance box\n"
        "  systemctl enable --now kiosk-backup.timer        # the box that holds the data\n"
        "  systemctl set-default graphical.target"
    )
    return 0
