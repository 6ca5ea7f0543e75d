"""schedules.toml: weekly periods, special days and closures; opening-time text into slots."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from kiosk.core.config.checker import MISSING, Report, Table, kind_of, show
from kiosk.core.config.models import (
    Closure,
    PublicHolidays,
    Schedule,
    Slot,
    SpecialDay,
    WeeklyPeriod,
)

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

_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")
_DASHES = "-\u2013\u2014"  # hyphen, en dash, em dash: admins type all three


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
        return f"{show(value)} is {kind_of(value)}, expected text like {example}"
    text = value.strip()
    days: list[int] = []
    if weekly:
        day_part, _, times = text.partition(" ")
        parsed_days = _parse_days(day_part)
        if isinstance(parsed_days, str):
            return f"{show(value)}: {parsed_days}"
        days = parsed_days
    else:
        times = text
        if times[:1].isalpha():
            return f"{show(value)} has a weekday; a single day's slot is just {example}"
    pieces = [p for p in re.split(f"[{_DASHES}]", times.strip())]
    if len(pieces) != 2:
        return f"{show(value)} is not an opening time like {example}"
    start, end = _parse_time(pieces[0]), _parse_time(pieces[1])
    for part in (start, end):
        if isinstance(part, str):
            return f"{show(value)}: {part}"
    assert isinstance(start, time) and isinstance(end, time)
    if end <= start:
        return (
            f"{show(value)} ends before it starts"
            if end < start
            else (f"{show(value)} ends when it starts")
        )
    return days, Slot(start, end)


def _slot_text(slot: Slot) -> str:
    return f"{slot.start:%H:%M}-{slot.end:%H:%M}"


def _check_overlaps(table: Table, key: str, entries: list[tuple[str, int, Slot]]) -> bool:
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


def _read_slots(
    table: Table, key: str, *, weekly: bool, required: bool
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
class ScheduleDraft:
    schedules: dict[str, Schedule] | None
    ids: set[str]
    closures: list[tuple[Table, Closure | None, tuple[str, ...] | None, tuple[str, ...] | None]]
    public_holidays: PublicHolidays | None = None


def read_schedules(data: dict, report: Report) -> ScheduleDraft:
    root = Table(report, "schedules.toml", "", data)
    schedule_tables = root.tables("schedules", required=True)
    closed_tables = root.tables("closed", required=False) or []
    holidays_table = root.sub("public_holidays", required=False)
    root.done()
    draft = ScheduleDraft(None, set(), [])
    holidays_ok = True
    if holidays_table is not None:
        draft.public_holidays, holidays_ok = _read_public_holidays(holidays_table)
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
        if single is not MISSING:
            if first_raw is not MISSING or last_raw is not MISSING:
                table.error(
                    "date", "give either date = ... (one day) or from = ... and to = ..., not both"
                )
                bad = True
            first = last = table.date_value("date")
        elif first_raw is MISSING and last_raw is MISSING:
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
    draft.schedules = schedules if ok and holidays_ok else None
    return draft


_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_SUBDIVISION_RE = re.compile(r"[A-Za-z0-9]{1,20}")


def _read_public_holidays(table: Table) -> tuple[PublicHolidays | None, bool]:
    """[public_holidays]: the shape only; whether the library knows the codes is checked by
    `kiosk check-config` (importing the library here would slow every start)."""
    country = table.text("country")
    subdivision = table.text("subdivision", required=False, default="")
    table.done()
    ok = True
    if country is not None and not _COUNTRY_RE.fullmatch(country):
        table.error("country", f'{show(country)} is not a country code like "DE"')
        ok = False
    if subdivision and not _SUBDIVISION_RE.fullmatch(subdivision):
        table.error("subdivision", f'{show(subdivision)} is not a subdivision code like "NW"')
        ok = False
    if country is None or subdivision is None or not ok:
        return None, False
    return PublicHolidays(country, subdivision), True
