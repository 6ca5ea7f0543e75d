"""Store: every operation, every illegal transition, undo, pause, day changes, clock, stamps."""

from __future__ import annotations

import json
import logging
import os
from datetime import date

import pytest

from kiosk.core.errors import (
    ClockBehind,
    DailyLimitReached,
    IllegalTransition,
    NothingToUndo,
    NotIssuing,
    TicketNotFound,
    TopicPaused,
    UnknownDesk,
    UnknownLanguage,
    UnknownTopic,
)
from kiosk.core.store import Store, UndoConflict, filesystem_type, is_network_fs
from kiosk.core.tickets import TRANSITIONS, State
from tests.store_factory import OpenHours, at, make_config, make_store

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")


def issue_some(store, topic="kim", n=3, lang="de"):
    numbers = []
    for _ in range(n):
        numbers.append(store.issue(topic, lang).ticket.number)
        store.clock.advance(seconds=30)
    return numbers


def state_of(store, number):
    return next(t for t in store.snapshot().tickets if t.number == number)


# ---------------------------------------------------------------- issuing


def test_issue_numbers_per_letter_start_at_one(tmp_path):
    store = make_store(tmp_path)
    assert issue_some(store, "kim", 3) == ["K-001", "K-002", "K-003"]
    issued = store.issue("jsl", "en")
    assert issued.ticket.number == "J-001"
    assert issued.ticket.lang == "en"
    assert issued.ticket.state is State.WAITING
    assert issued.ticket.topic_label == "JSL Beratung"  # German label kept on the ticket
    assert issued.people_ahead == 0


def test_issue_reports_people_ahead_of_same_topic(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 2)
    issue_some(store, "jsl", 4)
    issued = store.issue("kim", "ar")
    assert issued.people_ahead == 2
    assert issued.wait_minutes is None  # nothing finished today yet


def test_issue_unknown_topic_and_language(tmp_path):
    store = make_store(tmp_path)
    with pytest.raises(UnknownTopic):
        store.issue("nope", "de")
    with pytest.raises(UnknownLanguage):
        store.issue("kim", "xx")
    assert store.snapshot().tickets == ()


def test_issue_when_topic_closed_says_when_next(tmp_path):
    store = make_store(tmp_path, hours=OpenHours(closed=frozenset({"jsl"})))
    with pytest.raises(NotIssuing) as caught:
        store.issue("jsl", "de")
    assert caught.value.reason == "closed"
    assert caught.value.next_issue_at == at("2026-11-30 14:00")
    assert store.snapshot().tickets == ()


def test_daily_limit(tmp_path):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    assert issue_some(store, "vhs", 2) == ["V-001", "V-002"]
    # a ticket transferred in does not count against the limit of its new topic
    store.transfer("d3", "K-001", "vhs")
    assert store.issue("vhs", "de").ticket.number == "V-003"
    with pytest.raises(DailyLimitReached) as caught:
        store.issue("vhs", "de")
    assert caught.value.reason == "full"
    assert caught.value.next_issue_at == at("2026-12-01 00:00")
    # cancelling does not give a number back
    store.cancel("d3", "V-001")
    with pytest.raises(DailyLimitReached):
        store.issue("vhs", "de")


def test_pause_and_resume_for_the_day(tmp_path):
    store = make_store(tmp_path)
    store.pause("kim")
    with pytest.raises(TopicPaused):
        store.issue("kim", "de")
    assert store.snapshot().paused == frozenset({"kim"})
    assert store.issue("jsl", "de").ticket.number == "J-001"
    store.resume("kim")
    assert store.issue("kim", "de").ticket.number == "K-001"
    store.pause("kim")
    store.clock.advance(days=1)  # pausing lasts for the rest of the day only
    assert store.issue("kim", "de").ticket.number == "K-001"
    with pytest.raises(UnknownTopic):
        store.pause("nope")


# ---------------------------------------------------------------- staff actions


