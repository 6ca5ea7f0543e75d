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


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def queue_key(ticket: Ticket) -> tuple[datetime, int, str]:
    """Arrival order: issue time, then sequence (a transferred ticket keeps both)."""
    return (utc(ticket.issued_at), ticket.seq, ticket.letter)


def people_ahead(tickets: Iterable[Ticket], ticket: Ticket) -> int:
    """Waiting tickets of the same topic that arrived earlier."""
    mine = queue_key(ticket)
    return sum(
        1
        for other in tickets
        if other.state is State.WAITING
        and other.topic == ticket.topic
        and other.number != ticket.number
        and queue_key(other) < mine
    )


def _minutes(start: datetime, end: datetime) -> float:
    return (utc(end) - utc(start)).total_seconds() / 60


def wait_estimate(tickets: Iterable[Ticket], ticket: Ticket, now: datetime) -> int | None:
    """Minutes until `ticket` is probably called; None when today has too few finished tickets.

    From today's finished (done) tickets of the topic: the median service time, divided among
    the desks that called this topic in the last hour, times the people ahead plus the one
    being served. Rounded up to whole minutes.
    """
    tickets = list(tickets)
    finished = [
        t
        for t in tickets
        if t.topic == ticket.topic
        and t.state is State.DONE
        and t.called_at is not None
        and t.finished_at is not None
    ]
    if len(finished) < MIN_FINISHED_FOR_ESTIMATE:
        return None
    service = statistics.median(_minutes(t.called_at, t.finished_at) for t in finished)  # type: ignore[arg-type]
    since = utc(now) - ACTIVE_DESK_WINDOW
    desks = {
        t.desk
        for t in tickets
        if t.topic == ticket.topic and t.desk and t.called_at and utc(t.called_at) >= since
    }
    ahead = people_ahead(tickets, ticket)
    serving = sum(1 for t in tickets if t.topic == ticket.topic and t.state is State.CALLED)
    return max(0, math.ceil((ahead + min(serving, 1)) * service / max(1, len(desks))))


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
    return sum(1 for t in tickets if issued_topics.get(t.number, t.topic) == topic_id)


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
    result: dict[str, Availability] = {}
    for topic in config.topics:
        status = hours.topic_status(topic.id, at)
        issued = issued_count(tickets, topic.id, issued_topics)
        waiting = sum(1 for t in tickets if t.topic == topic.id and t.state is State.WAITING)
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
