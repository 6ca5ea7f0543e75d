"""A small Config factory for the opening-hours tests (independent of the shipped config/)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.config import (
    Closure,
    Config,
    DisplaySettings,
    Hotline,
    Language,
    Schedule,
    Site,
    Slot,
    SpecialDay,
    Timeouts,
    Topic,
    WeeklyPeriod,
)

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def at(text: str) -> datetime:
    """`2026-11-30 13:00` as an aware Berlin time (fold=0)."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def slots(*texts: str) -> tuple[Slot, ...]:
    """slots("12:30-16:30", "17:00-18:00")"""
    out = []
    for text in texts:
        start, end = text.split("-")
        out.append(Slot(time.fromisoformat(start), time.fromisoformat(end)))
    return tuple(out)


def period(valid_from: str, **days: str | tuple[str, ...]) -> WeeklyPeriod:
    """period("2022-10-05", mon="12:30-16:30", thu=("09:00-12:00", "13:00-17:00"))"""
    week = {}
    for name, value in days.items():
        texts = (value,) if isinstance(value, str) else value
        week[DAYS.index(name)] = slots(*texts)
    return WeeklyPeriod(date.fromisoformat(valid_from), week)


def special(day: str, *texts: str, note: str = "") -> SpecialDay:
    return SpecialDay(date.fromisoformat(day), slots(*texts), note)


def closure(first: str, last: str | None = None, *, topics=(), schedules=()) -> Closure:
    return Closure(
        date.fromisoformat(first),
        date.fromisoformat(last or first),
        "test",
        tuple(topics),
        tuple(schedules),
    )


# The published hours of the service point (DESIGN.md).
KIM = Schedule(
    "kim",
    "Sprechstunde Integration",
    (period("2022-10-05", mon="12:30-16:30", wed="12:30-16:30", thu="13:00-17:00"),),
)
JSL = Schedule(
    "jsl",
    "JSL offene Beratung",
    (period("2022-10-05", tue="13:00-16:30", thu="13:00-16:30", fri="11:00-13:00"),),
)
HOTLINE = Schedule(
    "hotline",
    "Infotelefon",
    (period("2022-03-01", **{d: "08:00-16:00" for d in DAYS[:5]}),),
)

TOPICS = (
    Topic("kim", "A", "kim", "KIM", None, 30),
    Topic("ba", "B", "kim", "Bundesagentur für Arbeit", None, 30),
    Topic("vhs", "V", "kim", "VHS", None, 30),
    Topic("jsl", "J", "jsl", "JOB Service Leverkusen", None, 15),
)


def language(code: str = "de") -> Language:
    if code == "de":
        return Language(
            "de",
            "Deutsch",
            "ltr",
            {"today": "heute", "tomorrow": "morgen", "closed": "geschlossen"},
            {},
            {},
            ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
            ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        )
    if code == "en":
        return Language(
            "en",
            "English",
            "ltr",
            {"today": "today", "tomorrow": "tomorrow", "closed": "closed"},
            {},
            {},
            ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        )
    raise ValueError(code)


def make_config(
    schedules: tuple[Schedule, ...] = (KIM, JSL, HOTLINE),
    closures: tuple[Closure, ...] = (),
    topics: tuple[Topic, ...] = TOPICS,
    hotline_schedule: str = "hotline",
) -> Config:
    site = Site(
        name="Service-Point Integration",
        address="Wiesdorfer Platz 34a, 51373 Leverkusen",
        floor={"de": "Obergeschoss"},
        timezone=BERLIN,
        hotline=Hotline("0214/406-3333", hotline_schedule),
        urgent=(),
        timeouts=Timeouts(),
        display=DisplaySettings(),
        languages=("de", "en"),
    )
    return Config(
        path=Path("test-config"),
        site=site,
        schedules={s.id: s for s in schedules},
        closures=tuple(closures),
        topics=tuple(topics),
        desks=(),
        languages={"de": language("de"), "en": language("en")},
    )
