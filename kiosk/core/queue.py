"""Queue rules: people ahead, wait estimate, which ticket "call next" picks, what issues now.

Pure functions over a list of tickets; no disk. Times are compared in UTC: two aware datetimes
with the same ZoneInfo compare and subtract by wall time, which is wrong in the repeated
autumn DST hour.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.core.tickets import State, Ticket

if TYPE_CHECKING:
    from kiosk.core.config import Config

# Fewer finished tickets of a topic today than this: no minutes are shown.
MIN_FINISHED_FOR_ESTIMATE = 3
# Desks counted as serving a topic: those that called one of its tickets this long ago at most.
ACTIVE_DESK_WINDOW = timedelta(minutes=60)
# The wait range comes from the topic's latest calls today: at most this many ...
RECENT_CALLS = 12
# ... and at least this many, otherwise the wait is "not known yet".
MIN_CALLS_FOR_RANGE = 3
# Range ends are rounded outwards to this many minutes: "etwa 15–30 Minuten", never "17–26".
RANGE_STEP = 5


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def queue_key(ticket: Ticket) -> tuple[datetime, int, str]:
    """Arrival order: issue time, then sequence (a transferred ticket keeps both)."""
    return ticket.arrival


def people_ahead(tickets: Iterable[Ticket], ticket: Ticket) -> int:
    """Waiting tickets of the same topic that arrived earlier."""
    mine = ticket.arrival
    topic = ticket.topic
    return sum(
        1
        for other in tickets
        if other.state is State.WAITING
        and other.topic == topic
        and other.arrival < mine  # strictly earlier: never the ticket itself
    )


def wait_estimate(tickets: Iterable[Ticket], ticket: Ticket, now: datetime) -> int | None:
    """Minutes until `ticket` is probably called; None when today has too few finished tickets.

    From today's finished (done) tickets of the topic: the median service time, divided among
    the desks that called this topic in the last hour, times the people ahead plus the one
    being served. Rounded up to whole minutes.
    """
    tickets = list(tickets)
    service = topic_service(tickets).get(ticket.topic)
    return estimate(service, people_ahead(tickets, ticket), now)


@dataclass(frozen=True)
class TopicService:
    """What the wait estimate of one topic needs from today's tickets (see topic_service)."""

    service_minutes: tuple[float, ...]  # of its done tickets, sorted
    last_call: Mapping[str, datetime]  # desk -> latest call (UTC) of one of its tickets
    serving: int  # tickets called now
    # Minutes waited per place in the queue by its latest calls (see recent_paces), sorted.
    paces: tuple[float, ...] = ()


def topic_service(tickets: Iterable[Ticket]) -> dict[str, TopicService]:
    """Per topic, in one pass over the day. Issuing a ticket changes none of it, so a store
    can keep it from one issue to the next."""
    times: dict[str, list[float]] = {}
    calls: dict[str, dict[str, datetime]] = {}
    serving: dict[str, int] = {}
    per_topic: dict[str, list[Ticket]] = {}
    for t in tickets:
        topic = t.topic
        per_topic.setdefault(topic, []).append(t)
        if t.state is State.CALLED:
            serving[topic] = serving.get(topic, 0) + 1
        elif t.state is State.DONE and t.service_minutes is not None:
            times.setdefault(topic, []).append(t.service_minutes)
        if t.desk and t.called_utc is not None:
            desks = calls.setdefault(topic, {})
            if t.desk not in desks or desks[t.desk] < t.called_utc:
                desks[t.desk] = t.called_utc
    return {
        topic: TopicService(
            tuple(sorted(times.get(topic, ()))),
            calls.get(topic, {}),
            serving.get(topic, 0),
            recent_paces(per_topic.get(topic, ())),
        )
        for topic in {*times, *calls, *serving}
    }


def _still_waiting_at(ticket: Ticket, moment: datetime) -> bool:
    """Whether `ticket` was waiting (issued, not yet called or ended) at `moment` (UTC)."""
    if ticket.arrival[0] > moment:
        return False
    ended = ticket.called_utc
    if ended is None and ticket.finished_at is not None:
        ended = ticket.finished_at.astimezone(UTC)
    return ended is None or ended > moment


def recent_paces(topic_tickets: Iterable[Ticket]) -> tuple[float, ...]:
    """Minutes waited per place in the queue, for the topic's latest RECENT_CALLS calls today.

    A ticket that waited 30 minutes with two people ahead of it at issue waited 10 minutes per
    place (itself included). Scaled by a new visitor's places, these are the "recent waits of
    the topic" the range is made from: they already hold how many desks served and how long
    each visit took. Transferred tickets are left out (their wait began in another queue).
    Issuing a ticket changes none of it (it arrived after every called ticket).
    """
    tickets = list(topic_tickets)
    called = sorted(
        (t for t in tickets if t.called_utc is not None and t.transferred_from is None),
        key=lambda t: t.called_utc,  # type: ignore[arg-type,return-value]
    )[-RECENT_CALLS:]
    paces = []
    for t in called:
        issued = t.arrival[0]
        ahead = sum(
            1 for other in tickets if other.arrival < t.arrival and _still_waiting_at(other, issued)
        )
        paces.append(max(0.0, t.wait_minutes or 0.0) / (ahead + 1))
    return tuple(sorted(paces))