def test_call_next_takes_earliest_waiting_of_desk_topics(tmp_path):
    store = make_store(tmp_path)
    store.issue("jsl", "de")
    store.clock.advance(seconds=10)
    store.issue("kim", "en")
    store.clock.advance(seconds=10)
    store.issue("kim", "de")
    called = store.call_next("d1")
    assert (called.number, called.state, called.desk) == ("J-001", State.CALLED, "d1")
    assert called.called_at == store.clock.now()
    assert store.call_next("d1", topics=["kim"], lang="de").number == "K-002"
    assert store.call_next("d2") is None  # d2 serves jsl only; nobody waits
    assert store.call_next("d1").number == "K-001"
    assert store.call_next("d1") is None


def test_call_chosen_recall_done(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 3)
    assert store.call("d1", "k-003").number == "K-003"  # case-insensitive number
    recalled = store.recall("d2", "K-003", confirmed_desk="d1")  # d1's call: d2 confirmed it
    assert recalled.recalls == 1
    assert recalled.state is State.CALLED
    assert recalled.desk == "d1"  # announced again where the visitor is expected
    store.clock.advance(minutes=12)
    done = store.done("d1", "K-003")
    assert done.state is State.DONE
    assert done.finished_at == store.clock.now()
    assert store.recent_calls(5)[0].number == "K-003"


def test_no_show_then_reactivate_returns_to_original_place(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 3)
    store.call("d1", "K-001")
    store.no_show("d1", "K-001")
    assert state_of(store, "K-001").state is State.NO_SHOW
    back = store.reactivate("d1", "K-001")
    assert back.state is State.WAITING
    assert back.called_at is None and back.desk is None
    assert store.call_next("d1").number == "K-001"  # first again: original arrival


def test_cancel_waiting_and_called(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 2)
    assert store.cancel("d1", "K-001").state is State.CANCELLED
    store.call("d1", "K-002")
    assert store.cancel("d1", "K-002").state is State.CANCELLED


def test_transfer_keeps_number_and_arrival(tmp_path):
    store = make_store(tmp_path)
    first = store.issue("kim", "de").ticket
    store.clock.advance(minutes=1)
    issue_some(store, "jsl", 2)
    store.call("d1", "K-001")
    moved = store.transfer("d1", "K-001", "jsl")
    assert moved.number == "K-001"
    assert moved.issued_at == first.issued_at
    assert (moved.topic, moved.transferred_from, moved.state) == ("jsl", "kim", State.WAITING)
    assert moved.topic_label == "JSL Beratung"
    # it arrived before the J tickets, so it is first in the jsl queue
    assert store.call_next("d2").number == "K-001"
    with pytest.raises(UnknownTopic):
        store.transfer("d1", "J-001", "nope")
    with pytest.raises(IllegalTransition):
        store.transfer("d1", "J-001", "jsl")


# Every action from every state it is not allowed from raises IllegalTransition.
def _reach(store, number, state):
    if state is State.WAITING:
        return
    if state is State.CANCELLED:
        store.cancel("d1", number)
        return
    store.call("d1", number)
    if state is State.DONE:
        store.done("d1", number)
    elif state is State.NO_SHOW:
        store.no_show("d1", number)


ILLEGAL = [
    (action, state)
    for action, (allowed, _target) in TRANSITIONS.items()
    for state in (State.WAITING, State.CALLED, State.DONE, State.NO_SHOW, State.CANCELLED)
    if state not in allowed
]


@pytest.mark.parametrize(("action", "state"), ILLEGAL, ids=[f"{a}-{s}" for a, s in ILLEGAL])
def test_illegal_transition(tmp_path, action, state):
    store = make_store(tmp_path)
    number = store.issue("kim", "de").ticket.number
    _reach(store, number, state)
    before = store.snapshot()
    method = getattr(store, action)
    args = ("d1", number, "jsl") if action == "transfer" else ("d1", number)
    with pytest.raises(IllegalTransition) as caught:
        method(*args)
    assert number in str(caught.value)
    assert state.value.replace("_", " ") in str(caught.value)
    assert store.snapshot().tickets == before.tickets  # nothing changed


