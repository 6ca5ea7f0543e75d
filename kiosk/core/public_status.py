"""Status page content: what a visitor's phone shows for one ticket, and the public overview.

Pure functions of the config, the opening hours, one day snapshot and now; every text in the
page's language, ready to be put into the page as it is. A ticket's topic, language and state
are only in `ticket_view`, which needs the ticket (found by its token); the overview holds
counts per topic and the numbers being called, the same as the public display, never a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core import queue
from kiosk.core.config import Config
from kiosk.core.hours import format_when
from kiosk.core.i18n import localized, text, topic_label
from kiosk.core.qr import take_away_note
from kiosk.core.tickets import State, Ticket

# What the page says per state; expired and unresolved both mean the day is over.
HEADLINES = {
    State.WAITING: "status_waiting",
    State.CALLED: "status_called",
    State.DONE: "status_done",
    State.CANCELLED: "status_cancelled",
    State.NO_SHOW: "status_no_show",
    State.EXPIRED: "status_expired",
    State.UNRESOLVED: "status_expired",
}
# The page's state names (the body's class, and what the script reacts to).
PAGE_STATES = {
    State.WAITING: "waiting",
    State.CALLED: "called",
    State.DONE: "done",
    State.CANCELLED: "cancelled",
    State.NO_SHOW: "no_show",
    State.EXPIRED: "expired",
    State.UNRESOLVED: "expired",
}


@dataclass(frozen=True)
class DayIndex:
    """One store snapshot, arranged for answering many phones: built once per store change."""

    day: Any  # date of the snapshot
    tickets: tuple[Ticket, ...]
    paused: frozenset[str]
    by_token: Mapping[str, Ticket]
    ahead: Mapping[str, int]  # number -> people ahead, for waiting tickets
    service: Mapping[str, queue.TopicService]
    waiting: Mapping[str, int]  # topic -> waiting now
    calling: Mapping[str, tuple[str, ...]]  # topic -> numbers called now, latest call first
    snapshot: Any = None  # the store's DaySnapshot (for queue.availability)


def index_day(snapshot: Any) -> DayIndex:
    """Tokens, people ahead, waits and calls of one day, in one pass per topic."""
    tickets = tuple(snapshot.tickets)
    by_token = {t.token: t for t in tickets if t.token}
    ahead: dict[str, int] = {}
    waiting: dict[str, int] = {}
    calling: dict[str, list[Ticket]] = {}
    for t in sorted(tickets, key=queue.queue_key):
        if t.state is State.WAITING:
            ahead[t.number] = waiting.get(t.topic, 0)
            waiting[t.topic] = waiting.get(t.topic, 0) + 1
        elif t.state is State.CALLED:
            calling.setdefault(t.topic, []).append(t)
    return DayIndex(
        day=snapshot.day,
        tickets=tickets,
        paused=frozenset(snapshot.paused),
        by_token=by_token,
        ahead=ahead,
        service=queue.topic_service(tickets),
        waiting=waiting,
        calling={
            topic: tuple(
                t.number
                for t in sorted(called, key=lambda t: t.called_utc or t.arrival[0], reverse=True)
            )
            for topic, called in calling.items()
        },
        snapshot=snapshot,
    )


def page_language(config: Config, wanted: str | None) -> str:
    """A visitor language of the site: `wanted` if it is one, else the site's first."""
    if wanted and wanted in config.site.languages and wanted in config.languages:
        return wanted
    return config.site.languages[0]


def wait_text(config: Config, lang: str, wait: tuple[int, int] | None) -> str:
    if wait is None:
        return text(config, lang, "visitor", "wait_unknown")
    return text(config, lang, "visitor", "wait_range", low=wait[0], high=wait[1])


def desk_name(config: Config, desk_id: str | None) -> str:
    desk = config.desk(desk_id) if desk_id else None
    return desk.name if desk is not None else (desk_id or "")


def ticket_view(config: Config, index: DayIndex, ticket: Ticket) -> dict:
    """What the ticket's page shows now (JSON-ready): state, headline, people ahead, wait."""
    lang = page_language(config, ticket.lang)
    state = PAGE_STATES[ticket.state]
    view: dict[str, Any] = {
        "number": ticket.number,
        "state": state,
        "topic": topic_label(config, lang, ticket.topic)
        if config.topic(ticket.topic)
        else ticket.topic_label,
        "headline": text(
            config,
            lang,
            "visitor",
            HEADLINES[ticket.state],
            desk=desk_name(config, ticket.desk),
        ),
        "ahead": "",
        "wait": "",
        "desk": desk_name(config, ticket.desk) if ticket.state is State.CALLED else "",
        "can_cancel": ticket.state in (State.WAITING, State.CALLED),
    }
    if ticket.state is State.WAITING:
        ahead = index.ahead.get(ticket.number, 0)
        view["ahead"] = (
            text(config, lang, "visitor", "people_ahead", n=ahead)
            if ahead
            else text(config, lang, "visitor", "nobody_ahead")
        )
        view["wait"] = wait_text(
            config, lang, queue.wait_range(index.service.get(ticket.topic), ahead)
        )
    return view


def note_lines(config: Config, hours: Any, ticket: Ticket, now: datetime) -> list[str]:
    """The take-away note (hours, address, hotline, e-mail) and the urgent contacts, as lines."""
    lang = page_language(config, ticket.lang)
    lines = take_away_note(config, hours, ticket, lang, now, detail="full").split("\n")
    # The page shows the number and topic big above: the note's first lines repeat them.
    lines = [line for line in lines if ticket.number not in line and line != config.site.name]
    topic = topic_label(config, lang, ticket.topic) if config.topic(ticket.topic) else ""
    return [line for line in lines if line not in (topic, ticket.topic_label)]


def urgent_lines(config: Config, lang: str) -> list[str]:
    return [f"{localized(u.labels, lang)}: {u.number}" for u in config.site.urgent]


def overview(config: Config, hours: Any, index: DayIndex, lang: str, now: datetime) -> dict:
    """The public overview (JSON-ready): per topic open now or next opening, the numbers being
    called, people waiting and the typical wait of someone taking a number now."""
    lang = page_language(config, lang)
    language = config.languages[lang]
    today = index.day == now.date()
    available = queue.availability(config, hours, index.snapshot, now) if index.snapshot else {}
    topics = []
    for topic in config.topics:
        state = available.get(topic.id)
        status = hours.topic_status(topic.id, now)
        if status.open_now and status.closes_at is not None:
            when = text(config, lang, "visitor", "open_until", time=f"{status.closes_at:%H:%M}")
        elif status.next_issue_at is not None:
            when = text(
                config,
                lang,
                "visitor",
                "next_opening",
                when=format_when(status.next_issue_at, now, language),
            )
        else:
            when = text(config, lang, "visitor", "closed")
        note = ""
        if state is not None and status.open_now and not state.issuing:
            note = text(
                config,
                lang,
                "visitor",
                {"paused": "paused_today", "full": "full_today"}.get(state.reason, "closed_today"),
            )
        waiting = index.waiting.get(topic.id, 0) if today else 0
        topics.append(
            {
                "label": topic_label(config, lang, topic.id),
                "open": bool(status.open_now),
                "when": when,
                "note": note,
                "calling": list(index.calling.get(topic.id, ())) if today else [],
                "waiting": text(config, lang, "visitor", "status_people_waiting", n=waiting),
                # Only while it is open: a closed topic's wait is nobody's.
                "wait": wait_text(
                    config, lang, queue.wait_range(index.service.get(topic.id), waiting)
                )
                if today and status.open_now
                else "",
            }
        )
    return {"lang": lang, "topics": topics}
