"""Wait range ("etwa 15–30 Minuten"), the status token and the visitor's own cancel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.core.errors import IllegalTransition, TicketNotFound
from kiosk.core.queue import range_miss, recent_paces, topic_service, wait_range
from kiosk.core.tickets import State, Ticket
from tests.store_factory import at, make_store

T0 = at("2026-11-30 13:00")


def ticket(seq, issued, called=None, state=State.WAITING, topic="kim", desk="d1"):
    return Ticket(
        day=date(2026, 11, 30),
        letter="K",
        seq=seq,
        topic=topic,
        topic_label=topic,
        lang="de",
        state=state if called is None else State.CALLED,
        issued_at=T0 + timedelta(minutes=issued),
        called_at=None if called is None else T0 + timedelta(minutes=called),
        desk=None if called is None else desk,
    )


def test_no_range_before_three_calls_today():
    tickets = [ticket(1, 0, 10), ticket(2, 1, 20), ticket(3, 2)]
    assert wait_range(topic_service(tickets).get("kim"), ahead=1) is None
    assert wait_range(None, ahead=0) is None


def test_paces_divide_each_wait_by_the_places_it_had():
    # K-001 waited 10 min alone; K-002 arrived with K-001 ahead and waited 20: 10 per place;
    # K-003 arrived after K-001 was called, with K-002 ahead, and waited 19: 9.5 per place.
    tickets = [ticket(1, 0, 10), ticket(2, 0.5, 20.5), ticket(3, 11, 30)]
    assert recent_paces(tickets) == (9.5, 10.0, 10.0)


def test_range_scales_with_the_places_and_rounds_outwards_to_five():
    tickets = [ticket(1, 0, 10), ticket(2, 0.5, 20.5), ticket(3, 11, 30)]
    service = topic_service(tickets)["kim"]
    assert wait_range(service, ahead=0) == (5, 10)  # 9.5 .. 10 minutes
    assert wait_range(service, ahead=2) == (25, 30)  # 28.5 .. 30 minutes
    # Equal paces still give a range one step wide, never "etwa 30–30".
    same = [ticket(1, 0, 10), ticket(2, 10, 20), ticket(3, 20, 30)]
    assert wait_range(topic_service(same)["kim"], ahead=2) == (30, 35)


def test_only_the_latest_twelve_calls_count():
    slow = [ticket(n, n * 60, n * 60 + 60) for n in range(1, 4)]  # 60 min each, long ago
    fast = [ticket(n, 300 + n * 5, 300 + n * 5 + 5) for n in range(4, 16)]  # 5 min each
    assert wait_range(topic_service(slow + fast)["kim"], ahead=0) == (5, 10)


def test_range_miss_is_zero_inside_and_the_distance_outside():
    assert range_miss((15, 30), 20) == 0
    assert range_miss((15, 30), 10) == 5
    assert range_miss((15, 30), 42.5) == 12.5


def test_issue_keeps_token_and_the_range_told(tmp_path):
    store = make_store(tmp_path)
    first = store.issue("kim", "de")
    assert first.wait_range is None  # nothing called yet today: "not known yet"
    tokens = {first.ticket.token}
    for minute in range(1, 4):
        store.clock.set(at("2026-11-30 13:00") + timedelta(minutes=10 * minute))
        tokens.add(store.issue("kim", "de").ticket.token)
        store.call_next("d1")
    store.clock.set(at("2026-11-30 13:45"))
    last = store.issue("kim", "en")
    tokens.add(last.ticket.token)
    assert len(tokens) == 5 and all(len(t) >= 22 for t in tokens)  # 128 random bits each
    assert last.wait_range is not None
    # Read back by a fresh process: the token and the range told stay with the ticket.
    stored = {t.number: t for t in make_store(tmp_path, "2026-11-30 13:46").snapshot().tickets}
    assert stored[last.ticket.number].token == last.ticket.token
    assert stored[last.ticket.number].estimate == last.wait_range


def test_visitor_cancel_by_token_marks_it_as_the_visitors(tmp_path):
    store = make_store(tmp_path)
    issued = store.issue("kim", "de")
    other = store.issue("kim", "de")
    with pytest.raises(TicketNotFound):
        store.cancel_by_visitor("not-a-token")
    cancelled = store.cancel_by_visitor(issued.ticket.token)
    assert cancelled.state is State.CANCELLED and cancelled.cancelled_by == "visitor"
    stored = {t.number: t for t in store.snapshot().tickets}
    assert stored[issued.ticket.number].cancelled_by == "visitor"
    assert stored[other.ticket.number].state is State.WAITING
    with pytest.raises(IllegalTransition):
        store.cancel_by_visitor(issued.ticket.token)
    # A staff cancel is not the visitor's.
    assert store.cancel("d1", other.ticket.number).cancelled_by is None