def test_expired_and_unresolved_allow_nothing(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 2)
    store.call("d1", "K-002")
    store.clock.advance(days=1)
    list(store.days(date(2026, 11, 30), date(2026, 11, 30)))
    past = {
        t.number: t.state for t in next(store.days(date(2026, 11, 30), date(2026, 11, 30))).tickets
    }
    assert past == {"K-001": State.EXPIRED, "K-002": State.UNRESOLVED}
    with pytest.raises(TicketNotFound):  # staff act on today's tickets only
        store.call("d1", "K-001")


def test_unknown_ticket_and_desk(tmp_path):
    store = make_store(tmp_path)
    with pytest.raises(TicketNotFound):
        store.call("d1", "K-999")
    with pytest.raises(UnknownDesk):
        store.call_next("nodesk")


# ---------------------------------------------------------------- undo


def test_undo_last_action_of_desk(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 2)
    store.call_next("d1")
    store.clock.advance(minutes=2)
    store.done("d1", "K-001")
    restored = store.undo("d1")
    assert restored.state is State.CALLED and restored.finished_at is None
    restored = store.undo("d1")
    assert restored.state is State.WAITING and restored.desk is None
    with pytest.raises(NothingToUndo):
        store.undo("d1")
    assert store.call_next("d1").number == "K-001"


def test_undo_transfer_and_no_show(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 1)
    store.transfer("d1", "K-001", "jsl")
    assert store.undo("d1").topic == "kim"
    store.call("d1", "K-001")
    store.no_show("d1", "K-001")
    assert store.undo("d1").state is State.CALLED


def test_undo_too_late(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 1)
    store.call("d1", "K-001")
    store.clock.advance(minutes=5, seconds=1)
    with pytest.raises(UndoConflict, match="more than 5 minutes"):
        store.undo("d1")
    assert state_of(store, "K-001").state is State.CALLED


def test_undo_refused_when_someone_else_changed_the_ticket(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, "kim", 1)
    store.call("d1", "K-001")
    store.done("d2", "K-001", confirmed_desk="d1")  # d2 finishes d1's visitor, confirmed
    with pytest.raises(UndoConflict, match="changed since"):
        store.undo("d1")
    assert store.undo("d2").state is State.CALLED  # d2's own action can be undone
    assert store.undo("d1").state is State.WAITING  # and now d1's again matches


def test_undo_journal_keeps_only_what_can_still_be_undone(tmp_path):
    """Entries older than the undo window can never be undone, but every write of the day
    carried them (whole tickets, before and after, 20 per desk); a desk's last one stays, so a
    late undo still says why it is refused."""
    store = make_store(tmp_path)
    issue_some(store, "kim", 12)
    for number in [f"K-{i:03d}" for i in range(1, 7)]:
        store.call("d1", number)
        store.done("d1", number)
        store.clock.advance(minutes=2)
    journal = json.loads((tmp_path / "tickets-2026-11-30.json").read_text())["meta"]["1"]
    ages = [entry["at"][11:16] for entry in journal["journal"]["d1"]]
    assert ages == ["13:12", "13:12", "13:14", "13:14", "13:16", "13:16"]  # 5 minutes back
    assert store.undo("d1").state is State.CALLED
    assert store.undo("d1").state is State.WAITING
    assert store.undo("d1").state is State.CALLED  # K-005, 2 minutes earlier
    store.clock.advance(minutes=10)
    store.issue("kim", "de")  # a write of the day: the old entries go, the last one stays
    journal = json.loads((tmp_path / "tickets-2026-11-30.json").read_text())["meta"]["1"]
    assert len(journal["journal"]["d1"]) == 1
    with pytest.raises(UndoConflict, match="more than 5 minutes"):
        store.undo("d1")


def test_undo_unknown_desk_and_empty_journal(tmp_path):
    store = make_store(tmp_path)
    with pytest.raises(UnknownDesk):
        store.undo("zz")
    with pytest.raises(NothingToUndo):
        store.undo("d3")


# ---------------------------------------------------------------- several processes' views


