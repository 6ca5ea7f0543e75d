"""Statistics: figures per group over a period, from the same per-day aggregates for every day.

Live day files and the aggregates kept for days removed by retention go through one path
(`kiosk.core.aggregates`), so a day gives the same figures before and after retention ran.
Only counts and whole-minute durations leave this module: never numbers, times or desks of
single tickets.

Percentiles (median, 90th percentile) are nearest-rank over whole minutes: of the N durations
sorted ascending, the p-th percentile is the value at rank ceil(p/100 * N) (1-based). Totals
merge the histograms first and take the percentile of the merged one; medians are never averaged.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from kiosk.core.aggregates import aggregate_day, load_aggregates
from kiosk.core.config import Config
from kiosk.core.queue import range_miss

DIMENSIONS = ("topic", "day", "provider", "language", "hour", "weekday-hour")
"""What `--by` can group by; the first is the default."""

FIRST_DAYS = 5
"""On days 1..FIRST_DAYS of a month the default period is the previous full month."""

COUNTS = ("issued", "served", "no_show", "cancelled", "expired", "unresolved")

DURATIONS = ("wait_median", "wait_p90", "service_median")
"""Whole minutes; None (an empty cell) when no ticket had that duration."""

COLUMNS = COUNTS + DURATIONS
"""The figures of a group, in the order of the table, the CSV and the JSON."""

GERMAN_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
MONTHS_EN = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # not calendar.month_name: that follows the process locale
MONTHS_DE = (
    "",
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

REPORT_LANGUAGES = ("de", "en")
"""Languages of the table, the CSV header and the period line (`kiosk stats --lang`)."""

WORDS: dict[str, dict[str, str]] = {
    "de": {
        # CSV header: whole words, units in brackets (what a coordinator copies into a report)
        "from": "Von",
        "to": "Bis",
        "key": "Schlüssel",
        "topic": "Thema",
        "day": "Tag",
        "provider": "Träger",
        "language": "Sprache",
        "hour": "Stunde",
        "hour_column": "Gezogen um",
        "weekday-hour": "Wochentag und Stunde",
        "weekday-hour_column": "Wochentag, gezogen um",  # the hour a number was taken, not when it was served
        "issued": "Gezogen",
        "served": "Bedient",
        "no_show": "Nicht erschienen",
        "cancelled": "Storniert",
        "expired": "Verfallen",
        "unresolved": "Offen geblieben",
        "wait_median": "Wartezeit Median (Min.)",
        "wait_p90": "Wartezeit 90 % (Min.)",
        "service_median": "Beratungsdauer Median (Min.)",
        "total": "Gesamt",
        "no_provider": "(kein Träger angegeben)",
        # period notes
        "previous full month": "Vormonat",
        "current month so far": "laufender Monat bis heute",
        "chosen month": "gewählter Monat",
        "chosen range": "gewählter Zeitraum",
        "today": "heute",
        "range": "{first} bis {last}",
    },
    "en": {
        "from": "From",
        "to": "To",
        "key": "Key",
        "topic": "Topic",
        "day": "Day",
        "provider": "Provider",
        "language": "Language",
        "hour": "Hour",
        "hour_column": "Hour issued",
        "weekday-hour": "weekday and hour",
        "weekday-hour_column": "Weekday, hour issued",
        "issued": "Issued",
        "served": "Served",
        "no_show": "No-show",
        "cancelled": "Cancelled",
        "expired": "Expired",
        "unresolved": "Unresolved",
        "wait_median": "Wait median (min)",
        "wait_p90": "Wait 90th percentile (min)",
        "service_median": "Service median (min)",
        "total": "Total",
        "no_provider": "(no provider given)",
        "range": "{first} to {last}",
    },
}
"""What people read in the table and the CSV; JSON keeps the machine names of COLUMNS."""


def words(lang: str) -> dict[str, str]:
    """The report's words in `lang` (German or English; anything else gets English)."""
    return WORDS.get(lang, WORDS["en"])


