"""Test helpers for the store: a Config open all day, a fake Hours, and a store on tmp_path.

Independent of the shipped config/ so store tests do not depend on it being finished.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.clock import FixedClock
from kiosk.core.config import (
    Config,
    Desk,
    DisplaySettings,
    Hotline,
    Language,
    Schedule,
    Site,
    Slot,
    Timeouts,
    Topic,
    TopicText,
    WeeklyPeriod,
)
from kiosk.core.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
ALL_DAY = (Slot(time(0, 0), time(23, 59)),)

TOPICS = (
    Topic("kim", "K", "allday", "KIM"),
    Topic("jsl", "J", "allday", "JOB Service Leverkusen"),
    Topic("vhs", "V", "allday", "VHS", daily_limit=3),
)


def at(text: str, fold: int = 0) -> datetime:
    """`2026-11-30 13:00` as an aware Berlin time."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN, fold=fold)


def language(code: str, labels: dict[str, str]) -> Language:
    return Language(
        code=code,
        native_name=code,
        direction="rtl" if code == "ar" else "ltr",
        visitor={
            "people_ahead": {"de": "Vor Ihnen: {n}", "en": "People ahead: {n}"}.get(code, "{n}"),
            "nobody_ahead": {"de": "Sie sind als Nächstes dran", "en": "You are next"}.get(
                code, "-"
            ),
            "wait_estimate": "~{minutes} min",
        },
        staff={},
        topics={tid: TopicText(label, "") for tid, label in labels.items()},
        weekdays=("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
        weekdays_long=("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    )


def make_config(
    topics: tuple[Topic, ...] = TOPICS, retention_days: int = 400, path: Path | None = None
) -> Config:
    """A config whose one schedule is open 00:00-23:59 every day."""
    schedule = Schedule(
        "allday", "Allday", (WeeklyPeriod(date(2020, 1, 1), {d: ALL_DAY for d in range(7)}),)
    )
    site = Site(
        name="Service-Point Integration",
        address="Wiesdorfer Platz 34a, 51373 Leverkusen",
        floor={"de": "Obergeschoss"},
        timezone=BERLIN,
        hotline=Hotline("0214/406-3333", "allday"),
        urgent=(),
        timeouts=Timeouts(),
        display=DisplaySettings(),
        retention_days=retention_days,
        languages=("de", "en", "ar"),
    )
    languages = {
        "de": language("de", {"kim": "Sprechstunde Integration", "jsl": "JSL Beratung"}),
        "en": language("en", {"kim": "Integration advice", "jsl": "JSL advice"}),
        "ar": language("ar", {"kim": "استشارة الاندماج"}),
    }
    return Config(
        path=path or Path("/nonexistent-config"),
        site=site,
        schedules={"allday": schedule},
        closures=(),
        topics=topics,
        desks=(
            Desk("d1", "Platz 1", ("kim", "jsl")),
            Desk("d2", "Platz 2", ("jsl",)),
            Desk("d3", "Platz 3", ("kim", "jsl", "vhs")),
        ),
        languages=languages,
    )


@dataclass(frozen=True)
class FakeStatus:
    topic: str
    open_now: bool
    issuing: bool
    reason: str
    closes_at: datetime | None
    issue_until: datetime | None
    next_issue_at: datetime | None


class OpenHours:
    """Hours stand-in: every topic issues, except topics in `closed` (next opening 1 h later)."""

    def __init__(self, closed: frozenset[str] = frozenset()):
        self.closed = set(closed)

    def topic_status(self, topic_id: str, moment: datetime) -> FakeStatus:
        if topic_id in self.closed:
            return FakeStatus(
                topic_id, False, False, "closed", None, None, moment + timedelta(hours=1)
            )
        end = datetime.combine(moment.date(), time(23, 59), tzinfo=moment.tzinfo)
        return FakeStatus(topic_id, True, True, "open", end, end, None)


def make_store(
    data_dir: Path,
    now: str | datetime = "2026-11-30 13:00",
    *,
    config: Config | None = None,
    hours: OpenHours | None = None,
) -> Store:
    moment = at(now) if isinstance(now, str) else now
    return Store(
        data_dir,
        config or make_config(),
        FixedClock(moment),
        hours=hours if hours is not None else OpenHours(),
    )


def with_retention(config: Config, days: int) -> Config:
    return replace(config, site=replace(config.site, retention_days=days))