def test_two_stores_never_serve_stale_state(tmp_path):
    """Regression: a kept-open TinyDB raised "Document with ID N already exists" and its query
    cache reported 0 waiting after another process inserted a ticket."""
    kiosk = make_store(tmp_path)
    staff = make_store(tmp_path)
    assert staff.snapshot().tickets == ()
    stamp = staff.change_stamp()
    kiosk.issue("kim", "de")
    assert staff.change_stamp() != stamp
    assert len(staff.snapshot().tickets) == 1
    staff.issue("kim", "de")
    kiosk.issue("kim", "de")
    assert [t.number for t in staff.snapshot().tickets] == ["K-001", "K-002", "K-003"]
    assert staff.call_next("d1").number == "K-001"
    assert kiosk.call_next("d1").number == "K-002"


def test_change_stamp_changes_on_each_write_and_not_on_reads(tmp_path):
    store = make_store(tmp_path)
    stamps = {store.change_stamp()}
    store.issue("kim", "de")
    stamps.add(store.change_stamp())
    store.snapshot()
    store.recent_calls(3)
    assert store.change_stamp() in stamps and len(stamps) == 2
    store.pause("kim")
    stamps.add(store.change_stamp())
    store.call_next("d1")
    stamps.add(store.change_stamp())
    assert len(stamps) == 4
    assert store.snapshot().stamp == store.change_stamp()


# ---------------------------------------------------------------- day changes


def test_midnight_new_numbers_and_old_day_resolved_once(tmp_path):
    store = make_store(tmp_path, "2026-11-30 23:58")
    issue_some(store, "kim", 2)  # 23:58:00, 23:58:30
    store.call("d1", "K-001")
    other = make_store(tmp_path, "2026-12-01 00:00")  # another process, already past midnight
    assert other.issue("kim", "de").ticket.number == "K-001"
    assert other.issue("kim", "de").ticket.day == date(2026, 12, 1)
    old = json.loads((tmp_path / "tickets-2026-11-30.json").read_text())
    states = {d["number"]: (d["state"], d["finished_at"]) for d in old["tickets"].values()}
    assert states == {
        "K-001": ("unresolved", "2026-11-30T23:59:59+01:00"),
        "K-002": ("expired", "2026-11-30T23:59:59+01:00"),
    }
    # idempotent: the first process reaching the new day does not write the old day again
    before = (tmp_path / "tickets-2026-11-30.json").stat().st_mtime_ns
    store.clock.set(at("2026-12-01 00:01"))
    store.snapshot()
    assert (tmp_path / "tickets-2026-11-30.json").stat().st_mtime_ns == before
    assert [t.number for t in store.snapshot().tickets] == ["K-001", "K-002"]


def test_day_without_any_operation_is_still_resolved(tmp_path):
    store = make_store(tmp_path, "2026-11-27 15:00")  # Friday
    issue_some(store, "kim", 1)
    store.clock.set(at("2026-11-30 09:00"))  # Monday: nothing happened over the weekend
    store.snapshot()
    old = next(store.days(date(2026, 11, 27), date(2026, 11, 27)))
    assert old.tickets[0].state is State.EXPIRED