class StatsRangeError(ValueError):
    """The requested period is not usable; the message is one line a person can act on."""


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    note: str  # why this period: "previous full month", "current month so far", ...

    @property
    def whole_month(self) -> bool:
        return (
            self.first.day == 1
            and self.first.year == self.last.year
            and self.first.month == self.last.month
            and self.last.day == calendar.monthrange(self.last.year, self.last.month)[1]
        )

    def describe(self, lang: str = "en") -> str:
        """`November 2026 (previous full month)` or `2026-11-03 to 2026-11-20 (chosen range)`;
        in German `November 2026 (Vormonat)`, `2026-11-03 bis 2026-11-20 (gewählter Zeitraum)`."""
        w = words(lang)
        if self.whole_month:
            months = MONTHS_DE if lang == "de" else MONTHS_EN
            what = f"{months[self.first.month]} {self.first.year}"
        elif self.first == self.last:
            what = self.first.isoformat()
        else:
            what = w["range"].format(first=self.first.isoformat(), last=self.last.isoformat())
        note = w.get(self.note, self.note)
        return f"{what} ({note})" if note else what


def month_period(year: int, month: int, note: str) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), note)


def default_period(today: date) -> Period:
    """The previous full month on days 1..FIRST_DAYS of a month, else the current month so far."""
    if today.day <= FIRST_DAYS:
        previous = today.replace(day=1) - timedelta(days=1)
        return month_period(previous.year, previous.month, "previous full month")
    return Period(today.replace(day=1), today, "current month so far")


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_date(option: str, text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise StatsRangeError(f'{option}: "{text}" is not a date like 2026-11-30') from None
    if day.year >= 9999:  # the day after must still be a date
        raise StatsRangeError(f'{option}: "{text}" is too far in the future')
    return day


def parse_period(
    today: date,
    month: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Period:
    """The period from the options `--month` or `--from`/`--to`, or the default one.

    `--from` without `--to` runs to today. Raises StatsRangeError for a bad month or date,
    `--month` together with `--from`/`--to`, `--to` without `--from`, and from after to.
    """
    if month is not None and (date_from is not None or date_to is not None):
        raise StatsRangeError("use either --month or --from/--to, not both")
    if month is not None:
        match = _MONTH.match(month.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or not 1 <= int(match.group(1)) < 9999:
            raise StatsRangeError(f'--month: "{month}" is not a month like 2026-11')
        year, number = int(match.group(1)), int(match.group(2))
        return month_period(year, number, "chosen month")
    if date_to is not None and date_from is None:
        raise StatsRangeError("--to needs --from as well")
    if date_from is not None:
        first = _parse_date("--from", date_from)
        last = _parse_date("--to", date_to) if date_to is not None else today
        if first > last:
            raise StatsRangeError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
        return Period(first, last, "chosen range")
    return default_period(today)


# --------------------------------------------------------------------------- figures


def percentile(histogram: Mapping[int, int], p: float) -> int | None:
    """Nearest-rank percentile of a {whole minutes: count} histogram; None when it is empty.

    The value at rank ceil(p/100 * N) of the N sorted durations (rank at least 1).
    """
    total = sum(count for count in histogram.values() if count > 0)
    if total == 0:
        return None
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for minutes in sorted(histogram):
        count = histogram[minutes]
        if count <= 0:
            continue
        seen += count
        if seen >= rank:
            return int(minutes)
    return int(max(histogram))  # not reached


@dataclass
class Figures:
    """Counts and whole-minute histograms of one group (or the total)."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    unresolved: int = 0
    wait: Counter = field(default_factory=Counter)  # minutes issued -> called
    service: Counter = field(default_factory=Counter)  # minutes called -> done

    def add_row(self, row: Any) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + int(_field(row, name, 0) or 0))
        self.wait.update(_histogram(_field(row, "wait", {})))
        self.service.update(_histogram(_field(row, "service", {})))

    def merge(self, other: Figures) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wait.update(other.wait)
        self.service.update(other.service)

    @property
    def open(self) -> int:
        """Issued tickets in none of the final counts (still waiting or called today)."""
        return self.issued - sum(getattr(self, name) for name in COUNTS[1:])

    @property
    def wait_median(self) -> int | None:
        return percentile(self.wait, 50)

    @property
    def wait_p90(self) -> int | None:
        return percentile(self.wait, 90)

    @property
    def service_median(self) -> int | None:
        return percentile(self.service, 50)

    def values(self) -> dict[str, int | None]:
        """Column name -> value, in COLUMNS order."""
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(frozen=True)
class Group:
    key: str  # machine key: topic id, provider, language code, hour "13", ISO day
    label: str  # what a person reads: "Sprechstunde Integration (A)", "Українська (uk)", ...
    figures: Figures


@dataclass(frozen=True)
class EstimateAccuracy:
    """How the wait ranges told at issue held up, over the tickets that were called.

    `median_miss` is the median of how many minutes each wait fell outside the range told
    (0 when inside); None without any called ticket that was told a range. Tickets told "not
    known yet" are counted apart. Only days whose file still exists count: the ranges are not
    kept in the aggregates of days removed by retention.
    """

    told: int = 0  # called tickets that were told a range at issue
    within: int = 0  # ... whose wait fell inside it
    median_miss: float | None = None  # minutes outside the range, median (0 = inside)
    unknown: int = 0  # called tickets told "not known yet"

    @property
    def within_percent(self) -> int | None:
        return round(100 * self.within / self.told) if self.told else None

    def to_json(self) -> dict[str, Any]:
        return {
            "told": self.told,
            "within": self.within,
            "within_percent": self.within_percent,
            "median_miss_minutes": self.median_miss,
            "not_known_yet": self.unknown,
        }


def estimate_accuracy(tickets: Iterable[Any]) -> EstimateAccuracy:
    """The accuracy of the ranges told to `tickets` (see EstimateAccuracy)."""
    misses: list[float] = []
    unknown = 0
    for ticket in tickets:
        waited = getattr(ticket, "wait_minutes", None)
        if waited is None or getattr(ticket, "transferred_from", None):
            continue  # never called, or its wait began in another queue
        if ticket.estimate is None:
            unknown += 1
            continue
        misses.append(range_miss(ticket.estimate, waited))
    if not misses:
        return EstimateAccuracy(unknown=unknown)
    return EstimateAccuracy(
        told=len(misses),
        within=sum(1 for miss in misses if miss == 0),
        median_miss=round(statistics.median(misses), 1),
        unknown=unknown,
    )


@dataclass
class Report:
    period: Period
    by: str
    groups: list[Group]
    total: Figures
    live_days: int = 0  # days read from their day files
    kept_days: int = 0  # days read from aggregates kept after retention removed the file
    lang: str = "en"  # of the labels, the period description and the CSV header
    damaged_days: tuple[date, ...] = ()  # figures missing or incomplete: damaged day files
    estimates: EstimateAccuracy = EstimateAccuracy()  # of the ranges told (day files only)

    @property
    def empty(self) -> bool:
        return self.total.issued == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {
                "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat(),
                "description": self.period.describe(self.lang),
            },
            "by": self.by,
            "groups": [{"key": g.key, "label": g.label, **g.figures.values()} for g in self.groups],
            "total": self.total.values(),
            "days_from_files": self.live_days,
            "days_from_kept_aggregates": self.kept_days,
            "damaged_days": [day.isoformat() for day in self.damaged_days],
            "wait_estimate": self.estimates.to_json(),
        }


# --------------------------------------------------------------------------- rows


def _field(row: Any, name: str, default: Any = None) -> Any:
    """Read a field of an aggregate row, whether it is a mapping or an object."""
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def _histogram(value: Any) -> Counter:
    """{minutes: count} from a dict (keys may be strings after JSON) or pairs."""
    result: Counter = Counter()
    if not value:
        return result
    items = value.items() if isinstance(value, Mapping) else value
    for minutes, count in items:
        result[int(minutes)] += int(count)
    return result


def _row_day(row: Any) -> date:
    day = _field(row, "day")
    return day if isinstance(day, date) else date.fromisoformat(str(day))


@dataclass
class Collected:
    """What `collect` found for a period: rows, where they came from, and damaged days."""

    rows: list
    live: set[date]  # days read from their day files
    kept: set[date]  # days read from aggregates kept after retention removed the file
    names: dict[str, tuple[str, str]]  # topic id -> (German label, letter) stored on tickets
    damaged: set[date]  # days whose figures are missing or incomplete: a damaged day file
    estimates: EstimateAccuracy = EstimateAccuracy()  # of the day files' tickets


def collect_rows(
    store: Any, config: Config, period: Period
) -> tuple[list, int, int, dict[str, tuple[str, str]]]:
    """(rows, days read from day files, days read from kept aggregates, names); see `collect`."""
    found = collect(store, config, period)
    return found.rows, len(found.live), len(found.kept), found.names


def collect(store: Any, config: Config, period: Period) -> Collected:
    """Aggregate rows of every day of the period.

    `names` maps a topic id to (German label, letter) as stored on its tickets, for topics removed
    from the config since. Days whose file still exists (`Store.days`) are aggregated now; days
    removed by retention bring the rows kept when their file was removed (`load_aggregates`). Both
    come from `aggregate_day`, so a day's figures do not change when retention removes its file.
    A day file that was damaged (salvaged, a copy kept) or cannot be read makes its day
    `damaged`: the report says so instead of quietly counting less.
    """
    rows: list = []
    names: dict[str, tuple[str, str]] = {}
    live: set[date] = set()
    kept: set[date] = set()
    salvaged: set[date] = set()
    called: list = []  # tickets of the day files, for the accuracy of the waits told
    for snapshot in store.days(period.first, period.last):
        if not period.first <= snapshot.day <= period.last or snapshot.day in live | kept:
            continue
        kept_rows = getattr(snapshot, "aggregates", None)
        if kept_rows is not None:  # a store that hands out kept rows itself
            kept.add(snapshot.day)
            rows.extend(kept_rows)
            continue
        live.add(snapshot.day)
        if getattr(snapshot, "salvaged", ()):
            salvaged.add(snapshot.day)  # damaged: what was read of it is counted
        tickets = list(snapshot.tickets)
        called.extend(t for t in tickets if t.called_at is not None)
        remember_names(names, tickets)
        rows.extend(aggregate_day(snapshot.day, tickets, config))
    # Read after Store.days: that call applied any retention due today.
    for day, day_rows in sorted(load_aggregates(store.data_dir).items()):
        if period.first <= day <= period.last and day not in live | kept:
            kept.add(day)
            rows.extend(day_rows)
    # Listed after Store.days: reading a damaged day salvages it and keeps a copy.
    on_disk, moved_aside = store.day_files(period.first, period.last)
    unreadable = {day for day in on_disk if day not in live | kept}
    return Collected(
        rows, live, kept, names, unreadable | moved_aside | salvaged, estimate_accuracy(called)
    )


def remember_names(names: dict[str, tuple[str, str]], tickets: Iterable[Any]) -> None:
    """topic id -> (German label, letter) as stored on the tickets (a transfer keeps the letter
    of the first topic, so letters come only from tickets that were never transferred)."""
    for ticket in tickets:
        label, letter = names.get(ticket.topic, ("", ""))
        if not label:
            label = ticket.topic_label
        if not letter and ticket.transferred_from is None:
            letter = ticket.letter
        names[ticket.topic] = (label, letter)


# --------------------------------------------------------------------------- grouping


def language_label(config: Config, code: str) -> str:
    language = config.languages.get(code)
    return f"{language.native_name} ({code})" if language else code


def topic_label_de(config: Config, topic_id: str, stored_label: str | None = None) -> str:
    """German label of a topic; for a topic removed from config the label stored with the tickets."""
    for code in ("de", "en"):
        language = config.languages.get(code)
        if language and topic_id in language.topics:
            return language.topics[topic_id].label
    return stored_label or f"{topic_id} (no longer configured)"


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00-{hour:02d}:59"


WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ENGLISH_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_names(config: Config, lang: str) -> tuple[str, ...]:
    """Short weekday names, Monday first: the language file's, else built-in German/English."""
    language = config.languages.get(lang)
    if language and len(language.weekdays) == 7:
        return tuple(language.weekdays)
    return GERMAN_WEEKDAYS if lang == "de" else ENGLISH_WEEKDAYS


def day_label(config: Config, day: date) -> str:
    """`2026-11-02 Mo`: ISO date and the German short weekday."""
    german = config.languages.get("de")
    names = german.weekdays if german and len(german.weekdays) == 7 else GERMAN_WEEKDAYS
    return f"{day.isoformat()} {names[day.weekday()]}"


def _group_key(
    config: Config, row: Any, by: str, names: Mapping[str, tuple[str, str]], lang: str = "en"
) -> tuple[tuple, str, str]:
    """(sort key, machine key, label) of the group a row belongs to."""
    if by == "day":
        day = _row_day(row)
        return (day.toordinal(),), day.isoformat(), day_label(config, day)
    if by == "hour":
        hour = int(_field(row, "hour", 0))
        return (hour,), f"{hour:02d}", hour_label(hour)
    if by == "weekday-hour":  # staffing: which weekday at which hour brings how many
        weekday, hour = _row_day(row).weekday(), int(_field(row, "hour", 0))
        label = f"{weekday_names(config, lang)[weekday]} {hour_label(hour)}"
        return (weekday, hour), f"{WEEKDAY_KEYS[weekday]}-{hour:02d}", label
    if by == "language":
        code = str(_field(row, "lang", ""))
        order = list(config.languages)
        rank = order.index(code) if code in order else len(order)
        return (rank, code), code, language_label(config, code)
    if by == "provider":
        provider = str(_field(row, "provider", "") or "")
        order = list(dict.fromkeys(t.provider for t in config.topics))
        rank = order.index(provider) if provider in order else len(order)
        return (rank, provider), provider, provider or words(lang)["no_provider"]
    if by == "topic":
        topic_id = str(_field(row, "topic", ""))
        topic = config.topic(topic_id)
        stored_label, stored_letter = names.get(topic_id, ("", ""))
        letter = topic.letter if topic else (_field(row, "letter") or stored_letter)
        label = topic_label_de(config, topic_id, _field(row, "topic_label") or stored_label)
        if letter:
            label = f"{letter}: {label}"
        ids = [t.id for t in config.topics]
        rank = ids.index(topic_id) if topic_id in ids else len(ids)
        return (rank, letter, topic_id), topic_id, label
    raise ValueError(f"unknown grouping {by!r}; one of {', '.join(DIMENSIONS)}")


def build_report(
    config: Config,
    rows: Iterable[Any],
    period: Period,
    by: str,
    live_days: int = 0,
    kept_days: int = 0,
    names: Mapping[str, tuple[str, str]] | None = None,
    every_configured: bool = False,
    lang: str = "en",
) -> Report:
    """Group aggregate rows by one dimension; the total merges every row's counts and histograms.

    With `every_configured`, each topic, provider or language of the config gets its row even
    without tickets (zeros): a monthly report then has the same rows every month, and a month
    without visitors still shows every topic with 0.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown grouping {by!r}; one of {', '.join(DIMENSIONS)}")
    groups: dict[str, tuple[tuple, str, Figures]] = {}
    total = Figures()
    for seed in _configured_groups(config, by) if every_configured else ():
        sort, key, label = _group_key(config, seed, by, names or {}, lang)
        groups.setdefault(key, (sort, label, Figures()))
    for row in rows:
        sort, key, label = _group_key(config, row, by, names or {}, lang)
        if key not in groups:
            groups[key] = (sort, label, Figures())
        groups[key][2].add_row(row)
        total.add_row(row)
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    return Report(
        period=period,
        by=by,
        groups=[Group(key, label, figures) for key, (_, label, figures) in ordered],
        total=total,
        live_days=live_days,
        kept_days=kept_days,
        lang=lang,
    )


def _configured_groups(config: Config, by: str) -> list[dict[str, str]]:
    """A row-like seed per configured topic, provider or language (none for day and hour)."""
    if by == "topic":
        return [{"topic": topic.id} for topic in config.topics]
    if by == "provider":
        return [{"provider": topic.provider} for topic in config.topics if topic.provider]
    if by == "language":
        return [{"lang": code} for code in config.languages]
    return []


def make_report(store: Any, config: Config, period: Period, by: str, lang: str = "en") -> Report:
    """Everything `kiosk stats` shows: rows of the period grouped by `by`, every configured
    topic, provider or language included (with zeros when it had no tickets)."""
    return report_of(config, collect(store, config, period), period, by, lang)


def report_of(
    config: Config, found: Collected, period: Period, by: str, lang: str = "en"
) -> Report:
    """The report grouped by `by` from rows already collected (several groupings, one read)."""
    report = build_report(
        config,
        found.rows,
        period,
        by,
        len(found.live),
        len(found.kept),
        found.names,
        every_configured=True,
        lang=lang,
    )
    report.damaged_days = tuple(sorted(found.damaged))
    report.estimates = found.estimates
    return report


# --------------------------------------------------------------------------- CSV

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark: Excel then reads umlauts, Cyrillic and Arabic correctly."""

CSV_DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t"}
"""Semicolon by default: German-locale Excel splits on semicolons (the comma is its decimal mark)."""


def csv_header(by: str, lang: str = "en") -> list[str]:
    """`Von;Bis;Thema;Schlüssel;Gezogen;...;Beratungsdauer Median (Min.)` in German,
    `From;To;Topic;Key;Issued;...;Service median (min)` in English."""
    w = words(lang)
    return [w["from"], w["to"], group_heading(by, lang), w["key"], *(w[n] for n in COLUMNS)]


def group_heading(by: str, lang: str = "en") -> str:
    """Heading of the group column: `Thema`, `Gezogen um` (hour of issue), ..."""
    w = words(lang)
    return w.get(f"{by}_column", w[by])


def csv_rows(report: Report) -> list[list[str]]:
    """Header row, one row per group and a last row for the total; integers or empty cells."""
    first, last = report.period.first.isoformat(), report.period.last.isoformat()

    def cells(figures: Figures) -> list[str]:
        return ["" if v is None else str(v) for v in figures.values().values()]

    out = [csv_header(report.by, report.lang)]
    for group in report.groups:
        out.append([first, last, group.label, group.key, *cells(group.figures)])
    out.append([first, last, words(report.lang)["total"], "", *cells(report.total)])
    return out


def write_csv(report: Report, target: Path | IO[str], delimiter: str = ";") -> None:
    """Write the report as CSV: `delimiter`-separated, UTF-8 with BOM when writing a file.

    A text stream given as `target` gets the same rows (its encoding is the caller's).
    """
    if isinstance(target, Path | str):
        with open(target, "w", encoding=CSV_ENCODING, newline="") as handle:
            _write(report, handle, delimiter)
    else:
        _write(report, target, delimiter)


def _write(report: Report, handle: IO[str], delimiter: str) -> None:
    # QUOTE_MINIMAL + CRLF (the csv module's default) is what spreadsheet programs expect.
    writer = csv.writer(handle, delimiter=delimiter)
    writer.writerows(csv_rows(report))


def csv_text(report: Report, delimiter: str = ";") -> str:
    buffer = io.StringIO()
    _write(report, buffer, delimiter)
    return buffer.getvalue()


# --------------------------------------------------------------------------- today (staff view)


@dataclass
class Today:
    """Today so far, for the staff app's stats view."""

    day: date
    by_topic: list[Group]
    by_language: list[Group]
    by_hour: list[tuple[int, int]]  # (hour, tickets issued in it), every hour from first to last
    total: Figures
    waiting: int  # waiting now
    called: int  # called and not finished now


def today_figures(config: Config, day: date, tickets: Iterable[Any]) -> Today:
    """Figures of one day from its tickets, through the same aggregation as `kiosk stats`."""
    tickets = list(tickets)
    rows = list(aggregate_day(day, tickets, config))
    names: dict[str, tuple[str, str]] = {}
    remember_names(names, tickets)
    period = Period(day, day, "today")
    by_topic = build_report(config, rows, period, "topic", names=names)
    by_language = build_report(config, rows, period, "language", names=names)
    hours = build_report(config, rows, period, "hour", names=names)
    counts = {int(g.key): g.figures.issued for g in hours.groups}
    by_hour = [(h, counts.get(h, 0)) for h in range(min(counts), max(counts) + 1)] if counts else []
    waiting = sum(1 for t in tickets if str(_field(t, "state")) == "waiting")
    called = sum(1 for t in tickets if str(_field(t, "state")) == "called")
    return Today(day, by_topic.groups, by_language.groups, by_hour, by_topic.total, waiting, called)
