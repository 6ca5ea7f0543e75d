"""The `kiosk` command: one entry point, subcommands in modules beside this one.

Each subcommand module defines `HELP` (one line), `add_arguments(parser)` and
`run(args, ctx) -> int`. Common options (--config, --data, --now) are accepted before and after
the subcommand, and from KIOSK_CONFIG, KIOSK_DATA, KIOSK_NOW; each subcommand takes only those
that mean something to it (COMMON_OPTIONS). `kiosk help [COMMAND]` is `kiosk [COMMAND] --help`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

# The config and clock modules are imported where they are used: `entry` must run before
# them, to keep the visitor kiosk's start-up free of garbage collections (see entry).
if TYPE_CHECKING:
    from kiosk.core.clock import Clock
    from kiosk.core.config import Config

# subcommand -> module under kiosk.cli; imported only when chosen, so `kiosk stats` never
# pays for Textual.
SUBCOMMANDS: dict[str, str] = {
    "run": "run",
    "staff": "staff",
    "display": "display",
    "issue": "issue",
    "check-config": "check_config",
    "stats": "stats",
    "serve": "serve",
    "set-pin": "set_pin",
    "install-services": "install_services",
    "backup": "backup",
    "print-test": "print_test",
    "init": "init",
}

COMMON = ("config", "data", "now")
# The common options a subcommand takes; any other would mean nothing there (`set-pin --now`).
COMMON_OPTIONS: dict[str, tuple[str, ...]] = {
    "check-config": ("config", "now"),
    "set-pin": ("config",),
    "install-services": ("config", "data"),
    "backup": ("data",),
    "init": (),
}


class UsageProblem(Exception):
    """A problem the person can fix: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line (exit 2), like every problem;
    with --json on the command line that line is a JSON object on standard output."""

    json_errors = False  # set by main when the command line asks for --json

    def error(self, message: str) -> NoReturn:
        line = f"{message} (see {self.prog} --help)"
        if _Parser.json_errors:
            _print_json_error(line)
            self.exit(2)
        self.exit(2, f"{self.prog}: {line}\n")


def _print_json_error(line: str) -> None:
    """`--json` promises one JSON object on stdout: a failure is one too."""
    print(json.dumps({"error": line, "exit": 2}, ensure_ascii=False), flush=True)


def _quiet_stdout() -> None:
    """After the reader of our output went away (`kiosk stats | head`): anything still to be
    written, at exit included, goes nowhere instead of raising BrokenPipeError again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@dataclass
class Context:
    config_dir: Path
    data_dir: Path
    now_text: str | None
    now_from: str = "--now"  # where now_text came from, for the message when it is wrong

    def load_config(self) -> Config:
        """The checked config; from the data folder's cache when its files are unchanged
        (kiosk.core.config.cache). `kiosk check-config` reads the files itself, always."""
        from kiosk.core import public_holidays
        from kiosk.core.config.cache import load_config_cached

        # Public holidays come from a cache in the data folder: see kiosk.core.public_holidays.
        public_holidays.keep_cache_in(self.data_dir / "cache")
        return load_config_cached(self.config_dir, self.data_dir / "cache")

    def clock(self, config: Config) -> Clock:
        from kiosk.core.clock import Clock, parse_local_time

        if not self.now_text:
            return Clock.real(config.site.timezone)
        try:
            parse_local_time(self.now_text, config.site.timezone)
        except ValueError as error:
            raise UsageProblem(f"{self.now_from}: {error}") from None
        return Clock.starting_at(self.now_text, config.site.timezone)


_COMMON_HELP = {
    "config": ("DIR", "config folder (default ./config, or KIOSK_CONFIG)"),
    "data": ("DIR", "data folder, on a local disk (default ./data, or KIOSK_DATA)"),
    "now": ("TIME", "start the clock at this local time, e.g. 2026-11-30T13:00 (or KIOSK_NOW)"),
}


def _add_common(
    parser: argparse.ArgumentParser, *, suppress: bool, only: tuple[str, ...] = COMMON
) -> None:
    if not only:
        return
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("common options")
    for name in only:
        metavar, text = _COMMON_HELP[name]
        group.add_argument(f"--{name}", metavar=metavar, default=default, help=text)