def test_first_pass_without_marker_parses_only_days_left_open(tmp_path, monkeypatch):
    """First start on a folder with history (or the marker lost): every day file is looked at
    under the lock, but only days with a ticket left waiting or called are parsed. Before,
    a year of history took seconds (12 s on a loaded 2-CPU box; the lock timeout is 10 s)."""
    import kiosk.core.storage as storage

    store = make_store(tmp_path, "2026-11-02 13:00")
    issue_some(store, "kim", 3)
    store.call("d1", "K-001")
    store.done("d1", "K-001")
    store.call("d1", "K-002")
    store.no_show("d1", "K-002")
    store.cancel("d1", "K-003")  # finished; its journal still holds copies "waiting"/"called"
    finished = (tmp_path / "tickets-2026-11-02.json").read_bytes()
    assert b'"state":"waiting"' in finished and b'"state":"called"' in finished
    for day in range(3, 20):
        (tmp_path / f"tickets-2026-11-{day:02d}.json").write_bytes(
            finished.replace(b"2026-11-02", f"2026-11-{day:02d}".encode())
        )
    store.clock.set(at("2026-11-20 10:00"))
    issue_some(store, "jsl", 2)  # one day left open
    older = json.loads(finished)  # and one of an older version: tickets first, with spaces
    older = {"tickets": older["tickets"], "meta": older["meta"]}
    older["tickets"]["1"]["state"] = "waiting"
    (tmp_path / "tickets-2026-11-01.json").write_text(json.dumps(older).replace("11-02", "11-01"))
    (tmp_path / ".rollover.json").unlink()
    parsed = []
    real = storage.parse_day
    monkeypatch.setattr(
        storage, "parse_day", lambda path, *a: parsed.append(path.name) or real(path, *a)
    )
    fresh = make_store(tmp_path, "2026-11-21 09:00")
    fresh.snapshot()
    assert sorted(parsed) == ["tickets-2026-11-01.json", "tickets-2026-11-20.json"]
    states = {
        d.day.day: {t.state for t in d.tickets}
        for d in fresh.days(date(2026, 11, 1), date(2026, 11, 20))
    }
    assert states[20] == {State.EXPIRED}
    assert State.EXPIRED in states[1]
    assert states[2] == {State.DONE, State.NO_SHOW, State.CANCELLED}


def test_open_ticket_text_check_reads_only_real_keys():
    from kiosk.core.store import _may_hold_open_tickets

    label = json.dumps({"topic_label": '"state":"waiting"'})[1:-1].encode()  # escaped quotes
    finished = b'{"meta":{"1":{"journal":{"d1":[{"before":{"state":"called"}}]}}},"tickets":{'
    assert not _may_hold_open_tickets(finished + b'"1":{"state":"done",' + label + b"}}}")
    assert _may_hold_open_tickets(finished + b'"1":{"state":"called"}}}')
    old = b'{"tickets":{"1":{"state":"waiting"}},"meta":{"1":{}}}'
    assert _may_hold_open_tickets(old)
    assert not _may_hold_open_tickets(old.replace(b"waiting", b"expired"))
    assert _may_hold_open_tickets(b'{"tickets": {"1": {"state": "done"}}}')  # not compact: parse
    assert not _may_hold_open_tickets(b'{"meta":{"1":{}}}')


@pytest.mark.parametrize(
    ("start", "fold"),
    [("2026-03-29 01:50", 0), ("2026-10-25 02:50", 0)],
    ids=["spring-forward", "fall-back"],
)
def test_dst_nights(tmp_path, start, fold):
    """Across the DST change: numbers continue, order follows real time, minutes are real."""
    store = make_store(tmp_path, at(start, fold))
    numbers = []
    for _ in range(4):  # 20 minutes apart, across 02:00/03:00
        numbers.append(store.issue("kim", "de").ticket.number)
        store.clock.advance(minutes=20)
    assert numbers == ["K-001", "K-002", "K-003", "K-004"]
    tickets = store.snapshot().tickets
    gaps = [
        (b.issued_at.timestamp() - a.issued_at.timestamp()) / 60
        for a, b in zip(tickets, tickets[1:], strict=False)
    ]
    assert gaps == [20, 20, 20]
    assert [store.call_next("d1").number for _ in range(4)] == numbers
    assert store.snapshot().day == date.fromisoformat(start[:10])


def test_fall_back_repeated_hour_orders_by_real_time(tmp_path):
    store = make_store(tmp_path, at("2026-10-25 02:40", fold=0))
    store.issue("kim", "de")  # 02:40 CEST
    store.clock.advance(minutes=30)  # 02:10 CET: earlier on the wall, later in reality
    second = store.issue("kim", "de")
    assert second.people_ahead == 1
    assert store.call_next("d1").number == "K-001"


# ---------------------------------------------------------------- clock going back