def wait_range(service: TopicService | None, ahead: int) -> tuple[int, int] | None:
    """The wait of a visitor with `ahead` people before them as (low, high) minutes, or None
    ("not known yet") when the topic has fewer than MIN_CALLS_FOR_RANGE calls today.

    The lower and upper quartile of the recent paces times the visitor's places (ahead + 1),
    rounded outwards to RANGE_STEP minutes, at least one step wide.
    """
    paces = service.paces if service is not None else ()
    if len(paces) < MIN_CALLS_FOR_RANGE:
        return None
    last = len(paces) - 1
    low_pace = paces[math.floor(last * 0.25)]
    high_pace = paces[math.ceil(last * 0.75)]
    places = ahead + 1
    low = math.floor(low_pace * places / RANGE_STEP) * RANGE_STEP
    high = math.ceil(high_pace * places / RANGE_STEP) * RANGE_STEP
    return low, max(high, low + RANGE_STEP)


def range_miss(told: tuple[int, int], waited: float) -> float:
    """How far a wait fell outside the range told at issue, in minutes (0 inside it)."""
    low, high = told
    if waited < low:
        return low - waited
    return max(0.0, waited - high)


def estimate(service: TopicService | None, ahead: int, now: datetime) -> int | None:
    """The wait estimate (see wait_estimate) from a topic's TopicService and people ahead."""
    if service is None or len(service.service_minutes) < MIN_FINISHED_FOR_ESTIMATE:
        return None
    median = statistics.median(service.service_minutes)
    since = utc(now) - ACTIVE_DESK_WINDOW
    desks = sum(1 for called in service.last_call.values() if called >= since)
    return max(0, math.ceil((ahead + min(service.serving, 1)) * median / max(1, desks)))


def pick_next(
    tickets: Iterable[Ticket], topics: Collection[str] | None, lang: str | None
) -> Ticket | None:
    """The earliest waiting ticket (issue time, then sequence) of `topics` (None = any) and
    `lang` (None = any)."""
    candidates = [
        t
        for t in tickets
        if t.state is State.WAITING
        and (topics is None or t.topic in topics)
        and (lang is None or t.lang == lang)
    ]
    return min(candidates, key=queue_key, default=None)


@dataclass(frozen=True)
class Availability:
    """Whether a topic issues now, and why not; with today's counts."""

    topic: str
    issuing: bool
    reason: str  # "open" | "closed" | "margin" | "closure" | "full" | "paused"
    next_issue_at: datetime | None
    closes_at: datetime | None
    issue_until: datetime | None
    waiting: int
    issued_today: int


def issued_count(tickets: Iterable[Ticket], topic_id: str, issued_topics: Mapping[str, str]) -> int:
    """Tickets issued today under `topic_id` (transfers in do not count against its limit).

    `issued_topics` maps number -> topic at issue; tickets missing there count by their topic.
    """
    return topic_counts(tickets, issued_topics)[0].get(topic_id, 0)


def topic_counts(
    tickets: Iterable[Ticket], issued_topics: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, int]]:
    """Issued today and waiting now, per topic, in one pass over the day."""
    issued: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for t in tickets:
        topic = issued_topics.get(t.number, t.topic)
        issued[topic] = issued.get(topic, 0) + 1
        if t.state is State.WAITING:
            waiting[t.topic] = waiting.get(t.topic, 0) + 1
    return issued, waiting


def next_day_issue(hours: Any, topic_id: str, at: datetime) -> datetime | None:
    """When a topic that is full or paused today issues again: the first issuing time tomorrow
    or later."""
    tomorrow = datetime.combine(at.date() + timedelta(days=1), time(0), tzinfo=at.tzinfo)
    status = hours.topic_status(topic_id, tomorrow)
    return tomorrow if status.issuing else status.next_issue_at


def availability(
    config: Config, hours: Any, snapshot: Any, at: datetime
) -> dict[str, Availability]:
    """Per topic (config order): issuing now or why not (schedule, daily limit, staff pause).

    `snapshot` is a store DaySnapshot; if it is of another day than `at`, today is empty.
    """
    today = snapshot.day == at.date()
    tickets = snapshot.tickets if today else ()
    paused = snapshot.paused if today else frozenset()
    issued_topics = getattr(snapshot, "issued_topics", None) or {}
    # A store snapshot brings the counts along (kept up to date as tickets are issued).
    counts = getattr(snapshot, "counts", None) if today else None
    issued_counts, waiting_counts = counts or topic_counts(tickets, issued_topics)
    result: dict[str, Availability] = {}
    for topic in config.topics:
        status = hours.topic_status(topic.id, at)
        issued = issued_counts.get(topic.id, 0)
        waiting = waiting_counts.get(topic.id, 0)
        issuing, reason, next_at = status.issuing, status.reason, status.next_issue_at
        if issuing and topic.id in paused:
            issuing, reason, next_at = False, "paused", next_day_issue(hours, topic.id, at)
        elif issuing and topic.daily_limit is not None and issued >= topic.daily_limit:
            issuing, reason, next_at = False, "full", next_day_issue(hours, topic.id, at)
        result[topic.id] = Availability(
            topic=topic.id,
            issuing=issuing,
            reason=reason,
            next_issue_at=next_at,
            closes_at=status.closes_at,
            issue_until=status.issue_until,
            waiting=waiting,
            issued_today=issued,
        )
    return result
