"""Public holidays from the `holidays` library, for the country and subdivision in schedules.toml.

Importing `holidays` loads every country it knows (about 300 modules: 70-130 ms and several MB
here), far too slow for the kiosk's first frame, which needs today's answer. So the dates and
names of a few years are kept in a small JSON file (`cache/public-holidays.json` in the data
folder, once `keep_cache_in` names it) and the library is imported only when that file lacks a
year: on the first start, in a new year, for another country or after a library upgrade.
Every answer is also kept in memory for the life of the process.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType

log = logging.getLogger("kiosk.config")

CACHE_NAME = "public-holidays.json"
# Computing one year computes these around it too: the next opening is looked for up to 400 days
# ahead, and the year before serves statistics and late check-config runs.
YEARS_BEFORE, YEARS_AFTER = 1, 2
_CACHE_FORMAT = 1


class HolidayProblem(Exception):
    """The library does not know the country or subdivision (one line, for check-config).

    `key` is the key of [public_holidays] at fault: "country" or "subdivision".
    """

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(message)


_memory: dict[tuple[str, str, int], Mapping[date, str]] = {}
_cache_folder: Path | None = None
_cache_read: set[Path] = set()


def keep_cache_in(folder: Path | None) -> None:
    """Keep computed years in `folder`/public-holidays.json (None: only in memory)."""
    global _cache_folder
    _cache_folder = Path(folder) if folder is not None else None


def library_version() -> str:
    """The installed `holidays` version, read without importing the library ("" when absent)."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return ""
    site = Path(spec.origin).parent.parent
    try:
        names = os.listdir(site)
    except OSError:
        return ""
    for name in names:
        match = re.fullmatch(r"holidays-([^-]+)\.dist-info", name)
        if match:
            return match.group(1)
    return ""


def compute(country: str, subdivision: str, years: range) -> dict[date, str]:
    """The library's holidays of those years, named in the country's own language.

    Raises HolidayProblem when the library does not know the country or subdivision.
    """
    import holidays  # the slow import: see the module docstring

    try:
        known = holidays.list_supported_countries()
    except Exception:  # pragma: no cover - older library
        known = {}
    if known and country not in known:
        raise HolidayProblem(
            "country", f'"{country}" is not a country the holidays library knows (e.g. "DE")'
        )
    if known and subdivision and subdivision not in known[country]:
        listed = ", ".join(s for s in known[country] if s.isupper()) or "none"
        raise HolidayProblem(
            "subdivision",
            f'"{subdivision}" is not a subdivision of {country} the holidays library knows '
            f"(there: {listed})",
        )
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=years)
        language = getattr(calendar, "default_language", None)
        if language:  # without it the names come in English
            calendar = holidays.country_holidays(
                country, subdiv=subdivision or None, years=years, language=language
            )
    except NotImplementedError as error:
        raise HolidayProblem("subdivision" if subdivision else "country", str(error)) from None
    return {day: str(name) for day, name in sorted(calendar.items())}


def names(country: str, subdivision: str, year: int) -> Mapping[date, str]:
    """Date -> name of the public holidays of one year (memory, then the cache file, then the
    library). Raises HolidayProblem for a country or subdivision the library does not know."""
    key = (country, subdivision, year)
    found = _memory.get(key)
    if found is not None:
        return found
    if _cache_folder is not None:
        _read_cache(_cache_folder / CACHE_NAME)
        found = _memory.get(key)
        if found is not None:
            return found
    years = range(year - YEARS_BEFORE, year + YEARS_AFTER + 1)
    computed = compute(country, subdivision, years)
    for each in years:
        _memory[(country, subdivision, each)] = MappingProxyType(
            {day: name for day, name in computed.items() if day.year == each}
        )
    if _cache_folder is not None:
        _write_cache(_cache_folder / CACHE_NAME)
    return _memory[key]


def _read_cache(path: Path) -> None:
    if path in _cache_read:
        return
    _cache_read.add(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError) as error:
        log.warning("public holidays: %s unreadable, computing anew (%s)", path, error)
        return
    if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT:
        return
    if data.get("library") != library_version():
        return  # a library upgrade may correct dates: compute anew
    try:
        for entry in data["years"]:
            key = (str(entry["country"]), str(entry["subdivision"]), int(entry["year"]))
            days = {date.fromisoformat(d): str(n) for d, n in entry["holidays"].items()}
            _memory.setdefault(key, MappingProxyType(days))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        log.warning("public holidays: %s damaged, computing anew (%s)", path, error)


def _write_cache(path: Path) -> None:
    """Write every year in memory; never fails the caller (the cache only saves time)."""
    data = {
        "format": _CACHE_FORMAT,
        "library": library_version(),
        "years": [
            {
                "country": country,
                "subdivision": subdivision,
                "year": year,
                "holidays": {day.isoformat(): name for day, name in days.items()},
            }
            for (country, subdivision, year), days in sorted(_memory.items())
        ],
    }
    if not path.parent.parent.is_dir():
        return  # no data folder yet: do not create one for a cache
    # The store's own writer: atomic, and the data folder's modes (0750/0640) whatever the
    # umask. Imported here, not above: the store's modules stay off the first frame.
    from kiosk.core.storage import atomic_write, make_private_dir

    try:
        make_private_dir(path.parent)
        atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    except Exception as error:  # OSError or StorageUnavailable: the cache only saves time
        log.warning("public holidays: cannot keep them in %s (%s)", path, error)