def test_clock_behind_newest_event_refuses_to_issue(tmp_path, caplog):
    store = make_store(tmp_path, "2026-11-30 13:00")
    issue_some(store, "kim", 2)
    late = make_store(tmp_path, "2026-11-30 12:50")  # 10 minutes behind
    with caplog.at_level(logging.ERROR, logger="kiosk.store"), pytest.raises(ClockBehind) as caught:
        late.issue("kim", "de")
    assert "set this computer's date and time" in str(caught.value)
    assert "clock behind" in caplog.text
    slightly = make_store(tmp_path, "2026-11-30 12:58")  # within the 5 minute tolerance
    assert slightly.issue("kim", "de").ticket.number == "K-003"


def test_clock_reset_to_an_old_day_refuses_to_issue(tmp_path):
    """A box without battery clock starts in an old day after a power cut."""
    make_store(tmp_path, "2026-11-30 13:00").issue("kim", "de")
    reset = make_store(tmp_path, "2026-01-01 00:05")
    with pytest.raises(ClockBehind):
        reset.issue("kim", "de")
    assert not (tmp_path / "tickets-2026-01-01.json").exists() or not json.loads(
        (tmp_path / "tickets-2026-01-01.json").read_text()
    ).get("tickets")
    # the newer day's file was not resolved as if it were over
    assert make_store(tmp_path, "2026-11-30 13:05").snapshot().tickets[0].state is State.WAITING


def test_clock_check_does_not_list_the_folder_on_each_issue(tmp_path, monkeypatch):
    """The end-of-day marker records the latest day worked on; the folder (a year of day files)
    is listed only when that day is after today."""
    import kiosk.core.store as store_module

    for back in range(1, 40):
        (tmp_path / f"tickets-2026-10-{back % 28 + 1:02d}.json").write_text("{}")
    store = make_store(tmp_path)
    store.issue("kim", "de")
    listed = []
    real = os.listdir
    monkeypatch.setattr(store_module.os, "listdir", lambda p: listed.append(p) or real(p))
    for _ in range(5):
        store.issue("kim", "de")
    assert listed == []
    assert json.loads((tmp_path / ".rollover.json").read_text())["latest"] == "2026-11-30"


def test_clock_a_day_behind_refuses_and_leaves_the_end_of_day_work_alone(tmp_path):
    """A process whose clock is behind a day some process already worked on (the marker says
    so) refuses to issue, and neither resolves nor removes anything as of its wrong day."""
    ahead = make_store(tmp_path, "2026-12-01 09:00")
    ahead.issue("kim", "de")
    marker = (tmp_path / ".rollover.json").read_bytes()
    behind = make_store(tmp_path, "2026-11-30 16:00", config=make_config(retention_days=0))
    with pytest.raises(ClockBehind):
        behind.issue("kim", "de")
    assert (tmp_path / ".rollover.json").read_bytes() == marker
    assert (tmp_path / "tickets-2026-12-01.json").exists()
    assert ahead.issue("kim", "de").ticket.number == "K-002"


def test_clock_behind_found_with_a_marker_of_an_older_version(tmp_path):
    """A marker without "latest" (written before the store recorded it): the folder is listed."""
    make_store(tmp_path, "2026-12-01 09:00").issue("kim", "de")
    (tmp_path / ".rollover.json").write_text('{"day": "2026-11-30", "at_ns": 1}')
    with pytest.raises(ClockBehind):
        make_store(tmp_path, "2026-11-30 16:00").issue("kim", "de")


def test_an_action_of_a_process_whose_clock_is_behind_is_not_stamped_into_the_past(tmp_path):
    """Bug: a staff process whose clock is a few minutes behind stamped a call before the
    ticket's issue (negative wait) and before the last call, so the public display showed the
    previous number as the latest call. An action is now stamped no earlier than the newest
    stored event (as an issue already was)."""
    kiosk = make_store(tmp_path, "2026-11-30 13:00")
    issue_some(kiosk, "kim", 2)  # 13:00:00, 13:00:30
    kiosk.call("d1", "K-001")  # 13:01:00
    staff = make_store(tmp_path, "2026-11-30 12:57")
    called = staff.call("d2", "K-002")
    assert called.called_at >= called.issued_at
    assert called.called_at == at("2026-11-30 13:01")
    assert [t.number for t in staff.recent_calls(2)] == ["K-002", "K-001"]
    staff.clock.advance(minutes=1)
    assert staff.recall("d2", "K-002")
    assert [t.number for t in kiosk.recent_calls(2)] == ["K-002", "K-001"]
    done = staff.done("d2", "K-002")
    assert done.finished_at >= done.called_at
    assert staff.undo("d2").state is State.CALLED  # its own action, within the undo window


