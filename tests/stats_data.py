"""Realistic day files for the statistics tests, made through the real Store API.

A FixedClock moves through each opening day; visitors of several topics and languages arrive,
wait in a first-come queue per topic, are called at the topic's desks and end done, no-show,
cancelled (waiting or called), expired (still waiting at day end) or unresolved (called, never
finished). Every visit is kept as a `Visit` with its whole-minute wait and service time, so tests
can compute the expected figures by hand, independently of the aggregation code.

Run as a script to fill a folder with a month (with the shipped config, or this test config):
    python tests/stats_data.py /tmp/statsdata 2026-11 --config config
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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

BERLIN = ZoneInfo("Europe/Berlin")

# Topic id -> German label (what the store keeps on each ticket), and which languages come.
TOPIC_LABELS = {
    "kim": "Sprechstunde Integration",
    "ba": "Arbeit und Beruf (Agentur für Arbeit)",
    "vhs": "Sprachkurse (VHS)",
    "jsl": "JSL offene Beratung",
    "ukr": "Erstanlaufstelle Ukraine",  # removed from the config later: a retired topic
}

LANGUAGES = {
    "de": "Deutsch",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "tr": "Türkçe",
    "fa": "فارسی",
}
LANGUAGE_WEIGHTS = {"de": 30, "uk": 25, "ar": 15, "ru": 10, "tr": 8, "fa": 7, "en": 5}

OUTCOMES = ("done", "no_show", "cancel_waiting", "cancel_called", "expired", "unresolved")


def _slots(*texts: str) -> tuple[Slot, ...]:
    out = []
    for text in texts:
        start, end = text.split("-")
        out.append(Slot(time.fromisoformat(start), time.fromisoformat(end)))
    return tuple(out)


# The published hours (DESIGN.md): KIM Mon/Wed 12:30-16:30, Thu 13:00-17:00; JSL Tue/Thu
# 13:00-16:30, Fri 11:00-13:00; the hotline 8-16 on weekdays.
SCHEDULES = (
    Schedule(
        "kim",
        "Sprechstunde Integration",
        (
            WeeklyPeriod(
                date(2022, 10, 5),
                {0: _slots("12:30-16:30"), 2: _slots("12:30-16:30"), 3: _slots("13:00-17:00")},
            ),
        ),
    ),
    Schedule(
        "jsl",
        "JSL offene Beratung",
        (
            WeeklyPeriod(
                date(2022, 10, 5),
                {1: _slots("13:00-16:30"), 3: _slots("13:00-16:30"), 4: _slots("11:00-13:00")},
            ),
        ),
    ),
    Schedule(
        "hotline",
        "Infotelefon",
        (WeeklyPeriod(date(2022, 3, 1), {d: _slots("08:00-16:00") for d in range(5)}),),
    ),
)

ALL_TOPICS = (
    Topic("kim", "A", "kim", "KIM", None, 15),
    Topic("ba", "B", "kim", "Bundesagentur für Arbeit", None, 15),
    Topic("vhs", "V", "kim", "Volkshochschule", None, 15),
    Topic("jsl", "J", "jsl", "JOB Service Leverkusen", None, 15),
    Topic("ukr", "U", "kim", "Stadt Leverkusen", None, 15),
)

DESKS = (
    Desk("kim1", "Platz 1", ("kim",)),
    Desk("kim2", "Platz 2", ("kim",)),
    Desk("ba", "Platz 3", ("ba",)),
    Desk("vhs", "Platz 4", ("vhs",)),
    Desk("jsl1", "Platz 5", ("jsl",)),
    Desk("jsl2", "Platz 6", ("jsl",)),
    Desk("ukr", "Platz 7", ("ukr",)),
)


def topic_desks(config: Config) -> dict[str, list[str]]:
    """topic id -> desks that call it by default (any desk when none does)."""
    everyone = [d.id for d in config.desks]
    return {
        t.id: [d.id for d in config.desks if t.id in d.topics] or everyone for t in config.topics
    }


GERMAN_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def _language(code: str) -> Language:
    topics = {}
    if code == "de":
        topics = {tid: TopicText(label, "") for tid, label in TOPIC_LABELS.items()}
    elif code == "en":
        topics = {"kim": TopicText("Integration consultation", "")}
    weekdays = (
        GERMAN_WEEKDAYS if code == "de" else ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    )
    return Language(
        code,
        LANGUAGES[code],
        "rtl" if code in ("ar", "fa") else "ltr",
        {"today": "heute", "tomorrow": "morgen", "closed": "geschlossen"},
        {"title": "Personal"} if code in ("de", "en") else {},
        topics,
        weekdays,
        weekdays,
    )


def make_config(
    *, retention_days: int = 400, with_retired_topic: bool = True, path: Path | None = None
) -> Config:
    """The generation config; `with_retired_topic=False` is the later config without "ukr"."""
    topics = ALL_TOPICS if with_retired_topic else tuple(t for t in ALL_TOPICS if t.id != "ukr")
    languages = {code: _language(code) for code in LANGUAGES}
    if not with_retired_topic:
        german = languages["de"]
        languages["de"] = Language(
            german.code,
            german.native_name,
            german.direction,
            german.visitor,
            german.staff,
            {k: v for k, v in german.topics.items() if k != "ukr"},
            german.weekdays,
            german.weekdays_long,
        )
    site = Site(
        name="Service-Point Integration",
        address="Wiesdorfer Platz 34a, 51373 Leverkusen",
        floor={"de": "Obergeschoss"},
        timezone=BERLIN,
        hotline=Hotline("0214/406-3333", "hotline"),
        urgent=(),
        timeouts=Timeouts(),
        display=DisplaySettings(),
        retention_days=retention_days,
        languages=tuple(LANGUAGES),
    )
    return Config(
        path=path or Path("stats-test-config"),
        site=site,
        schedules={s.id: s for s in SCHEDULES},
        closures=(),
        topics=topics,
        desks=DESKS if with_retired_topic else tuple(d for d in DESKS if d.id != "ukr"),
        languages=languages,
    )


def local(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), BERLIN)


@dataclass
class Visit:
    """One visitor as planned: the truth the expected figures are computed from."""

    topic: str
    lang: str
    arrive: datetime
    outcome: str  # one of OUTCOMES
    called: datetime | None = None
    finished: datetime | None = None  # done, no_show, cancel_*; None for expired/unresolved
    desk: str | None = None
    number: str = ""

    @property
    def day(self) -> date:
        return self.arrive.date()

    @property
    def wait(self) -> int | None:
        """Whole minutes issued -> called, for every visit that was called."""
        if self.called is None:
            return None
        return int((self.called - self.arrive).total_seconds() // 60)

    @property
    def service(self) -> int | None:
        """Whole minutes called -> done, for served visits only."""
        if self.outcome != "done" or self.called is None or self.finished is None:
            return None
        return int((self.finished - self.called).total_seconds() // 60)


@dataclass
class Expected:
    """Figures of a set of visits, computed from the plan (not from the stored tickets)."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    unresolved: int = 0
    wait: Counter = field(default_factory=Counter)
    service: Counter = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        return {
            "issued": self.issued,
            "served": self.served,
            "no_show": self.no_show,
            "cancelled": self.cancelled,
            "expired": self.expired,
            "unresolved": self.unresolved,
        }


