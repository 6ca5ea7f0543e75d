"""Queue rules: people ahead, wait estimate, which ticket "next" picks, availability."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from kiosk.core.queue import (
    MIN_FINISHED_FOR_ESTIMATE,
    availability,
    people_ahead,
    pick_next,
    wait_estimate,
)
from kiosk.core.store import DaySnapshot
from kiosk.core.tickets import State, Ticket
from tests.store_factory import OpenHours, at, make_config

T0 = at("2026-11-30 13:00")


def ticket(seq, topic="kim", minute=0, state=State.WAITING, lang="de", letter=None, **more):
    return Ticket(
        day=date(2026, 11, 30),
        letter=letter or topic[0].upper(),
        seq=seq,
        topic=topic,
        topic_label=topic,
        lang=lang,
        state=state,
        issued_at=T0 + timedelta(minutes=minute),
        **more,
    )


def served(seq, minute, service, desk="d1", topic="kim"):
    called = T0 + timedelta(minutes=minute)
    return ticket(
        seq,
        topic,
        minute - 5,
        State.DONE,
        called_at=called,
        finished_at=called + timedelta(minutes=service),
        desk=desk,
    )


def test_people_ahead_counts_waiting_same_topic_earlier():
    tickets = [
        ticket(1, minute=0),
        ticket(2, minute=1, state=State.CALLED),
        ticket(1, "jsl", minute=2),
        ticket(3, minute=3, state=State.NO_SHOW),
        ticket(4, minute=4),
        ticket(5, minute=5),
    ]
    assert people_ahead(tickets, tickets[-1]) == 2  # K-001 and K-004
    assert people_ahead(tickets, tickets[0]) == 0
    assert people_ahead(tickets, tickets[2]) == 0


def test_transferred_ticket_queues_by_its_arrival():
    moved = ticket(1, "jsl", minute=0, letter="K", transferred_from="kim")
    later = ticket(1, "jsl", minute=10)
    assert people_ahead([moved, later], later) == 1
    assert pick_next([later, moved], {"jsl"}, None) == moved


def test_pick_next_earliest_by_topics_and_language():
    tickets = [
        ticket(2, minute=5, lang="ar"),
        ticket(1, "jsl", minute=3, lang="de"),
        ticket(1, minute=1, state=State.CALLED),
        ticket(3, minute=7, lang="de"),
    ]
    assert pick_next(tickets, None, None).number == "J-001"
    assert pick_next(tickets, {"kim"}, None).number == "K-002"
    assert pick_next(tickets, {"kim"}, "de").number == "K-003"
    assert pick_next(tickets, {"vhs"}, None) is None
    assert pick_next([], None, None) is None


def test_pick_next_same_time_goes_by_sequence():
    assert pick_next([ticket(2), ticket(1)], None, None).seq == 1


def test_wait_estimate_none_until_enough_finished():
    waiting = ticket(10, minute=30)
    finished = [served(i, 10 + i, 10) for i in range(1, MIN_FINISHED_FOR_ESTIMATE)]
    now = T0 + timedelta(minutes=31)
    assert wait_estimate([*finished, waiting], waiting, now) is None
    # finished tickets of another topic do not count
    others = [served(i, 10 + i, 10, topic="jsl") for i in range(5)]
    assert wait_estimate([*finished, *others, waiting], waiting, now) is None


def test_wait_estimate_from_median_service_and_active_desks():
    now = T0 + timedelta(minutes=60)
    finished = [served(1, 20, 10), served(2, 30, 12, "d2"), served(3, 45, 30)]  # median 12
    ahead = [ticket(4, minute=40), ticket(5, minute=41)]
    mine = ticket(6, minute=42)
    # two people ahead, two desks active in the last hour: 2 * 12 / 2
    assert wait_estimate([*finished, *ahead, mine], mine, now) == 12
    # someone being served counts as one more ahead
    serving = ticket(7, minute=39, state=State.CALLED, called_at=now, desk="d1")
    assert wait_estimate([*finished, serving, *ahead, mine], mine, now) == 18
    # a desk that called nothing in the last hour no longer counts
    later = now + timedelta(minutes=50)
    assert wait_estimate([*finished, *ahead, mine], mine, later) == 24


def test_availability_reasons_and_counts():
    config = make_config()
    hours = OpenHours(closed=frozenset({"jsl"}))
    tickets = (
        ticket(1, "vhs", letter="V"),
        ticket(2, "vhs", letter="V", state=State.DONE),
        ticket(3, "vhs", letter="V", state=State.CANCELLED),
        ticket(1, "kim"),
    )
    snapshot = DaySnapshot(date(2026, 11, 30), tickets, frozenset({"kim"}), None)
    result = availability(config, hours, snapshot, T0)
    assert list(result) == ["kim", "jsl", "vhs"]
    assert (result["kim"].issuing, result["kim"].reason) == (False, "paused")
    assert result["kim"].next_issue_at == at("2026-12-01 00:00")
    assert (result["jsl"].issuing, result["jsl"].reason) == (False, "closed")
    assert result["jsl"].next_issue_at == T0 + timedelta(hours=1)
    assert (result["vhs"].issuing, result["vhs"].reason) == (False, "full")
    assert (result["vhs"].waiting, result["vhs"].issued_today) == (1, 3)
    assert (result["kim"].waiting, result["kim"].issued_today) == (1, 1)


def test_availability_of_another_day_starts_empty():
    config = make_config()
    tickets = tuple(ticket(i, "vhs", letter="V") for i in range(1, 4))
    snapshot = DaySnapshot(date(2026, 11, 29), tickets, frozenset({"kim"}), None)
    result = availability(config, OpenHours(), snapshot, T0)
    assert all(a.issuing and a.reason == "open" for a in result.values())
    assert result["vhs"].issued_today == 0


def test_availability_with_real_hours_margin_and_closure():
    from kiosk.core.hours import Hours

    base = make_config()
    topics = tuple(replace(t, last_ticket_minutes=30) for t in base.topics)
    config = replace(base, topics=topics)
    snapshot = DaySnapshot(date(2026, 11, 30), (), frozenset(), None)
    late = at("2026-11-30 23:40")
    result = availability(config, Hours(config), snapshot, late)
    assert result["kim"].reason == "margin" and not result["kim"].issuing
    assert availability(config, Hours(config), snapshot, T0)["kim"].issuing