# ---------------------------------------------------------------- other


def test_days_lists_live_days_in_order(tmp_path):
    store = make_store(tmp_path, "2026-11-28 10:00")
    store.issue("kim", "de")
    store.clock.set(at("2026-11-30 10:00"))
    store.issue("jsl", "de")
    days = list(store.days(date(2026, 11, 1), date(2026, 12, 31)))
    assert [d.day for d in days] == [date(2026, 11, 28), date(2026, 11, 30)]


def test_network_file_system_detection(tmp_path):
    mounts = (
        "/dev/vda / ext4 rw 0 0\n"
        "server:/export /mnt/share nfs4 rw 0 0\n"
        "//nas/kiosk /srv/kiosk cifs rw 0 0\n"
        "host:/x /home/me/remote fuse.sshfs rw 0 0\n"
    )
    assert filesystem_type("/mnt/share/data", mounts) == "nfs4"
    assert filesystem_type("/srv/kiosk", mounts) == "cifs"
    assert filesystem_type("/srv/kiosker", mounts) == "ext4"
    assert filesystem_type("/home/me/remote/d", mounts) == "fuse.sshfs"
    assert all(is_network_fs(t) for t in ("nfs4", "cifs", "fuse.sshfs", "smb3"))
    assert not any(is_network_fs(t) for t in ("ext4", "btrfs", "tmpfs", None))


def test_network_file_system_warns_at_start(tmp_path, monkeypatch, caplog):
    import kiosk.core.store as store_module

    monkeypatch.setattr(store_module, "filesystem_type", lambda path: "nfs4")
    with caplog.at_level(logging.WARNING, logger="kiosk.store"):
        store = make_store(tmp_path)
    assert any("network file system" in w for w in store.warnings)
    assert "network file system" in caplog.text


def test_logs_never_hold_more_than_number_topic_language(tmp_path, caplog):
    store = make_store(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="kiosk.store"):
        store.issue("kim", "ar")
        store.call_next("d1")
    assert "K-001" in caplog.text


def test_store_with_real_hours_issues_only_when_open(tmp_path):
    from kiosk.core.hours import Hours

    config = make_config()
    store = Store(tmp_path, config, make_store(tmp_path).clock, hours=Hours(config))
    assert store.issue("kim", "de").ticket.number == "K-001"
    store.clock.set(at("2026-11-30 23:59:30"))  # after the last slot (00:00-23:59)
    with pytest.raises(NotIssuing):
        store.issue("kim", "de")


def test_threads_sharing_one_store_and_another_store(tmp_path):
    """UI thread workers share a Store; other Store objects may live in the same process."""
    import threading

    shared = make_store(tmp_path)
    other = make_store(tmp_path)
    numbers: list[str] = []

    def work(store):
        for _ in range(20):
            numbers.append(store.issue("kim", "de").ticket.number)

    threads = [threading.Thread(target=work, args=(s,)) for s in (shared, shared, shared, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [f"K-{i:03d}" for i in range(1, 81)]
    assert len(shared.snapshot().tickets) == 80


def test_change_stamp_differs_for_quick_writes_of_the_same_size(tmp_path):
    """Two recalls change no length; the file system's coarse mtime and reused inodes alone
    could give the same (inode, mtime, size) twice."""
    store = make_store(tmp_path)
    store.issue("kim", "de")
    store.call("d1", "K-001")
    stamps = [store.change_stamp()]
    for _ in range(5):
        store.recall("d1", "K-001")
        stamps.append(store.change_stamp())
    assert len(set(stamps)) == len(stamps)
