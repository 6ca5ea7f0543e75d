"""Opening hours: open now? still issuing? next opening? per topic and for the hotline.

How a day's hours are found, for a schedule and a date:

1. The weekly period in effect: the latest period with ``valid_from <= day``. Before the first
   period the schedule is closed.
2. A special day of that schedule on that date replaces the week's slots (empty slots = closed).
3. A public holiday (``config.public_holidays``, from the `holidays` library) closes every
   schedule, unless that schedule has a special day on that date: the special day's slots apply.
4. Closures (``config.closures``) covering the date: one without topics and schedules closes
   everything (every schedule, the hotline included); ``schedules`` closes those schedules;
   ``topics`` closes only those topics (when a ``topic_id`` is asked about). A closure naming
   both closes the union.

Slots are local wall times of ``config.site.timezone``. Every instant is built by attaching the
zone to the wall time and normalising through UTC, and every comparison is made in UTC, so the
DST days give the right real lengths and instants. A wall time that is ambiguous (the repeated
autumn hour) or does not exist (the spring gap) takes the ``fold=0`` reading: the offset before
the change. A slot ending inside the autumn fold thus ends at its first occurrence; a slot lying
wholly inside the spring gap has no real length that day and is dropped; one starting in the gap
starts when the clocks jump (02:30 -> 03:30 CEST, the moment the gap ends plus the overhang).

A topic stops issuing ``last_ticket_minutes`` real minutes before its interval closes (the
"margin"). Hours results are cached per (schedule, topic, day) inside one ``Hours``: build a new
``Hours`` when the config changes (hot reload), never mutate the config under it.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core import public_holidays
from kiosk.core.config import Config, Language, Schedule, Slot, WeeklyPeriod
from kiosk.core.errors import UnknownTopic

log = logging.getLogger("kiosk.config")

__all__ = ["Hours", "TopicStatus", "format_when", "HORIZON_DAYS"]

HORIZON_DAYS = 400
"""How far ahead next opening / next issue is looked for before answering None."""

_CACHE_LIMIT = 50_000  # day entries; a kiosk running for years must not grow without bound

# Used when a language file lacks weekday names (never raise on missing words).
_FALLBACK_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def _days_after(day: date, days: int) -> date:
    """`day` plus `days`, or date.max if that is past the calendar's end."""
    if (date.max - day).days < days:
        return date.max
    return day + timedelta(days=days)


@dataclass(frozen=True)
class TopicStatus:
    """Where a topic stands by its schedule at one moment (no daily limit, no staff pause).

    Attributes:
        topic: the topic id.
        open_now: inside one of today's intervals.
        issuing: open and before ``issue_until`` (closing minus the last-ticket margin).
        reason: "open" (issuing), "margin" (open, but past the last-ticket time),
            "closure" (today closed by a closure, a public holiday or a special day that would
            otherwise have hours),
            "closed" (outside the hours).
        closes_at: end of the current interval (None when not open).
        issue_until: last moment tickets are issued in the current interval, exclusive
            (None when not open).
        next_issue_at: the next moment the topic issues again (None while issuing now, and when
            it will not issue within the horizon).
    """

    topic: str
    open_now: bool
    issuing: bool
    reason: str
    closes_at: datetime | None
    issue_until: datetime | None
    next_issue_at: datetime | None


@dataclass(frozen=True)
class _Interval:
    start_utc: datetime
    end_utc: datetime
    start: datetime  # the same instants, aware local time of the site
    end: datetime


