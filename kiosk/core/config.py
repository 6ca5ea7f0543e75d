"""Config: load and validate config/ into one frozen, typed object; errors name file, key, value.

The model below is the contract every other module codes against. The loader (`load_config`)
reports every problem at once as `ConfigError.problems`, one line each:
`topics.toml: topics[3].letter: "AB" is not one letter A-Z`.
"""

from __future__ import annotations

import difflib
import json
import re
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

DEFAULT_PIN_HASH_MARK = "shipped-default"


def _freeze(instance: object, *names: str) -> None:
    """Make the mapping fields of a frozen dataclass read-only copies (frozen all the way down)."""
    for name in names:
        value = getattr(instance, name)
        if not isinstance(value, MappingProxyType):
            object.__setattr__(instance, name, MappingProxyType(dict(value)))


@dataclass(frozen=True)
class Slot:
    """One opening interval on a day, local wall time, start < end."""

    start: time
    end: time


@dataclass(frozen=True)
class WeeklyPeriod:
    """Weekly hours taking effect on `valid_from` (until the next period's valid_from)."""

    valid_from: date
    # weekday (0 = Monday) -> slots, sorted, non-overlapping
    week: Mapping[int, tuple[Slot, ...]]

    def __post_init__(self) -> None:
        _freeze(self, "week")


@dataclass(frozen=True)
class SpecialDay:
    """A single date with its own hours (empty slots = closed that day)."""

    day: date
    slots: tuple[Slot, ...]
    note: str = ""


@dataclass(frozen=True)
class Schedule:
    id: str
    name: str
    periods: tuple[WeeklyPeriod, ...]  # sorted by valid_from
    special_days: tuple[SpecialDay, ...] = ()


@dataclass(frozen=True)
class Closure:
    """Closed from `first` to `last` inclusive; empty topics and schedules = everything.

    `topics` closes only those topics; `schedules` closes whole schedules (e.g. "hotline").
    """

    first: date
    last: date
    reason: str = ""
    topics: tuple[str, ...] = ()
    schedules: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class UrgentContact:
    number: str
    # language code -> what it is for; fall back to en, then de
    labels: Mapping[str, str]

    def __post_init__(self) -> None:
        _freeze(self, "labels")


@dataclass(frozen=True)
class Hotline:
    number: str
    schedule: str  # schedule id
    email: str = ""


@dataclass(frozen=True)
class Timeouts:
    idle_seconds: int = 45
    """Seconds without a touch on the topic or closed screen before returning to the start."""
    ticket_seconds: int = 60
    """Seconds the ticket stays on screen before returning to the start."""


@dataclass(frozen=True)
class DisplaySettings:
    previous_calls: int = 6
    highlight_seconds: int = 10
    bell: bool = False


@dataclass(frozen=True)
class Site:
    name: str
    address: str  # street, postcode, city
    floor: Mapping[str, str]  # language -> where in the building; fall back to en, then de
    timezone: ZoneInfo
    hotline: Hotline
    urgent: tuple[UrgentContact, ...]
    timeouts: Timeouts
    display: DisplaySettings
    retention_days: int = 400
    pin_hash: str = ""
    rtl_mode: str = "reorder"  # "reorder": we put RTL text in display order; "terminal": it does
    languages: tuple[str, ...] = ("de",)  # visitor languages, in the order shown
    staff_languages: tuple[str, ...] = ("de", "en")
    default_staff_language: str = "de"
    email: str = ""  # the service point's mailbox for visitors (hotline.email when not set)

    def __post_init__(self) -> None:
        _freeze(self, "floor")


@dataclass(frozen=True)
class Topic:
    id: str
    letter: str  # one letter A-Z, unique
    schedule: str  # schedule id
    provider: str
    daily_limit: int | None = None
    last_ticket_minutes: int = 0  # stop issuing this many minutes before closing


@dataclass(frozen=True)
class Desk:
    id: str
    name: str  # shown on the public display
    topics: tuple[str, ...]  # default topics "call next" picks from


@dataclass(frozen=True)
class TopicText:
    label: str
    description: str


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str  # "ltr" or "rtl"
    visitor: Mapping[str, str]
    staff: Mapping[str, str]
    topics: Mapping[str, TopicText]
    weekdays: tuple[str, ...]  # Monday first, 7 short names
    weekdays_long: tuple[str, ...]  # Monday first, 7 full names

    def __post_init__(self) -> None:
        _freeze(self, "visitor", "staff", "topics")

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@dataclass(frozen=True)
class Config:
    path: Path
    site: Site
    schedules: Mapping[str, Schedule]
    closures: tuple[Closure, ...]
    topics: tuple[Topic, ...]  # in the order shown
    desks: tuple[Desk, ...]
    languages: Mapping[str, Language]  # in site.languages order, then staff-only ones
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _freeze(self, "schedules", "languages")

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def desk(self, desk_id: str) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None)

    @property
    def visitor_languages(self) -> list[Language]:
        return [self.languages[c] for c in self.site.languages]


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ---------------------------------------------------------------------------------------------
# Loader and validation
# ---------------------------------------------------------------------------------------------

CONFIG_FILES = ("site.toml", "schedules.toml", "topics.toml", "desks.toml")
MAX_TOPICS = 9  # visitor screens pick with the digits 1-9
MAX_VISITOR_LANGUAGES = 9

_LONG_DAYS = (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
)
WEEKDAY_NAMES: dict[str, int] = {
    **{name: i for names in _LONG_DAYS for i, name in enumerate(names)},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: i for i, name in enumerate(("mo", "di", "mi", "do", "fr", "sa", "so"))},
}
_DAYS_HINT = "mon tue wed thu fri sat sun (or mo di mi do fr sa so)"

