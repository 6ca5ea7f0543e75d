"""The hand-made type checker: typed getters over one TOML table that report instead of raising.

Every problem becomes one line `file: key.path: what is wrong`, naming the value as the admin wrote
it and what was expected.
"""

from __future__ import annotations

import difflib
import json
import re
from datetime import date, datetime, time

ID_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
LANG_RE = re.compile(r"[a-z]{2,3}")
_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_PHONE_RE = re.compile(r"[0-9 +/().\-]+")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

MISSING = object()

# `kiosk init` writes site-specific values as "<fill in: what>": refused until an admin replaces them.
PLACEHOLDER_RE = re.compile(r"<\s*fill in\b[^>]*>", re.IGNORECASE)


def show(value: object) -> str:
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
            "[" + ", ".join(show(v) for v in value[:5]) + (", ..." if len(value) > 5 else "") + "]"
        )
    else:
        text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def kind_of(value: object) -> str:
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


class Report:
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


class Table:
    """One TOML table being read: typed getters that report instead of raising."""

    def __init__(self, report: Report, file: str, path: str, data: dict):
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
            return MISSING
        value = self.data[key]
        if isinstance(value, str) and PLACEHOLDER_RE.search(value):
            self.error(
                key, f"{show(value)} is a placeholder from `kiosk init`: fill in the real value"
            )
            return MISSING  # reported: the caller must not add "missing" or "wrong type"
        return value

    def wrong(self, key: str, value: object, expect: str) -> None:
        self.error(key, f"{show(value)} is {kind_of(value)}, expected {expect}")

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
        if value is MISSING:
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
        if value is MISSING:
            return None
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.error(key, f"{show(value)} is not {expect}")
            return None
        return value

    def phone(self, key: str, *, required: bool = True) -> str | None:
        expect = 'a phone number in quotes, e.g. "0214/406-3333"'
        value = self.raw(key, required, expect)
        if value is MISSING:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if (
            not isinstance(value, str)
            or not _PHONE_RE.fullmatch(value)
            or not any(c.isdigit() for c in value)
        ):
            self.error(key, f"{show(value)} is not {expect} (digits, spaces and + / - ( ) only)")
            return None
        return value.strip()

    def email(self, key: str, *, required: bool = False) -> str | None:
        expect = "an e-mail address in quotes"
        value = self.raw(key, required, expect)
        if value is MISSING:
            return "" if not required else None
        if not isinstance(value, str) or (value and not _EMAIL_RE.fullmatch(value.strip())):
            self.error(key, f"{show(value)} is not {expect}")
            return None
        return value.strip()

    def integer(
        self, key: str, *, default: int | None, minimum: int, required: bool = False, unit: str = ""
    ) -> int | None:
        expect = f"a whole number of at least {minimum}" + (f" ({unit})" if unit else "")
        value = self.raw(key, required, expect)
        if value is MISSING:
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
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.wrong(key, value, "true or false (without quotes)")
            return None
        return value

    def choice(self, key: str, options: tuple[str, ...], *, default: str | None) -> str | None:
        expect = " or ".join(f'"{o}"' for o in options)
        value = self.raw(key, default is None, expect)
        if value is MISSING:
            return default
        if value not in options or not isinstance(value, str):
            self.error(key, f"{show(value)} is not {expect}")
            return None
        return value

    def text_list(
        self, key: str, *, required: bool, expect_item: str, example: str = '["a", "b"]'
    ) -> list[tuple[str, object]] | None:
        """The items of a list, each with its key path, unchecked; None when not a list."""
        value = self.raw(key, required, f"a list of {expect_item}")
        if value is MISSING:
            return None
        if not isinstance(value, list):
            self.wrong(key, value, f"a list in [brackets], e.g. {example}")
            return None
        return [(f"{key}[{i + 1}]", item) for i, item in enumerate(value)]

    def id_list(
        self, key: str, *, required: bool, what: str, pattern: re.Pattern[str] = ID_RE
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
                self.error(path, f"{show(item)} is not a {what} id")
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
        if value is MISSING:
            return None
        return parse_date(value, lambda message: self.error(key, message))

    def sub(self, key: str, *, required: bool) -> Table | None:
        value = self.raw(key, required, f"a [{self.at(key)}] table")
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.wrong(key, value, f"a [{self.at(key)}] table")
            return None
        return Table(self.report, self.file, self.at(key), value)

    def tables(self, key: str, *, required: bool) -> list[Table] | None:
        """An array of tables `[[key]]`; paths count from 1 like people do: topics[3]."""
        expect = f"one or more [[{self.at(key)}]] tables"
        value = self.raw(key, required, expect)
        if value is MISSING:
            return [] if not required else None
        if not isinstance(value, list):
            self.wrong(key, value, expect)
            return None
        result = []
        for i, item in enumerate(value):
            path = f"{self.at(key)}[{i + 1}]"
            if not isinstance(item, dict):
                self.report.error(
                    self.file, path, f"{show(item)} is {kind_of(item)}, expected a table"
                )
                continue
            result.append(Table(self.report, self.file, path, item))
        return result


def parse_date(value: object, complain) -> date | None:
    """A TOML date or "YYYY-MM-DD" text; complains with the value and what was expected."""
    expect = "a date like 2026-12-24"
    if isinstance(value, datetime):
        complain(f"{show(value)} is a date and time, expected {expect} (no time)")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value.strip())
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                complain(f"{show(value)} is not a real date")
                return None
    complain(f"{show(value)} is not {expect}")
    return None