class Hours:
    """Opening hours of one Config; all answers are pure functions of the config and `at`."""

    def __init__(self, config: Config):
        self.config = config
        self.tz: ZoneInfo = config.site.timezone
        self._topics = {t.id: t for t in config.topics}
        self._special: dict[str, dict[date, tuple[Slot, ...]]] = {
            sid: {s.day: s.slots for s in sched.special_days}
            for sid, sched in config.schedules.items()
        }
        self._period_starts: dict[str, list[date]] = {
            sid: [p.valid_from for p in sched.periods] for sid, sched in config.schedules.items()
        }
        self._days: dict[tuple[str, str | None, date], tuple[_Interval, ...]] = {}
        self._holiday_years: dict[int, Mapping[date, str]] = {}
        # (schedule, topic, day, min_length, last_day) -> first qualifying interval after `day`
        self._next_after: dict[tuple, _Interval | None] = {}

    # ---- one day -------------------------------------------------------------------------

    def _schedule(self, schedule_id: str) -> Schedule:
        try:
            return self.config.schedules[schedule_id]
        except KeyError:
            raise KeyError(f'unknown schedule "{schedule_id}"') from None

    def period_for(self, schedule_id: str, day: date) -> WeeklyPeriod | None:
        """The weekly period in effect on `day` (the latest valid_from <= day), or None."""
        schedule = self._schedule(schedule_id)
        index = bisect.bisect_right(self._period_starts[schedule_id], day)
        return schedule.periods[index - 1] if index else None

    def _planned_slots(self, schedule_id: str, day: date) -> tuple[tuple[Slot, ...], bool]:
        """Slots of the day before closures, and whether the regular week had hours that day."""
        period = self.period_for(schedule_id, day)
        weekly = period.week.get(day.weekday(), ()) if period else ()
        special = self._special[schedule_id].get(day)
        return (weekly if special is None else special), bool(weekly)

    def planned_slots(self, schedule_id: str, day: date) -> tuple[Slot, ...]:
        """The day's slots by the weekly period and special days, before closures."""
        return self._planned_slots(schedule_id, day)[0]

    def _closed_by_closure(self, schedule_id: str, day: date, topic_id: str | None) -> bool:
        for closure in self.config.closures:
            if not closure.covers(day):
                continue
            if not closure.topics and not closure.schedules:
                return True
            if schedule_id in closure.schedules:
                return True
            if topic_id is not None and topic_id in closure.topics:
                return True
        return False

    def holiday(self, day: date) -> str | None:
        """The name of the public holiday on `day`, or None (also without [public_holidays])."""
        settings = self.config.public_holidays
        if settings is None:
            return None
        names = self._holiday_years.get(day.year)
        if names is None:
            try:
                names = public_holidays.names(settings.country, settings.subdivision, day.year)
            except Exception as error:  # a kiosk never crashes on config: check-config names it
                log.error("public holidays of %s unknown, treated as none: %s", day.year, error)
                names = {}
            self._holiday_years[day.year] = names
        return names.get(day)

    def _closed_by_holiday(self, schedule_id: str, day: date) -> bool:
        """A public holiday closes a schedule unless a special day of it gives that day hours."""
        return day not in self._special[schedule_id] and self.holiday(day) is not None

    def _local(self, day: date, wall: time) -> tuple[datetime, datetime]:
        """(UTC, local) instants of a wall time on a day; fold=0 in the fold and in the gap."""
        naive_aware = datetime.combine(day, wall, tzinfo=self.tz).replace(fold=0)
        utc = naive_aware.astimezone(UTC)
        return utc, utc.astimezone(self.tz)

    def _day(self, schedule_id: str, day: date, topic_id: str | None) -> tuple[_Interval, ...]:
        key = (schedule_id, topic_id, day)
        cached = self._days.get(key)
        if cached is not None:
            return cached
        slots, _ = self._planned_slots(schedule_id, day)
        result: list[_Interval] = []
        if (
            slots
            and not self._closed_by_closure(schedule_id, day, topic_id)
            and not self._closed_by_holiday(schedule_id, day)
        ):
            for slot in slots:
                start_utc, start = self._local(day, slot.start)
                end_utc, end = self._local(day, slot.end)
                if end_utc > start_utc:  # a slot wholly inside the spring gap does not exist
                    result.append(_Interval(start_utc, end_utc, start, end))
            result.sort(key=lambda i: i.start_utc)
        if len(self._days) >= _CACHE_LIMIT:
            self._days.clear()
            self._next_after.clear()
        self._days[key] = out = tuple(result)
        return out

    def intervals(
        self, schedule_id: str, day: date, topic_id: str | None = None
    ) -> list[tuple[datetime, datetime]]:
        """Opening intervals [start, end) of a schedule on a local date, as aware local times.

        Applies the period in effect, special days and closures (global, per schedule and, when
        `topic_id` is given, per topic). Raises KeyError for an unknown schedule.
        """
        return [(i.start, i.end) for i in self._day(schedule_id, day, topic_id)]

    # ---- moments -------------------------------------------------------------------------

    def _current(
        self, schedule_id: str, at: datetime, topic_id: str | None
    ) -> tuple[date, datetime, _Interval | None]:
        at_utc = at.astimezone(UTC)
        day = at_utc.astimezone(self.tz).date()
        for interval in self._day(schedule_id, day, topic_id):
            if interval.start_utc <= at_utc < interval.end_utc:
                return day, at_utc, interval
        return day, at_utc, None

    def is_open(self, schedule_id: str, at: datetime, topic_id: str | None = None) -> bool:
        """Whether `at` lies inside an opening interval (start inclusive, end exclusive)."""
        return self._current(schedule_id, at, topic_id)[2] is not None

    def _next_start(
        self,
        schedule_id: str,
        at_utc: datetime,
        day: date,
        topic_id: str | None,
        horizon_days: int,
        min_length: timedelta = timedelta(0),
    ) -> _Interval | None:
        """First interval starting strictly after `at_utc` and longer than `min_length`."""
        for interval in self._day(schedule_id, day, topic_id):
            if interval.start_utc > at_utc and interval.end_utc - interval.start_utc > min_length:
                return interval
        # Never past the last date Python knows (a clock set to 9999-12-31 must not crash).
        last_day = _days_after(day, horizon_days)
        key = (schedule_id, topic_id, day, min_length, last_day)
        if key in self._next_after:
            return self._next_after[key]
        found = None
        probe = _days_after(day, 1)
        while day < probe <= last_day:
            found = next(
                (
                    i
                    for i in self._day(schedule_id, probe, topic_id)
                    if i.end_utc - i.start_utc > min_length
                ),
                None,
            )
            if found is not None:
                break
            if probe == date.max:
                break
            probe = self._skip_closed(schedule_id, probe, topic_id)
        self._next_after[key] = found
        return found

    def _skip_closed(self, schedule_id: str, day: date, topic_id: str | None) -> date:
        """The day after `day`, or after the end of a closure covering `day` (fast skipping)."""
        after = _days_after(day, 1)
        for closure in self.config.closures:
            if closure.covers(day) and (
                (not closure.topics and not closure.schedules)
                or schedule_id in closure.schedules
                or (topic_id is not None and topic_id in closure.topics)
            ):
                after = max(after, _days_after(closure.last, 1))
        return after

    def next_opening(
        self,
        schedule_id: str,
        at: datetime,
        topic_id: str | None = None,
        horizon_days: int = HORIZON_DAYS,
    ) -> datetime | None:
        """Start of the current interval if open at `at`, else the next interval start > `at`.

        None when nothing opens within `horizon_days` days.
        """
        day, at_utc, current = self._current(schedule_id, at, topic_id)
        if current is not None:
            return current.start
        found = self._next_start(schedule_id, at_utc, day, topic_id, horizon_days)
        return found.start if found else None

    # ---- topics and the hotline ----------------------------------------------------------

    def topic_status(self, topic_id: str, at: datetime) -> TopicStatus:
        """The schedule-only status of a topic at `at` (see TopicStatus).

        Raises UnknownTopic for a topic the config does not have.
        """
        topic = self._topics.get(topic_id)
        if topic is None:
            raise UnknownTopic(topic_id)
        margin = timedelta(minutes=topic.last_ticket_minutes)
        day, at_utc, current = self._current(topic.schedule, at, topic_id)
        if current is not None:
            until_utc = max(current.start_utc, current.end_utc - margin)
            if at_utc < until_utc:
                return TopicStatus(
                    topic_id, True, True, "open", current.end, until_utc.astimezone(self.tz), None
                )
            closes_at, issue_until = current.end, until_utc.astimezone(self.tz)
            reason = "margin"
        else:
            closes_at = issue_until = None
            reason = "closed"
            slots, weekly = self._planned_slots(topic.schedule, day)
            # Today would have had hours, but a closure, a public holiday (or a special day
            # without slots) took them.
            if (
                slots
                and (
                    self._closed_by_closure(topic.schedule, day, topic_id)
                    or self._closed_by_holiday(topic.schedule, day)
                )
            ) or (weekly and not slots):
                reason = "closure"
        # An interval no longer than the margin never issues: look past it.
        found = self._next_start(topic.schedule, at_utc, day, topic_id, HORIZON_DAYS, margin)
        return TopicStatus(
            topic_id,
            current is not None,
            False,
            reason,
            closes_at,
            issue_until,
            found.start if found else None,
        )

    def hotline_open(self, at: datetime) -> bool:
        """Whether the information hotline is staffed at `at` (False without a hotline schedule)."""
        schedule_id = self.config.site.hotline.schedule
        if schedule_id not in self.config.schedules:
            return False
        return self.is_open(schedule_id, at)

    def hotline_next(self, at: datetime) -> datetime | None:
        """When the hotline is (or was, if open now) reached next; see next_opening."""
        schedule_id = self.config.site.hotline.schedule
        if schedule_id not in self.config.schedules:
            return None
        return self.next_opening(schedule_id, at)

    # ---- text ----------------------------------------------------------------------------

    def week_lines(self, schedule_id: str, language: Language, at: datetime) -> list[str]:
        """The regular week of the period in effect at `at`, one line per group of equal hours.

        E.g. ``["Mo, Mi 12:30–16:30", "Do 13:00–17:00"]``, in the language's short weekday
        names (lists joined with "، " in right-to-left languages), groups ordered by their
        first weekday, days without hours left out. Special days and closures are not part of
        the week and are not shown. Before the first period the first (upcoming) period is
        shown. A later period starting soon is not mentioned: the lines change on its first day.
        """
        day = at.astimezone(self.tz).date()
        period = self.period_for(schedule_id, day)
        if period is None:
            periods = self._schedule(schedule_id).periods
            if not periods:
                return []
            period = periods[0]
        names = _weekday_names(language, long=False)
        # Arabic and Farsi write lists with the Arabic comma.
        comma = "\u060c " if getattr(language, "direction", "ltr") == "rtl" else ", "
        groups: dict[tuple[Slot, ...], list[int]] = {}
        for weekday in range(7):
            slots = period.week.get(weekday, ())
            if slots:
                groups.setdefault(tuple(slots), []).append(weekday)
        return [
            comma.join(names[d] for d in days)
            + " "
            + comma.join(f"{s.start:%H:%M}\u2013{s.end:%H:%M}" for s in slots)
            for slots, days in groups.items()
        ]


