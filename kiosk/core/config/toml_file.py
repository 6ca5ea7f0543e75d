"""Reading one TOML file: decoding, and plain-words hints when its syntax is broken."""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
import unicodedata
from datetime import date
from pathlib import Path

from kiosk.core.config.checker import Report, show

# A config file is a few KB; anything this big is something else saved over it (a log, a dump).
MAX_CONFIG_BYTES = 1024 * 1024


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file: it is not read (that could wait forever)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file: it is not read"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file: it is not read"
    return "is not a regular file: it is not read"


def read_file(path: Path) -> bytes | str:
    """A config file's bytes, or one sentence saying why it is not read.

    Only regular files are read: opening never waits (O_NONBLOCK, so a FIFO put in place of a
    file cannot hang check-config or an app's config watcher), and at most MAX_CONFIG_BYTES.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        return f"file missing (looked for {path})"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link loop (the links point at each other): replace it by the file"
        return f"cannot be read: {error.strerror or error}"
    try:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None:
            return f"{kind}; put the config file there"
        if info.st_size > MAX_CONFIG_BYTES:
            return _not_a_config(f"is {info.st_size / 1e6:.1f} MB; a config file has a few KB")
        chunks = []
        left = MAX_CONFIG_BYTES + 1
        while left > 0 and (chunk := os.read(fd, min(left, 65536))):
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > MAX_CONFIG_BYTES:  # grew while read
            return _not_a_config("is larger than 1 MB; a config file has a few KB")
        return raw
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    finally:
        os.close(fd)


def _not_a_config(what: str) -> str:
    return (
        f"{what}: this is not a config file (was something else saved or pasted over it?); "
        "put the config file back, e.g. from a backup or the shipped config folder"
    )


def read_toml(folder: Path, name: str, report: Report) -> dict | None:
    path = folder / name
    raw = read_file(path)
    if isinstance(raw, str):
        report.error(name, "", raw)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.error(name, "", f"is not UTF-8 text (line {line}); save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff")  # Windows editors like to add a byte-order mark
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        report.error(name, "", _toml_problem(error, text))
        return None
    except RecursionError:
        report.error(name, "", "is not valid TOML: nested too deeply")
        return None


_GENERIC_TOML_HINT = "check the quotes, = and brackets on that line"
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_ISO_DATE_RE = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d.])")
_GERMAN_DATE_RE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?(?![\d.])")


def _toml_problem(error: tomllib.TOMLDecodeError, text: str) -> str:
    """`is not valid TOML: <TOML's words> (at line N, column C): "<the line>"; <what to do>`."""
    message = str(error)
    lines = text.splitlines()
    number = column = 0
    where = re.search(r"at line (\d+), column (\d+)", message)
    if where:
        number, column = int(where.group(1)), int(where.group(2))
    elif "end of document" in message:
        # TOML names no line when the file ends inside the mistake: point at the last one.
        number = next((i for i in range(len(lines), 0, -1) if lines[i - 1].strip()), 0)
        if number:
            message = message.replace("end of document", f"end of the file, line {number}")
    line = lines[number - 1] if 1 <= number <= len(lines) else ""
    shown = f": {show(line.strip())}" if line.strip() else ""
    if not _looks_like_toml(lines):
        return _not_a_config(f"is not TOML at all ({message}{shown})")
    hint = _toml_hint(message, line, lines, number, column)
    return f"is not valid TOML: {message}{shown}; {hint}"


_KEY_LINE_RE = re.compile(
    r"""^\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*\s*="""
)
_ITEM_LINE_RE = re.compile(
    r"""^\s*(?:[\]}\[{"']|(?:[-+]?[0-9][0-9_.:eE+-]*|true|false)\s*,?\s*(?:#.*)?$)"""
)


def _looks_like_toml(lines: list[str]) -> bool:
    """Whether the file's first lines look like TOML at all (blank, comments, `key = value`,
    [tables], array items, text inside triple quotes): a log or a document pasted over a config
    file does not, and gets that said instead of a hint about one of its lines."""
    fitting = seen = 0
    in_multiline = False
    for line in lines[:200]:
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        fits = (
            in_multiline
            or stripped.startswith("#")
            or bool(_KEY_LINE_RE.match(line) or _ITEM_LINE_RE.match(line))
        )
        fitting += fits
        if (line.count('"""') + line.count("'''")) % 2:
            in_multiline = not in_multiline
        if seen >= 30:
            break
    return fitting * 2 >= seen


def _toml_hint(message: str, line: str, lines: list[str], number: int, column: int) -> str:
    """What an admin most likely did wrong on that line, in plain words."""
    stripped = line.strip()
    # A key (or [table] name) with letters TOML does not allow without quotes.
    if stripped.startswith("["):
        key_part = stripped.strip("[] \t")
    else:
        key_part = stripped.partition("=")[0].strip() if "=" in stripped else ""
    odd = [
        ch
        for part in key_part.split(".")
        if not (part.strip().startswith('"') or part.strip().startswith("'"))
        for ch in part.strip()
        if not _BARE_KEY_RE.fullmatch(ch)
    ]
    if odd:
        ch = odd[0]
        if ch.isspace():
            what = "a space"
        elif ch.isalpha() and not ch.isascii():
            what = f'"{ch}" ({unicodedata.name(ch, "a letter").lower()})'
        else:
            what = f'"{ch}"'
        return (
            f"the name {show(key_part)} contains {what}: names before = and in [brackets] may "
            "only use a-z, A-Z, 0-9, _ and - (no umlauts, spaces or letters of other alphabets)"
        )
    value = stripped.partition("=")[2].strip() if "=" in stripped else stripped
    quoted = value[:1] in ('"', "'")
    # Inside quotes a date or time is just text, which TOML does not check: look outside them.
    bare = re.sub(r"\"[^\"]*\"|'[^']*'", "", value).partition("#")[0]
    for match in _ISO_DATE_RE.finditer(bare):
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            return f"{match.group(0)} is not a real date"
        if match.group(0) != day.isoformat():
            return f"write {match.group(0)} with two-digit month and day: {day.isoformat()}"
    if _GERMAN_DATE_RE.search(bare):
        return "write dates as year-month-day, e.g. 2026-12-24"
    if re.search(r"(?<![\d-])\d{1,2}:\d{2}(?!:)", bare):
        return 'times and opening hours are text: put them in quotes, e.g. "08:00-12:00"'
    if "Cannot overwrite a value" in message:
        return "this key is given twice in the same block: keep one of them"
    if "Cannot declare" in message:
        return f"{show(stripped)} appears twice: keep one, or write [[...]] for blocks that repeat"
    if value[:1] in "\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019" and value:
        return 'typographic quotes: write text in straight quotes "like this"'
    if quoted and value.replace("\\" + value[0], "").count(value[0]) % 2:
        return f"a text in quotes must end with its quote ({value[0]}) on the same line"
    if "Unclosed array" in message or "Unclosed inline table" in message:
        opener, closer, what = ("[", "]", "list") if "array" in message else ("{", "}", "{...}")
        for back in range(min(number, len(lines)), 0, -1):
            candidate = lines[back - 1].partition("#")[0]
            if "=" in candidate and candidate.count(opener) > candidate.count(closer):
                return (
                    f"the {what} that starts on line {back} ({show(candidate.strip())}) is not "
                    f"closed with {closer}"
                )
        return f"a {what} is not closed with {closer}"
    if "Expected ']]'" in message:
        return "a [[block]] heading ends with two brackets ]]"
    if "Expected ']'" in message and stripped.startswith("["):
        return "a [table] heading ends with ]"
    if value[:1].isalpha() and value.split()[0] not in ("true", "false", "inf", "nan"):
        return 'text must be in quotes, e.g. timezone = "Europe/Berlin"'
    return _GENERIC_TOML_HINT