_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_LANG_RE = re.compile(r"[a-z]{2,3}")
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")
_PHONE_RE = re.compile(r"[0-9 +/().\-]+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DASHES = "-\u2013\u2014"  # hyphen, en dash, em dash: admins type all three

_MISSING = object()


def _show(value: object) -> str:
    """A value as the admin wrote it, short enough for one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    elif isinstance(value, dict):
        text = "a table {" + ", ".join(str(k) for k in list(value)[:5]) + "}"
    elif isinstance(value, list):
        text = (
            "[" + ", ".join(_show(v) for v in value[:5]) + (", ..." if len(value) > 5 else "") + "]"
        )
    else:
        text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def _kind(value: object) -> str:
    """What a TOML value is, in words."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Report:
    """Collects problems and warnings, one line each: `file: key.path: what is wrong`."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    @staticmethod
    def _line(file: str, path: str, message: str) -> str:
        return f"{file}: {path}: {message}" if path else f"{file}: {message}"

    def error(self, file: str, path: str, message: str) -> None:
        line = self._line(file, path, message)
        if line not in self.errors:
            self.errors.append(line)

    def warn(self, file: str, path: str, message: str) -> None:
        line = self._line(file, path, message)
        if line not in self.warnings:
            self.warnings.append(line)


class _Table:
    """One TOML table being read: typed getters that report instead of raising."""

    def __init__(self, report: _Report, file: str, path: str, data: dict):
        self.report = report
        self.file = file
        self.path = path
        self.data = data
        self.used: set[str] = set()

    # -- plumbing --------------------------------------------------------------------------
    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, message: str) -> None:
        self.report.error(self.file, self.at(key) if key is not None else self.path, message)

    def warn(self, key: str | None, message: str) -> None:
        self.report.warn(self.file, self.at(key) if key is not None else self.path, message)

    def raw(self, key: str, required: bool, expect: str) -> object:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.error(key, f"missing (expected {expect})")
            return _MISSING
        return self.data[key]

    def wrong(self, key: str, value: object, expect: str) -> None:
        self.error(key, f"{_show(value)} is {_kind(value)}, expected {expect}")

    def done(self) -> None:
        """Report keys nobody asked for: usually a typo."""
        for key in self.data:
            if key in self.used:
                continue
            known = sorted(self.used)
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known)
            self.error(key, f"unknown key ({hint})")

    # -- getters ---------------------------------------------------------------------------
    def text(
        self, key: str, *, required: bool = True, default: str = "", allow_empty: bool = False
    ) -> str | None:
        value = self.raw(key, required, "text in quotes")
        if value is _MISSING:
            return None if required else default
        if not isinstance(value, str):
            self.wrong(key, value, "text in quotes")
            return None
        if not allow_empty and not value.strip():
            self.error(key, "is empty")
            return None
        return value

    def ident(self, key: str, what: str) -> str | None:
        expect = f"an id for the {what}: a-z, 0-9 and _, starting with a letter"
        value = self.raw(key, True, expect)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not _ID_RE.fullmatch(value):
            self.error(key, f"{_show(value)} is not {expect}")
            return None
        return value

    def phone(self, key: str, *, required: bool = True) -> str | None:
        expect = 'a phone number in quotes, e.g. "0214/406-3333"'
        value = self.raw(key, required, expect)
        if value is _MISSING:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if (
            not isinstance(value, str)
            or not _PHONE_RE.fullmatch(value)
            or not any(c.isdigit() for c in value)
        ):
            self.error(key, f"{_show(value)} is not {expect} (digits, spaces and + / - ( ) only)")
            return None
        return value.strip()

    def email(self, key: str, *, required: bool = False) -> str | None:
        expect = "an e-mail address in quotes"
        value = self.raw(key, required, expect)
        if value is _MISSING:
            return "" if not required else None
        if not isinstance(value, str) or (value and not _EMAIL_RE.fullmatch(value.strip())):
            self.error(key, f"{_show(value)} is not {expect}")
            return None
        return value.strip()

    def integer(
        self, key: str, *, default: int | None, minimum: int, required: bool = False, unit: str = ""
    ) -> int | None:
        expect = f"a whole number of at least {minimum}" + (f" ({unit})" if unit else "")
        value = self.raw(key, required, expect)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong(key, value, expect)
            return None
        if value < minimum:
            self.error(key, f"{value} is too small, expected {expect}")
            return None
        if value > 10**9:
            self.error(key, f"{value} is too large")
            return None
        return value

    def boolean(self, key: str, *, default: bool) -> bool | None:
        value = self.raw(key, False, "true or false")
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.wrong(key, value, "true or false (without quotes)")
            return None
        return value

    def choice(self, key: str, options: tuple[str, ...], *, default: str | None) -> str | None:
        expect = " or ".join(f'"{o}"' for o in options)
        value = self.raw(key, default is None, expect)
        if value is _MISSING:
            return default
        if value not in options or not isinstance(value, str):
            self.error(key, f"{_show(value)} is not {expect}")
            return None
        return value

    def text_list(
        self, key: str, *, required: bool, expect_item: str, example: str = '["a", "b"]'
    ) -> list[tuple[str, object]] | None:
        """The items of a list, each with its key path, unchecked; None when not a list."""
        value = self.raw(key, required, f"a list of {expect_item}")
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.wrong(key, value, f"a list in [brackets], e.g. {example}")
            return None
        return [(f"{key}[{i + 1}]", item) for i, item in enumerate(value)]

    def id_list(
        self, key: str, *, required: bool, what: str, pattern: re.Pattern[str] = _ID_RE
    ) -> tuple[str, ...] | None:
        items = self.text_list(
            key, required=required, expect_item=f"{what} ids in quotes", example='["kim", "ba"]'
        )
        if items is None:
            return None
        result: list[str] = []
        ok = True
        for path, item in items:
            if not isinstance(item, str) or not pattern.fullmatch(item):
                self.error(path, f"{_show(item)} is not a {what} id")
                ok = False
            elif item in result:
                self.error(path, f'"{item}" is listed twice')
                ok = False
            else:
                result.append(item)
        return tuple(result) if ok else None

    def date_value(self, key: str, *, required: bool = True) -> date | None:
        expect = "a date like 2026-12-24"
        value = self.raw(key, required, expect)
        if value is _MISSING:
            return None
        return _parse_date(value, lambda message: self.error(key, message))

    def sub(self, key: str, *, required: bool) -> _Table | None:
        value = self.raw(key, required, f"a [{self.at(key)}] table")
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.wrong(key, value, f"a [{self.at(key)}] table")
            return None
        return _Table(self.report, self.file, self.at(key), value)

    def tables(self, key: str, *, required: bool) -> list[_Table] | None:
        """An array of tables `[[key]]`; paths count from 1 like people do: topics[3]."""
        expect = f"one or more [[{self.at(key)}]] tables"
        value = self.raw(key, required, expect)
        if value is _MISSING:
            return [] if not required else None
        if not isinstance(value, list):
            self.wrong(key, value, expect)
            return None
        result = []
        for i, item in enumerate(value):
            path = f"{self.at(key)}[{i + 1}]"
            if not isinstance(item, dict):
                self.report.error(
                    self.file, path, f"{_show(item)} is {_kind(item)}, expected a table"
                )
                continue
            result.append(_Table(self.report, self.file, path, item))
        return result


def _parse_date(value: object, complain) -> date | None:
    """A TOML date or "YYYY-MM-DD" text; complains with the value and what was expected."""
    expect = "a date like 2026-12-24"
    if isinstance(value, datetime):
        complain(f"{_show(value)} is a date and time, expected {expect} (no time)")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value.strip())
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                complain(f"{_show(value)} is not a real date")
                return None
    complain(f"{_show(value)} is not {expect}")
    return None


def _parse_time(text: str) -> time | str:
    """A wall time "HH:MM"; or the reason it is not one."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        return f'"{text.strip()}" is not a time like 08:00'
    hour, minute = (int(g) for g in match.groups())
    if hour > 23 or minute > 59:
        return f'"{text.strip()}" is not a time of day (00:00 to 23:59)'
    return time(hour, minute)


def _parse_days(text: str) -> list[int] | str:
    """ "mon", "mon-fri", "mon,wed" -> weekday numbers (0 = Monday); or the reason."""
    days: list[int] = []
    for part in text.split(","):
        part = part.strip().lower()
        ends = [p.strip() for p in re.split(f"[{_DASHES}]", part)]
        if not part or len(ends) > 2 or any(e not in WEEKDAY_NAMES for e in ends):
            return f'"{part}" is not a weekday: use {_DAYS_HINT}, or a range like mon-fri'
        first, last = WEEKDAY_NAMES[ends[0]], WEEKDAY_NAMES[ends[-1]]
        if last < first:
            return f'"{part}" runs backwards: write the earlier day first'
        for day in range(first, last + 1):
            if day in days:
                return f'"{text.strip()}" names {part} twice'
            days.append(day)
    return days


def _parse_slot(value: object, weekly: bool) -> tuple[list[int], Slot] | str:
    """ "mon 12:30-16:30" (weekly) or "12:30-16:30" (one day) -> (weekdays, Slot); or the reason."""
    example = '"mon 12:30-16:30" or "mon-fri 08:00-16:00"' if weekly else '"10:00-12:00"'
    if not isinstance(value, str):
        return f"{_show(value)} is {_kind(value)}, expected text like {example}"
    text = value.strip()
    days: list[int] = []
    if weekly:
        day_part, _, times = text.partition(" ")
        parsed_days = _parse_days(day_part)
        if isinstance(parsed_days, str):
            return f"{_show(value)}: {parsed_days}"
        days = parsed_days
    else:
        times = text
        if times[:1].isalpha():
            return f"{_show(value)} has a weekday; a single day's slot is just {example}"
    pieces = [p for p in re.split(f"[{_DASHES}]", times.strip())]
    if len(pieces) != 2:
        return f"{_show(value)} is not an opening time like {example}"
    start, end = _parse_time(pieces[0]), _parse_time(pieces[1])
    for part in (start, end):
        if isinstance(part, str):
            return f"{_show(value)}: {part}"
    assert isinstance(start, time) and isinstance(end, time)
    if end <= start:
        return (
            f"{_show(value)} ends before it starts"
            if end < start
            else (f"{_show(value)} ends when it starts")
        )
    return days, Slot(start, end)


def _slot_text(slot: Slot) -> str:
    return f"{slot.start:%H:%M}-{slot.end:%H:%M}"


def _check_overlaps(table: _Table, key: str, entries: list[tuple[str, int, Slot]]) -> bool:
    """entries: (path, weekday, slot); reports slots overlapping an earlier one. True if clean."""
    clean = True
    seen: dict[int, list[tuple[str, Slot]]] = {}
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for path, day, slot in entries:
        for other_path, other in seen.get(day, []):
            if slot.start < other.end and other.start < slot.end:
                on = f" on {names[day]}" if day >= 0 else ""
                table.report.error(
                    table.file,
                    path,
                    f"{_slot_text(slot)}{on} overlaps {_slot_text(other)} ({other_path})",
                )
                clean = False
                break
        seen.setdefault(day, []).append((path, slot))
    return clean


# -- reading files -------------------------------------------------------------------------------


def _read_toml(folder: Path, name: str, report: _Report) -> dict | None:
    path = folder / name
    if not path.exists():
        report.error(name, "", f"file missing (looked for {path})")
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        report.error(name, "", f"cannot be read: {error.strerror or error}")
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
    shown = f": {_show(line.strip())}" if line.strip() else ""
    hint = _toml_hint(message, line, lines, number, column)
    return f"is not valid TOML: {message}{shown}; {hint}"


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
            f"the name {_show(key_part)} contains {what}: names before = and in [brackets] may "
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
        return f"{_show(stripped)} appears twice: keep one, or write [[...]] for blocks that repeat"
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
                    f"the {what} that starts on line {back} ({_show(candidate.strip())}) is not "
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


# -- the files -------------------------------------------------------------------------------------


@dataclass
class _SiteDraft:
    site: Site | None
    languages: tuple[str, ...] | None
    staff_languages: tuple[str, ...] | None
    hotline_schedule: str | None
    floor: dict[str, str]
    urgent: list[tuple[str, dict[str, str]]]  # (path, labels)


def _labels(table: _Table | None, key_path: str) -> dict[str, str] | None:
    """A per-language table like floor.de = "..."; keys are language codes."""
    if table is None:
        return None
    result: dict[str, str] = {}
    for code in list(table.data):
        if not _LANG_RE.fullmatch(str(code)):
            table.used.add(code)
            table.error(str(code), f'"{code}" is not a language code like de or en')
            continue
        value = table.text(code)
        if value is not None:
            result[code] = value
    return result


def _read_site(data: dict, report: _Report) -> _SiteDraft:
    root = _Table(report, "site.toml", "", data)
    s = root.sub("site", required=True)
    hot = root.sub("hotline", required=True)
    tout = root.sub("timeouts", required=False)
    disp = root.sub("display", required=False)
    urgent_tables = root.tables("urgent", required=False) or []
    root.done()

    draft = _SiteDraft(None, None, None, None, {}, [])
    if s is None:
        return draft
    name = s.text("name")
    address = s.text("address")
    floor_table = s.sub("floor", required=False)
    floor = _labels(floor_table, "floor") or {}
    draft.floor = floor
    tz_name = s.text("timezone")
    zone: ZoneInfo | None = None
    if tz_name is not None:
        try:
            zone = ZoneInfo(tz_name)
        except Exception:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError...
            s.error("timezone", f'"{tz_name}" is not a known time zone (e.g. "Europe/Berlin")')
    email = s.email("email")
    retention = s.integer("retention_days", default=400, minimum=1, unit="days")
    pin_hash = s.text("pin_hash", required=False, allow_empty=True)
    rtl_mode = s.choice("rtl_mode", ("reorder", "terminal"), default="reorder")
    languages = s.id_list("languages", required=True, what="language", pattern=_LANG_RE)
    if languages is not None and not languages:
        s.error("languages", 'is empty: list at least one visitor language, e.g. ["de"]')
        languages = None
    if languages is not None and len(languages) > MAX_VISITOR_LANGUAGES:
        s.error(
            "languages",
            f"{len(languages)} languages, at most {MAX_VISITOR_LANGUAGES} "
            "(visitors pick one with the digits 1-9)",
        )
        languages = None
    staff_languages = s.id_list(
        "staff_languages", required=False, what="language", pattern=_LANG_RE
    )
    if "staff_languages" not in s.data:
        staff_languages = ("de", "en")
    elif staff_languages is not None and not staff_languages:
        s.error("staff_languages", 'is empty: list at least one, e.g. ["de"]')
        staff_languages = None
    default_staff = s.text(
        "default_staff_language", required=False, default=(staff_languages or ("de",))[0]
    )
    if (
        default_staff is not None
        and staff_languages is not None
        and default_staff not in staff_languages
    ):
        s.error(
            "default_staff_language",
            f'"{default_staff}" is not one of staff_languages {_show(list(staff_languages))}',
        )
    if pin_hash:
        from kiosk.core.pin import is_default_hash, parse_hash

        if is_default_hash(pin_hash):
            s.warn(
                "pin_hash",
                "is the shipped default PIN: anyone who read the manual can leave the kiosk; "
                "set your own with `kiosk set-pin`",
            )
        elif parse_hash(pin_hash) is None:
            s.error("pin_hash", "is not a PIN hash made by `kiosk set-pin`; run kiosk set-pin")
    elif pin_hash is not None:
        s.warn(
            "pin_hash",
            "no admin PIN is set: the kiosk cannot be left with the PIN; run `kiosk set-pin`",
        )
    s.done()

    hotline: Hotline | None = None
    if hot is not None:
        number = hot.phone("number")
        schedule = hot.ident("schedule", "schedule")
        hot_email = hot.email("email")
        hot.done()
        draft.hotline_schedule = schedule
        if number is not None and schedule is not None and hot_email is not None:
            hotline = Hotline(number, schedule, hot_email or (email or ""))

    timeouts: Timeouts | None = Timeouts()
    if tout is not None:
        idle = tout.integer(
            "idle_seconds", default=Timeouts.idle_seconds, minimum=5, unit="seconds"
        )
        ticket = tout.integer(
            "ticket_seconds", default=Timeouts.ticket_seconds, minimum=5, unit="seconds"
        )
        tout.done()
        timeouts = Timeouts(idle, ticket) if idle is not None and ticket is not None else None

    display: DisplaySettings | None = DisplaySettings()
    if disp is not None:
        prev = disp.integer("previous_calls", default=DisplaySettings.previous_calls, minimum=0)
        high = disp.integer(
            "highlight_seconds",
            default=DisplaySettings.highlight_seconds,
            minimum=0,
            unit="seconds",
        )
        bell = disp.boolean("bell", default=DisplaySettings.bell)
        disp.done()
        display = (
            DisplaySettings(prev, high, bell)
            if prev is not None and high is not None and bell is not None
            else None
        )

    urgent: list[UrgentContact] = []
    urgent_ok = True
    for table in urgent_tables:
        number = table.phone("number")
        labels = _labels(table.sub("label", required=True), "label")
        table.done()
        if number is None or labels is None:
            urgent_ok = False
            continue
        if not labels:
            table.error("label", "is empty: give at least label.de and label.en")
            urgent_ok = False
            continue
        urgent.append(UrgentContact(number, labels))
        draft.urgent.append((table.path, labels))

    draft.languages = languages
    draft.staff_languages = staff_languages
    values = (name, address, zone, email, retention, pin_hash, rtl_mode, languages)
    parts = (staff_languages, default_staff, hotline, timeouts, display)
    if all(v is not None for v in (*values, *parts)) and urgent_ok:
        draft.site = Site(
            name=name,  # type: ignore[arg-type]
            address=address,  # type: ignore[arg-type]
            floor=floor,
            timezone=zone,  # type: ignore[arg-type]
            hotline=hotline,  # type: ignore[arg-type]
            urgent=tuple(urgent),
            timeouts=timeouts,  # type: ignore[arg-type]
            display=display,  # type: ignore[arg-type]
            retention_days=retention,  # type: ignore[arg-type]
            pin_hash=(pin_hash or "").strip(),
            rtl_mode=rtl_mode,  # type: ignore[arg-type]
            languages=languages,  # type: ignore[arg-type]
            staff_languages=staff_languages,  # type: ignore[arg-type]
            default_staff_language=default_staff,  # type: ignore[arg-type]
            email=email or (hotline.email if hotline else ""),
        )
    return draft


def _read_slots(
    table: _Table, key: str, *, weekly: bool, required: bool
) -> list[tuple[str, int, Slot]] | None:
    """Slots of a period (weekly) or a special day: (path, weekday or -1, slot) each."""
    example = '"mon 12:30-16:30"' if weekly else '"10:00-12:00"'
    items = table.text_list(
        key,
        required=required,
        expect_item=f"opening times like {example}",
        example='["mon 12:30-16:30", "wed 12:30-16:30"]' if weekly else '["10:00-12:00"]',
    )
    if items is None:
        return None if required or key in table.data else []
    result: list[tuple[str, int, Slot]] = []
    ok = True
    for path, item in items:
        parsed = _parse_slot(item, weekly)
        if isinstance(parsed, str):
            table.error(path, parsed)
            ok = False
            continue
        days, slot = parsed
        for day in days or [-1]:
            result.append((table.at(path), day, slot))
    if not _check_overlaps(table, key, result):  # also among the good ones when others failed
        ok = False
    return result if ok else None


@dataclass
class _ScheduleDraft:
    schedules: dict[str, Schedule] | None
    ids: set[str]
    closures: list[tuple[_Table, Closure | None, tuple[str, ...] | None, tuple[str, ...] | None]]


def _read_schedules(data: dict, report: _Report) -> _ScheduleDraft:
    root = _Table(report, "schedules.toml", "", data)
    schedule_tables = root.tables("schedules", required=True)
    closed_tables = root.tables("closed", required=False) or []
    root.done()
    draft = _ScheduleDraft(None, set(), [])
    schedules: dict[str, Schedule] = {}
    ok = schedule_tables is not None
    for table in schedule_tables or []:
        sid = table.ident("id", "schedule")
        name = table.text("name", required=False, default=sid or "")
        if sid is not None:
            if sid in draft.ids:
                table.error("id", f'"{sid}" is used by two schedules')
                ok = False
            draft.ids.add(sid)
        periods: list[WeeklyPeriod] = []
        period_tables = table.tables("periods", required=True)
        if period_tables is not None and not period_tables:
            table.error(
                "periods",
                "is empty: add at least one [[schedules.periods]] with valid_from and slots",
            )
            ok = False
        starts: dict[date, str] = {}
        for period in period_tables or []:
            valid_from = period.date_value("valid_from")
            slots = _read_slots(period, "slots", weekly=True, required=True)
            period.done()
            if valid_from is not None:
                if valid_from in starts:
                    period.error(
                        "valid_from",
                        f"{valid_from.isoformat()} is also the valid_from of {starts[valid_from]}",
                    )
                    ok = False
                starts[valid_from] = period.path
            if valid_from is None or slots is None:
                ok = False
                continue
            week: dict[int, list[Slot]] = {day: [] for day in range(7)}
            for _path, day, slot in slots:
                week[day].append(slot)
            periods.append(
                WeeklyPeriod(
                    valid_from,
                    {d: tuple(sorted(s, key=lambda x: x.start)) for d, s in week.items()},
                )
            )
        specials: list[SpecialDay] = []
        special_days: dict[date, str] = {}
        special_tables = table.tables("special", required=False)
        for special in special_tables or []:
            day = special.date_value("date")
            slots = _read_slots(special, "slots", weekly=False, required=True)
            note = special.text("note", required=False, allow_empty=True)
            special.done()
            if day is not None:
                if day in special_days:
                    special.error(
                        "date", f"{day.isoformat()} is also the date of {special_days[day]}"
                    )
                    ok = False
                special_days[day] = special.path
            if day is None or slots is None or note is None:
                ok = False
                continue
            specials.append(
                SpecialDay(
                    day, tuple(sorted((s for _, _, s in slots), key=lambda x: x.start)), note
                )
            )
        if special_tables is None:
            ok = False
        if periods:
            latest = max(periods, key=lambda p: p.valid_from)
            if not any(latest.week.values()):
                table.report.warn(
                    table.file,
                    f"{starts[latest.valid_from]}.slots",
                    f"no hours on any day: from {latest.valid_from.isoformat()} on, "
                    f'"{sid}" never opens (only special days)',
                )
        table.done()
        if sid is None or name is None or period_tables is None:
            ok = False
            continue
        schedules[sid] = Schedule(
            sid,
            name,
            tuple(sorted(periods, key=lambda p: p.valid_from)),
            tuple(sorted(specials, key=lambda s: s.day)),
        )
    for table in closed_tables:
        single = table.raw("date", False, "")
        first_raw = table.raw("from", False, "")
        last_raw = table.raw("to", False, "")
        first = last = None
        bad = False
        if single is not _MISSING:
            if first_raw is not _MISSING or last_raw is not _MISSING:
                table.error(
                    "date", "give either date = ... (one day) or from = ... and to = ..., not both"
                )
                bad = True
            first = last = table.date_value("date")
        elif first_raw is _MISSING and last_raw is _MISSING:
            table.error(
                None, "missing date = 2026-12-24 (one day) or from = ... and to = ... (a range)"
            )
            bad = True
        else:
            first = table.date_value("from")
            last = table.date_value("to")
            if first is not None and last is not None and last < first:
                table.error(
                    "to",
                    f"{last.isoformat()} is before from = {first.isoformat()}: the range ends before it starts",
                )
                bad = True
        reason = table.text("reason", required=False, allow_empty=True)
        topics = table.id_list("topics", required=False, what="topic")
        scheds = table.id_list("schedules", required=False, what="schedule")
        table.done()
        # An empty list would silently close everything: say so instead of guessing.
        for key, listed in (("topics", topics), ("schedules", scheds)):
            if listed is not None and key in table.data and not listed:
                table.error(
                    key,
                    f"is empty: list the {key} to close, or leave {key} out to close everything",
                )
                bad = True
        bad = bad or first is None or last is None or reason is None
        bad = (
            bad
            or (topics is None and "topics" in table.data)
            or (scheds is None and "schedules" in table.data)
        )
        closure = None if bad else Closure(first, last, reason or "", topics or (), scheds or ())  # type: ignore[arg-type]
        draft.closures.append((table, closure, topics, scheds))
    draft.schedules = schedules if ok else None
    return draft


@dataclass
class _TopicDraft:
    topics: list[Topic] | None
    ids: set[str]
    rows: list[tuple[_Table, str | None, str | None]]  # (table, id, schedule) for cross checks


def _read_topics(data: dict, report: _Report) -> _TopicDraft:
    root = _Table(report, "topics.toml", "", data)
    tables = root.tables("topics", required=True)
    root.done()
    draft = _TopicDraft(None, set(), [])
    if tables is None:
        return draft
    if not tables:
        root.error("topics", "is empty: add at least one [[topics]]")
        return draft
    if len(tables) > MAX_TOPICS:
        root.error(
            "topics",
            f"{len(tables)} topics, at most {MAX_TOPICS} (visitors pick one with the digits 1-9)",
        )
    topics: list[Topic] = []
    ok = True
    letters: dict[str, str] = {}
    for table in tables:
        tid = table.ident("id", "topic")
        letter = table.raw("letter", True, "one letter A-Z")
        if letter is not _MISSING:
            if not isinstance(letter, str) or len(letter) != 1 or not ("A" <= letter <= "Z"):
                table.error("letter", f"{_show(letter)} is not one letter A-Z")
                letter = None
            elif letter in letters:
                table.error("letter", f'"{letter}" is also the letter of {letters[letter]}')
                letter = None
            else:
                letters[letter] = table.path + (f' ("{tid}")' if tid else "")
        else:
            letter = None
        schedule = table.ident("schedule", "schedule")
        provider = table.text("provider", required=False, default="")
        daily_limit = table.integer(
            "daily_limit",
            default=None,
            minimum=1,
            unit="tickets per day; leave it out for no limit",
        )
        if "daily_limit" in table.data and daily_limit is None:
            ok = False
        margin = table.integer("last_ticket_minutes", default=0, minimum=0, unit="minutes")
        table.done()
        if tid is not None:
            if tid in draft.ids:
                table.error("id", f'"{tid}" is used by two topics')
                ok = False
            draft.ids.add(tid)
        draft.rows.append((table, tid, schedule))
        if None in (tid, letter, schedule, provider, margin):
            ok = False
            continue
        topics.append(Topic(tid, letter, schedule, provider, daily_limit, margin))  # type: ignore[arg-type]
    draft.topics = topics if ok and len(tables) <= MAX_TOPICS else None
    return draft


@dataclass
class _DeskDraft:
    desks: list[Desk] | None
    rows: list[tuple[_Table, tuple[str, ...] | None]]


def _read_desks(data: dict, report: _Report) -> _DeskDraft:
    root = _Table(report, "desks.toml", "", data)
    tables = root.tables("desks", required=True)
    root.done()
    draft = _DeskDraft(None, [])
    if tables is None:
        return draft
    if not tables:
        root.error("desks", "is empty: add at least one [[desks]]")
        return draft
    desks: list[Desk] = []
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    ok = True
    for table in tables:
        did = table.ident("id", "desk")
        name = table.text("name")
        topics = table.id_list("topics", required=True, what="topic")
        table.done()
        if topics is not None and not topics:
            table.error("topics", 'is empty: list the topics this desk calls, e.g. ["kim"]')
            topics = None
        if did is not None:
            if did in ids:
                table.error("id", f'"{did}" is used by two desks ({ids[did]})')
                ok = False
            ids[did] = table.path
        if name is not None:
            if name in names:
                table.warn(
                    "name",
                    f'"{name}" is also the name of {names[name]}: visitors cannot tell them apart',
                )
            names[name] = table.path
        draft.rows.append((table, topics))
        if did is None or name is None or topics is None:
            ok = False
            continue
        desks.append(Desk(did, name, topics))
    draft.desks = desks if ok else None
    return draft


def _check_template(table: _Table, key: str, value: str, allowed: frozenset[str]) -> None:
    """Placeholders like {n} must be ones the key offers; braces must pair."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as error:
        table.error(
            key, f"{_show(value)} has a stray {{ or }} ({error}); write {{{{ or }}}} for a brace"
        )
        return
    offered = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
    used = set()
    for field_name in fields:
        base = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        if base not in allowed:
            shown = "{" + field_name + "}"
            table.error(
                key, f"{_show(value)} uses the placeholder {shown}; this text may use: {offered}"
            )
        used.add(base)
    for missing in sorted(allowed - used):
        table.warn(key, f"{_show(value)} does not show {{{missing}}}")


def _read_language(
    folder: Path,
    code: str,
    report: _Report,
    *,
    visitor: bool,
    staff: bool,
    topic_ids: set[str] | None,
) -> Language | None:
    from kiosk.core.i18n import STAFF_KEYS, VISITOR_KEYS

    file = f"lang/{code}.toml"
    data = _read_toml(folder, file, report)
    if data is None:
        return None
    root = _Table(report, file, "", data)
    native = root.text("native_name")
    direction = root.choice("direction", ("ltr", "rtl"), default=None)
    names: dict[str, tuple[str, ...] | None] = {}
    for key in ("weekdays", "weekdays_long"):
        items = root.text_list(key, required=True, expect_item="7 day names, Monday first")
        if items is None:
            names[key] = None
            continue
        if len(items) != 7:
            root.error(key, f"has {len(items)} entries, expected 7 day names, Monday first")
            names[key] = None
            continue
        good = True
        for path, item in items:
            if not isinstance(item, str) or not item.strip():
                root.error(path, f"{_show(item)} is not a day name")
                good = False
        names[key] = tuple(str(i) for _, i in items) if good else None
    ok = True
    tables: dict[str, dict[str, str] | None] = {}
    for section, keys, needed in (("visitor", VISITOR_KEYS, visitor), ("staff", STAFF_KEYS, staff)):
        sub = root.sub(section, required=needed)
        if sub is None:
            tables[section] = None if needed or section in data else {}
            continue
        strings: dict[str, str] = {}
        for key in keys:
            if key not in sub.data and not needed:
                continue
            value = sub.text(key)
            if value is None:
                ok = False
                continue
            _check_template(sub, key, value, keys[key])
            strings[key] = value
        sub.done()
        tables[section] = strings
    topics: dict[str, TopicText] = {}
    topic_table = root.sub("topics", required=visitor)
    if topic_table is not None:
        for tid in list(topic_table.data):
            entry = topic_table.sub(str(tid), required=False)
            if topic_ids is not None and tid not in topic_ids:
                topic_table.warn(
                    str(tid), f'there is no topic "{tid}" in topics.toml (text ignored)'
                )
                continue
            if entry is None:
                ok = False
                continue
            label = entry.text("label")
            description = entry.text("description", allow_empty=True)
            entry.done()
            if label is None or description is None:
                ok = False
                continue
            topics[str(tid)] = TopicText(label, description)
        for tid in sorted(topic_ids or ()):
            if tid not in topic_table.data:
                if visitor:
                    topic_table.error(tid, f'missing: the label and description of topic "{tid}"')
                    ok = False
                else:
                    topic_table.warn(
                        tid, f'no label for topic "{tid}" (staff see the English or German one)'
                    )
    elif visitor:
        ok = False
    root.done()
    weekdays, weekdays_long = names["weekdays"], names["weekdays_long"]
    visitor_strings, staff_strings = tables["visitor"], tables["staff"]
    if (
        not ok
        or native is None
        or direction is None
        or weekdays is None
        or weekdays_long is None
        or visitor_strings is None
        or staff_strings is None
    ):
        return None
    return Language(
        code, native, direction, visitor_strings, staff_strings, topics, weekdays, weekdays_long
    )


def load_config(path: Path | str) -> Config:
    """Read and check the config folder; raises ConfigError listing every problem at once."""
    folder = Path(path)
    try:
        return _load(folder)
    except ConfigError:
        raise
    except Exception as error:  # a safety net: bad input must never crash a kiosk
        raise ConfigError(
            [
                f"{folder}: the config could not be checked ({type(error).__name__}: {error}); "
                "this is a bug in kiosk, please report it with the config files"
            ]
        ) from error


def _load(folder: Path) -> Config:
    if not folder.exists():
        raise ConfigError(
            [f"{folder}: no such config folder (give the folder with --config DIR or KIOSK_CONFIG)"]
        )
    if not folder.is_dir():
        raise ConfigError([f"{folder}: is a file, not a config folder"])
    report = _Report()
    raw = {name: _read_toml(folder, name, report) for name in CONFIG_FILES}

    site = _read_site(raw["site.toml"], report) if raw["site.toml"] is not None else None
    scheds = (
        _read_schedules(raw["schedules.toml"], report)
        if raw["schedules.toml"] is not None
        else None
    )
    topics = _read_topics(raw["topics.toml"], report) if raw["topics.toml"] is not None else None
    desks = _read_desks(raw["desks.toml"], report) if raw["desks.toml"] is not None else None

    schedule_ids = scheds.ids if scheds is not None else None
    topic_ids = topics.ids if topics is not None else None

    # -- references between files --
    def known(kind: str, ids: set[str] | None, value: str, file: str, where: str) -> None:
        if ids is not None and value not in ids:
            source = {"schedule": "schedules.toml", "topic": "topics.toml"}[kind]
            listed = ", ".join(sorted(ids)) or "none"
            report.error(file, where, f'"{value}" is not a {kind} in {source} (there: {listed})')

    if site is not None and site.hotline_schedule is not None:
        known("schedule", schedule_ids, site.hotline_schedule, "site.toml", "hotline.schedule")
    if topics is not None:
        for table, _tid, schedule in topics.rows:
            if schedule is not None:
                known("schedule", schedule_ids, schedule, "topics.toml", table.at("schedule"))
    if desks is not None:
        for table, desk_topics in desks.rows:
            for i, tid in enumerate(desk_topics or ()):
                known("topic", topic_ids, tid, "desks.toml", table.at(f"topics[{i + 1}]"))
    if scheds is not None:
        for table, _closure, closure_topics, closure_scheds in scheds.closures:
            for i, tid in enumerate(closure_topics or ()):
                known("topic", topic_ids, tid, "schedules.toml", table.at(f"topics[{i + 1}]"))
            for i, sid in enumerate(closure_scheds or ()):
                known(
                    "schedule", schedule_ids, sid, "schedules.toml", table.at(f"schedules[{i + 1}]")
                )

    # -- languages --
    languages: dict[str, Language] = {}
    languages_ok = True
    if site is not None and (site.languages is not None or site.staff_languages is not None):
        visitor_codes = site.languages or ()
        staff_codes = site.staff_languages or ()
        for code in dict.fromkeys((*visitor_codes, *staff_codes)):
            if not (folder / "lang" / f"{code}.toml").exists():
                key = "languages" if code in visitor_codes else "staff_languages"
                report.error("site.toml", f"site.{key}", f'"{code}" has no file lang/{code}.toml')
                languages_ok = False
                continue
            language = _read_language(
                folder,
                code,
                report,
                visitor=code in visitor_codes,
                staff=code in staff_codes,
                topic_ids=topic_ids,
            )
            if language is None:
                languages_ok = False
            else:
                languages[code] = language
        for code in visitor_codes:
            if site.floor and code not in site.floor:
                report.warn(
                    "site.toml",
                    "site.floor",
                    f"no {code} text (visitors see the English or German one)",
                )
            for path, labels in site.urgent:
                if code not in labels:
                    report.warn(
                        "site.toml",
                        f"{path}.label",
                        f"no {code} text (visitors see the English or German one)",
                    )

    # -- dubious but usable --
    if (
        topics is not None
        and topics.topics is not None
        and desks is not None
        and desks.desks is not None
    ):
        served = {t for d in desks.desks for t in d.topics}
        for table, tid, _ in topics.rows:
            if tid is not None and tid not in served:
                report.warn(
                    "topics.toml",
                    table.path,
                    f'topic "{tid}" is in no desk\'s topics: "call next" never picks it by default',
                )
    if scheds is not None and scheds.schedules is not None:
        used = {t.schedule for t in (topics.topics or [])} if topics is not None else set()
        if site is not None and site.hotline_schedule:
            used.add(site.hotline_schedule)
        for sid in scheds.schedules:
            if topics is not None and topics.topics is not None and sid not in used:
                report.warn(
                    "schedules.toml",
                    f'schedules "{sid}"',
                    "no topic and not the hotline uses this schedule",
                )
        if topics is not None:
            for table, tid, sid in topics.rows:
                topic = next((t for t in (topics.topics or []) if t.id == tid), None)
                schedule = scheds.schedules.get(sid or "")
                if topic is None or schedule is None or not topic.last_ticket_minutes:
                    continue
                longest = max(
                    (
                        (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute)
                        for p in schedule.periods
                        for slots in p.week.values()
                        for s in slots
                    ),
                    default=0,
                )
                if longest and topic.last_ticket_minutes >= longest:
                    report.warn(
                        "topics.toml",
                        table.at("last_ticket_minutes"),
                        f"{topic.last_ticket_minutes} minutes is as long as the longest opening: this topic never issues tickets",
                    )

    if report.errors:
        raise ConfigError(report.errors)
    assert site is not None and site.site is not None
    assert scheds is not None and scheds.schedules is not None
    assert topics is not None and topics.topics is not None
    assert desks is not None and desks.desks is not None and languages_ok
    ordered = {c: languages[c] for c in site.site.languages}
    ordered.update({c: languages[c] for c in site.site.staff_languages if c not in ordered})
    return Config(
        path=folder,
        site=site.site,
        schedules=scheds.schedules,
        closures=tuple(c for _, c, _, _ in scheds.closures if c is not None),
        topics=tuple(topics.topics),
        desks=tuple(desks.desks),
        languages=ordered,
        warnings=tuple(report.warnings),
    )