def _weekday_names(language: Language, long: bool) -> tuple[str, ...]:
    names = tuple(getattr(language, "weekdays_long" if long else "weekdays", ()) or ())
    if len(names) == 7 and all(names):
        return names
    if long:  # long names missing: the short ones are better than nothing
        return _weekday_names(language, long=False)
    return _FALLBACK_WEEKDAYS


def format_when(at: datetime, now: datetime, language: Language) -> str:
    """A moment as a visitor reads it, relative to `now` (both aware; shown in now's zone).

    "heute 13:00", "morgen 13:00", the long weekday within the next 6 days ("Donnerstag 13:00"),
    further away (or in the past) the short weekday and date "Mo 04.01. 12:30", with the year
    ("Mo 04.01.2027 12:30") when it differs from now's. A missing word falls back to the date
    form; this never raises on a language file's gaps.
    """
    local = at.astimezone(now.tzinfo) if now.tzinfo is not None else at
    days = (local.date() - now.date()).days
    clock = f"{local:%H:%M}"
    visitor = getattr(language, "visitor", None) or {}
    word = ""
    if days == 0:
        word = visitor.get("today", "")
    elif days == 1:
        word = visitor.get("tomorrow", "")
    elif 2 <= days <= 6:
        long_names = tuple(getattr(language, "weekdays_long", ()) or ())
        word = long_names[local.weekday()] if len(long_names) == 7 else ""
    if word:
        return f"{word} {clock}"
    short = _weekday_names(language, long=False)[local.weekday()]
    year = f"{local.year}" if local.year != now.year else ""
    return f"{short} {local:%d.%m.}{year} {clock}"
