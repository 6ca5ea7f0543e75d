"""`kiosk set-pin`: store a new admin PIN as a salted hash in site.toml, touching nothing else."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import re
import sys
import tempfile
import tomllib
from pathlib import Path

from kiosk.cli import UsageProblem
from kiosk.core.pin import DEFAULT_PIN, PIN_RULE, hash_pin, valid_pin

HELP = "set the admin PIN (asked twice, stored as a salted hash in site.toml)"

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_SITE_HEADER = re.compile(r"^[ \t]*\[[ \t]*site[ \t]*\][^\n]*\n?", re.MULTILINE)
_PIN_LINE = re.compile(
    r"^(?P<head>[ \t]*pin_hash[ \t]*=[ \t]*)(?P<value>\"[^\"\n]*\"|'[^'\n]*')", re.MULTILINE
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the PIN twice from standard input, one per line (for scripts)",
    )


def _ask(args: argparse.Namespace) -> tuple[str, str]:
    if args.pin_stdin:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            raise UsageProblem(
                "--pin-stdin expects the new PIN twice, on two lines; nothing changed"
            )
        return lines[0].strip(), lines[1].strip()
    try:
        first = getpass.getpass("New admin PIN (4 to 12 digits): ")
        second = getpass.getpass("The same PIN again: ")
    except EOFError:
        raise UsageProblem("no PIN given; nothing changed") from None
    return first.strip(), second.strip()


def replace_pin_hash(text: str, new_hash: str) -> str:
    """site.toml's text with only the value of [site] pin_hash replaced (or the line added).

    Raises UsageProblem when the file has no [site] table.
    """
    header = _SITE_HEADER.search(text)
    if header is None:
        raise UsageProblem("site.toml has no [site] table; nothing changed")
    following = _HEADER.search(text, header.end())
    end = following.start() if following else len(text)
    line = _PIN_LINE.search(text, header.end(), end)
    if line is None:
        newline = "\r\n" if header.group().endswith("\r\n") else "\n"
        insert = f'pin_hash = "{new_hash}"{newline}'
        if not header.group().endswith("\n"):  # [site] on the file's last line
            insert = newline + insert
        return text[: header.end()] + insert + text[header.end() :]
    return text[: line.start("value")] + f'"{new_hash}"' + text[line.end("value") :]


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file beside the target, fsync, rename over it: a crash leaves the old or the new file."""
    before = path.stat()
    fd, temp = tempfile.mkstemp(prefix=".site.toml.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, before.st_mode & 0o7777)
        # Keep owner and group too: site.toml is often root:kiosk 0640 (the PIN hash readable
        # by the services only), and a root-owned copy would lock the kiosk out of its config.
        with contextlib.suppress(PermissionError):
            os.chown(temp, before.st_uid, before.st_gid)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def run(args: argparse.Namespace, ctx) -> int:
    site = ctx.config_dir / "site.toml"
    if not site.is_file():
        raise UsageProblem(f"{site}: no such file (give the config folder with --config DIR)")
    try:
        raw = site.read_bytes()
        text = raw.decode("utf-8")
        tomllib.loads(text.removeprefix("\ufeff"))
    except OSError as error:
        raise UsageProblem(f"{site}: cannot be read: {error.strerror or error}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageProblem(
            f"{site} is not valid TOML ({error}); fix it first (kiosk check-config)"
        ) from None

    try:
        first, second = _ask(args)
    except KeyboardInterrupt:  # ctrl+c at the prompt: end the prompt's line, say what happened
        print("\nkiosk: interrupted; nothing changed", file=sys.stderr)
        return 130
    if first != second:
        raise UsageProblem("the two PINs differ; nothing changed")
    if not valid_pin(first):
        raise UsageProblem(f"{PIN_RULE}; nothing changed")
    if first == DEFAULT_PIN:
        raise UsageProblem("that is the shipped default PIN; choose another; nothing changed")

    new_hash = hash_pin(first)
    new_text = replace_pin_hash(text, new_hash)
    try:
        parsed = tomllib.loads(new_text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError:
        parsed = {}
    if parsed.get("site", {}).get("pin_hash") != new_hash:
        raise UsageProblem(
            f"{site}: could not find where to put pin_hash (is it inside [site]?); nothing changed"
        )
    try:
        _write_atomically(site, new_text.encode("utf-8"))
    except OSError as error:
        raise UsageProblem(f"{site}: cannot be written: {error.strerror or error}") from None
    print(
        f"The admin PIN is changed in {site}. Running apps use it after their next config reload."
    )
    return 0