def expected(visits: list[Visit]) -> Expected:
    out = Expected()
    for visit in visits:
        out.issued += 1
        if visit.outcome == "done":
            out.served += 1
        elif visit.outcome == "no_show":
            out.no_show += 1
        elif visit.outcome in ("cancel_waiting", "cancel_called"):
            out.cancelled += 1
        elif visit.outcome == "expired":
            out.expired += 1
        elif visit.outcome == "unresolved":
            out.unresolved += 1
        if visit.wait is not None:
            out.wait[visit.wait] += 1
        if visit.service is not None:
            out.service[visit.service] += 1
    return out


# --------------------------------------------------------------------------- playing visits


def play(store, clock: FixedClock, visits: list[Visit]) -> list[Visit]:
    """Issue, call and finish the visits through the store, in time order; fills in numbers."""
    any_desk = store.config.desks[0].id
    events: list[tuple[datetime, int, int, str]] = []
    for index, visit in enumerate(visits):
        events.append((visit.arrive, 0, index, "issue"))
        if visit.called is not None:
            events.append((visit.called, 2, index, "call"))
        if visit.finished is not None:
            action = {
                "done": "done",
                "no_show": "no_show",
                "cancel_waiting": "cancel",
                "cancel_called": "cancel",
            }[visit.outcome]
            events.append((visit.finished, 1, index, action))
    # Same minute: finish a desk's ticket before it calls the next one, issue first of all.
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    for moment, _, index, action in events:
        clock.set(moment)
        visit = visits[index]
        if action == "issue":
            visit.number = store.issue(visit.topic, visit.lang).ticket.number
        elif action == "call":
            store.call(visit.desk, visit.number)
        else:
            getattr(store, action)(visit.desk or any_desk, visit.number)
    return visits