def _available(only: str | None = None) -> dict[str, object]:
    modules = {}
    for name, module_name in SUBCOMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            modules[name] = importlib.import_module(f"kiosk.cli.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"kiosk.cli.{module_name}":
                raise
    return modules


_VALUE_OPTIONS = ("--config", "--data", "--now")


def chosen_command(argv: list[str]) -> str | None:
    """The subcommand a command line names, when that is certain without parsing it fully.

    None for help, an unknown word or anything unusual: the full parser then explains. Only the
    chosen subcommand's module is imported otherwise, which keeps `kiosk` (the visitor kiosk
    on a small box) from importing every other command's libraries before its first frame.
    """
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help"):
            return None
        if word in _VALUE_OPTIONS:
            next(words, None)
            continue
        if word.startswith(tuple(f"{option}=" for option in _VALUE_OPTIONS)):
            continue
        if word.startswith("-"):
            return None
        return word if word in SUBCOMMANDS else None
    return "run"


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = _Parser(
        prog="kiosk",
        description="Walk-in check-in kiosk of the Service-Point Integration. "
        "Without a subcommand: the visitor kiosk (`kiosk run`).",
    )
    from kiosk import __version__

    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    _add_common(parser, suppress=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = _available(only)
    for name, module in modules.items():
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        _add_common(sub, suppress=True, only=COMMON_OPTIONS.get(name, COMMON))
    if only is None:
        subparsers.add_parser(
            "help",
            help="show the help of kiosk, or of one command: kiosk help stats",
            description="show the help of kiosk, or of one command",
        ).add_argument("topic", metavar="COMMAND", nargs="?", help="the command to explain")
    return parser, modules


def make_context(args: argparse.Namespace) -> Context:
    env = os.environ
    return Context(
        config_dir=Path(args.config or env.get("KIOSK_CONFIG") or "config"),
        data_dir=Path(args.data or env.get("KIOSK_DATA") or "data"),
        now_text=args.now or env.get("KIOSK_NOW") or None,
        now_from="--now" if args.now else "KIOSK_NOW",
    )


# Never given to other users of the box, whatever the caller's umask: what kiosk creates
# (data and log files, the statistics CSV, backups) gets at most rwxr-x--- / rw-r-----.
PRIVATE_UMASK = 0o027


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    caller_umask = os.umask(PRIVATE_UMASK)
    os.umask(caller_umask | PRIVATE_UMASK)  # a stricter umask stays as strict
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`kiosk check-config | head`): it has what it wanted.
        _quiet_stdout()
        return 0
    finally:
        os.umask(caller_umask)


def _main(argv: list[str]) -> int:
    from kiosk.core.config import ConfigError

    _Parser.json_errors = "--json" in argv
    parser, modules = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if args.command == "help":
        return _help(parser, args.topic)
    given = [name for name in COMMON if getattr(args, name, None) is not None]
    takes = COMMON_OPTIONS.get(args.command or "run", COMMON)
    for name in given:
        if name not in takes:
            what = ", ".join(f"--{n}" for n in takes) or "none of the common options"
            parser.error(f"--{name} means nothing to `kiosk {args.command}` (it takes {what})")
    if args.command is None:
        if "run" not in modules:
            parser.print_help()
            return 0
        args = parser.parse_args([*argv, "run"])
    ctx = make_context(args)
    module = modules[args.command]
    as_json = bool(getattr(args, "json", False))
    try:
        code = int(module.run(args, ctx) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except ConfigError as error:
        if as_json:
            problems = "; ".join(error.problems)
            _print_json_error(f"the config in {ctx.config_dir} has problems: {problems}")
            return 2
        print(f"kiosk: the config in {ctx.config_dir} has problems:", file=sys.stderr)
        for line in error.problems:
            print(f"  {line}", file=sys.stderr)
        return 2
    except UsageProblem as error:
        if as_json:
            _print_json_error(str(error))
        else:
            print(f"kiosk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _help(parser: argparse.ArgumentParser, topic: str | None) -> int:
    if topic is None:
        parser.print_help()
        return 0
    if topic not in SUBCOMMANDS:
        known = ", ".join([*SUBCOMMANDS, "help"])
        parser.error(f"help {topic}: no such command (commands: {known})")
    build_parser(topic)[0].parse_args([topic, "--help"])  # prints and exits 0
    return 0


def entry() -> None:
    if chosen_command(sys.argv[1:]) == "run":
        # The visitor kiosk collects its garbage itself once its first frame is drawn;
        # collections while it starts would only walk what it is building (kiosk.ui.garbage).
        from kiosk.ui.garbage import hold_off_until_settled

        hold_off_until_settled()
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    sys.exit(code)