def end_days(store, clock: FixedClock, after: date) -> None:
    """Touch the day after `after`, so the store ends the earlier days (expired/unresolved)."""
    clock.set(local(after + timedelta(days=1), "07:00"))
    store.snapshot()


# --------------------------------------------------------------------------- one scripted day


def scripted_day(day: date = date(2026, 11, 2)) -> list[Visit]:
    """A Monday (KIM topics open 12:30-16:30) with every outcome, for hand-computed checks.

    kim  A-001 de  12:30 called 12:40 (wait 10) done 12:55 (service 15)   desk kim1
    kim  A-002 uk  12:35 called 12:56 (wait 21) no-show 13:00             desk kim1
    vhs  V-001 ar  12:50 cancelled while waiting 13:10
    kim  A-003 de  13:05 called 13:10 (wait 5) done 13:30 (service 20)    desk kim2
    ba   B-001 uk  13:20 called 13:20 (wait 0) done 14:05 (service 45)    desk ba
    vhs  V-002 uk  16:00 never called: expired
    kim  A-004 en  16:10 called 16:20 (wait 10), never finished: unresolved  desk kim1
    ba   B-002 ru  15:00 called 15:30 (wait 30) cancelled while called 15:31   desk ba
    ukr  U-001 uk  14:00 called 14:07 (wait 7) done 14:19 (service 12)    desk ukr
    """
    t = lambda hhmm: local(day, hhmm)  # noqa: E731
    return [
        Visit("kim", "de", t("12:30"), "done", t("12:40"), t("12:55"), "kim1"),
        Visit("kim", "uk", t("12:35"), "no_show", t("12:56"), t("13:00"), "kim1"),
        Visit("vhs", "ar", t("12:50"), "cancel_waiting", None, t("13:10"), None),
        Visit("kim", "de", t("13:05"), "done", t("13:10"), t("13:30"), "kim2"),
        Visit("ba", "uk", t("13:20"), "done", t("13:20"), t("14:05"), "ba"),
        Visit("vhs", "uk", t("16:00"), "expired"),
        Visit("kim", "en", t("16:10"), "unresolved", t("16:20"), None, "kim1"),
        Visit("ba", "ru", t("15:00"), "cancel_called", t("15:30"), t("15:31"), "ba"),
        Visit("ukr", "uk", t("14:00"), "done", t("14:07"), t("14:19"), "ukr"),
    ]


# --------------------------------------------------------------------------- a month


def _issuing_windows(config: Config, topic: Topic, day: date) -> list[tuple[datetime, datetime]]:
    from kiosk.core.hours import Hours

    windows = []
    for start, end in Hours(config).intervals(topic.schedule, day, topic.id):
        last = end - timedelta(minutes=topic.last_ticket_minutes + 1)
        if last > start:
            windows.append((start, last))
    return windows


@dataclass
class _Arrival:
    arrive: datetime
    topic: str
    lang: str
    closing: datetime  # end of the opening interval they came in
    patience: int  # minutes they wait before giving up
    roll: float  # what happens when they are called


def plan_day(config: Config, day: date, rng: random.Random) -> list[Visit]:
    """Visitors of every topic open that day, served first-come by the desks of their topic.

    A desk that serves several topics (the JSL room) calls the longest-waiting visitor of any of
    them; staff stop calling a few minutes after closing, and who is still waiting then expires
    (or gives up earlier).
    """
    languages = [code for code in LANGUAGE_WEIGHTS if code in config.languages]
    weights = [LANGUAGE_WEIGHTS[code] for code in languages]
    pending: list[_Arrival] = []
    opens: dict[str, datetime] = {}
    for topic in config.topics:
        for start, last in _issuing_windows(config, topic, day):
            opens[topic.id] = min(opens.get(topic.id, start), start)
            span = int((last - start).total_seconds() // 60)
            busy = {"kim": (10, 22), "jsl": (6, 16), "ukr": (1, 5)}.get(topic.id, (2, 8))
            closing = last + timedelta(minutes=topic.last_ticket_minutes + 1)
            for _ in range(rng.randint(*busy)):
                # Many are already there when the doors open; the rest come during the afternoon.
                offset = rng.randint(0, 15 if rng.random() < 0.35 else span)
                pending.append(
                    _Arrival(
                        start + timedelta(minutes=offset),
                        topic.id,
                        rng.choices(languages, weights)[0],
                        closing,
                        rng.randint(40, 180),
                        rng.random(),
                    )
                )
    pending.sort(key=lambda a: (a.arrive, a.topic))
    desks_of = topic_desks(config)
    serves = {desk.id: {t for t, ds in desks_of.items() if desk.id in ds} for desk in config.desks}
    free = {
        desk: min((opens[t] for t in topics if t in opens), default=None)
        for desk, topics in serves.items()
    }
    visits: list[Visit] = []
    while pending:
        # The next call: the desk that can call one of its visitors soonest.
        best = None
        for desk, topics in serves.items():
            if free[desk] is None:
                continue
            first = next((a for a in pending if a.topic in topics), None)
            if first is not None:
                call = max(free[desk], first.arrive)
                if best is None or (call, desk) < (best[0], best[1]):
                    best = (call, desk, first)
        if best is None:
            break
        call, desk, who = best
        pending.remove(who)
        visit = Visit(who.topic, who.lang, who.arrive, "done")
        if call > who.closing + timedelta(minutes=5):
            # Staff have gone home: they gave up at some point, or were still there.
            if who.arrive + timedelta(minutes=who.patience) < call:
                visit.outcome = "cancel_waiting"
                visit.finished = who.arrive + timedelta(minutes=who.patience)
            else:
                visit.outcome = "expired"
            visits.append(visit)
            continue
        if call - who.arrive > timedelta(minutes=who.patience):
            visit.outcome = "cancel_waiting"
            visit.finished = who.arrive + timedelta(minutes=who.patience)
            visits.append(visit)
            continue
        visit.called, visit.desk = call, desk
        if who.roll < 0.08:
            visit.outcome, end = "no_show", call + timedelta(minutes=3)
        elif who.roll < 0.11:
            visit.outcome, end = "cancel_called", call + timedelta(minutes=1)
        elif who.roll < 0.13:
            visit.outcome, end = "unresolved", call + timedelta(minutes=rng.randint(10, 30))
        else:
            visit.outcome, end = "done", call + timedelta(minutes=rng.randint(6, 40))
        if visit.outcome != "unresolved":
            visit.finished = end
        visits.append(visit)
        free[desk] = end + timedelta(minutes=rng.randint(1, 6))  # notes, then the next call
    for who in pending:  # a topic no desk serves: nobody called them
        visits.append(Visit(who.topic, who.lang, who.arrive, "expired"))
    return visits


@contextmanager
def without_fsync() -> Iterator[None]:
    """Skip fsync while generating test data: durability is tested elsewhere, and thousands of
    fsyncs make a generated month take seconds to tens of seconds on a busy disk."""
    saved = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = saved


def generate(
    store, clock: FixedClock, config: Config, first: date, last: date, seed: int = 6
) -> list[Visit]:
    """Play every opening day from `first` to `last` through `store`, then end the last day."""
    rng = random.Random(seed)
    everything: list[Visit] = []
    day = first
    with without_fsync():
        while day <= last:
            visits = plan_day(config, day, rng)
            if visits:
                play(store, clock, visits)
                everything.extend(visits)
            day += timedelta(days=1)
        end_days(store, clock, last)
    return everything


def main(argv: list[str]) -> int:
    import argparse

    from kiosk.core.store import Store

    parser = argparse.ArgumentParser(description="Fill a data folder with generated days.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("month", help="YYYY-MM")
    parser.add_argument(
        "--config", type=Path, help="a config folder (default: the test config of this module)"
    )
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    year, month = (int(part) for part in args.month.split("-"))
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.config:
        from kiosk.core.config import load_config

        config = load_config(args.config)
    else:
        config = make_config()
    clock = FixedClock(local(first, "07:00"))
    visits = generate(Store(args.folder, config, clock), clock, config, first, last, args.seed)
    print(f"{len(visits)} visits from {first} to {last} in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
