"""Salvage of a damaged day file (issue 14, finding 1): nobody leaves the queue because a file
broke. Bug: any damage moved the whole file aside and every ticket of the day left the queue
(6 of 6 in each case), although in three of the cases every ticket was still readable.

Each test damages a day of 6 tickets one way and asserts what comes back: the numbers, their
order and places, what is named missing or to check, the original bytes kept, and that no
number is handed out again."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kiosk.core import queue
from kiosk.core.storage import doc_fragment
from kiosk.core.tickets import State
from tests.store_factory import make_store

DAY = "tickets-2026-11-30.json"
SEQ = "seq-2026-11-30.json"
NUMBERS = ["K-001", "K-002", "J-001", "K-003", "J-002", "K-004"]


def six_tickets(tmp_path):
    """K-001 done, K-002 called at desk d1, the other four waiting."""
    store = make_store(tmp_path)
    for topic in ("kim", "kim", "jsl", "kim", "jsl", "kim"):
        store.issue(topic, "de")
        store.clock.advance(seconds=40)
    store.call("d1", "K-001")
    store.done("d1", "K-001")
    store.call("d1", "K-002")
    return store


def ticket_doc(path, number):
    tickets = json.loads(path.read_bytes())["tickets"]
    return next((doc_id, doc) for doc_id, doc in tickets.items() if doc["number"] == number)


def set_field(path, number, key, value):
    data = json.loads(path.read_bytes())
    doc_id, _ = ticket_doc(path, number)
    data["tickets"][doc_id][key] = value
    path.write_text(json.dumps(data))


def after_damage(tmp_path, before):
    """Another process opens the damaged day: its snapshot, and the copy kept aside."""
    damaged = (tmp_path / DAY).read_bytes()
    other = make_store(tmp_path)
    snapshot = other.snapshot()
    copies = sorted(tmp_path.glob("tickets-2026-11-30.damaged-*.json"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == damaged  # the original bytes, kept
    json.loads((tmp_path / DAY).read_bytes())  # the day file is whole again
    assert len(snapshot.salvaged) == 1
    return other, snapshot, snapshot.salvaged[0]


def assert_same_places(before, snapshot, numbers):
    """Each recovered ticket has its number, state, desk and place in the queue again."""
    old = {t.number: t for t in before.tickets}
    assert [t.number for t in snapshot.tickets] == numbers
    for ticket in snapshot.tickets:
        was = old[ticket.number]
        assert (ticket.state, ticket.desk, ticket.topic) == (was.state, was.desk, was.topic)
        if ticket.state is State.WAITING:
            assert queue.people_ahead(snapshot.tickets, ticket) == sum(
                1
                for t in before.tickets
                if t.number in numbers
                and t.state is State.WAITING
                and t.topic == was.topic
                and t.arrival < was.arrival
            )


def test_junk_appended_all_six_back(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    with open(tmp_path / DAY, "ab") as file:
        file.write(b'\n{"oops": tru')
    other, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS)
    assert (report["recovered"], report["issued"], report["missing"]) == (6, 6, [])
    assert report["check"] == {}
    assert other.issue("kim", "de").ticket.number == "K-005"
    assert other.issue("jsl", "de").ticket.number == "J-003"


def test_bad_issue_time_all_six_back_one_marked_at_its_place(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    set_field(tmp_path / DAY, "J-001", "issued_at", "gestern")
    other, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS)
    assert (report["recovered"], report["issued"], report["missing"]) == (6, 6, [])
    assert report["check"] == {"J-001": ["issued_at"]}
    j1 = next(t for t in snapshot.tickets if t.number == "J-001")
    k2, k3 = (next(t for t in snapshot.tickets if t.number == n) for n in ("K-002", "K-003"))
    assert k2.arrival < j1.arrival < k3.arrival  # between its neighbours, as it arrived
    assert ticket_doc(tmp_path / DAY, "J-001")[1]["check"] == ["issued_at"]
    # the ticket works as any other: J-001 is called first for topic jsl
    assert other.call_next("d2").number == "J-001"
    assert other.issue("jsl", "de").ticket.number == "J-003"


def test_bad_state_all_six_back_one_marked_still_waiting(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    set_field(tmp_path / DAY, "K-003", "state", "wartend")
    other, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS)
    assert (report["recovered"], report["issued"], report["missing"]) == (6, 6, [])
    assert report["check"] == {"K-003": ["state"]}
    assert other.issue("kim", "de").ticket.number == "K-005"


def test_called_ticket_with_bad_state_stays_called(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    set_field(tmp_path / DAY, "K-002", "state", 7)
    _, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS)
    assert report["check"] == {"K-002": ["state"]}


def fragment_ends(path):
    """Where each ticket's document ends in the file's bytes, by number."""
    raw = path.read_bytes()
    ends = {}
    for doc_id, doc in json.loads(raw)["tickets"].items():
        fragment = doc_fragment(doc_id, doc)
        ends[doc["number"]] = raw.index(fragment) + len(fragment)
    return raw, ends


def test_cut_file_every_ticket_complete_before_the_cut(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    raw, ends = fragment_ends(tmp_path / DAY)
    cuts = sorted({*ends.values(), *(end - 7 for end in ends.values()), len(raw) // 3})
    for case, cut in enumerate(cuts):
        folder = tmp_path / f"cut{case}"
        folder.mkdir()
        (folder / DAY).write_bytes(raw[:cut])
        (folder / SEQ).write_bytes((tmp_path / SEQ).read_bytes())
        kept = [n for n in NUMBERS if ends[n] <= cut]
        other, snapshot, report = after_damage(folder, before)
        assert_same_places(before, snapshot, kept)
        missing = sorted(set(NUMBERS) - set(kept))
        assert sorted(report["missing"]) == missing, cut
        assert (report["recovered"], report["issued"]) == (len(kept), 6)
        assert other.issue("kim", "de").ticket.number == "K-005"


def test_cut_file_and_seq_file_lost_numbers_named_from_meta(tmp_path):
    """Meta comes first in the file: its marks survive the cut and name what is missing."""
    store = six_tickets(tmp_path)
    before = store.snapshot()
    raw, ends = fragment_ends(tmp_path / DAY)
    (tmp_path / DAY).write_bytes(raw[: ends["K-003"] + 3])
    (tmp_path / SEQ).unlink()
    other, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS[:4])
    assert report["missing"] == ["J-002", "K-004"]
    assert other.issue("kim", "de").ticket.number == "K-005"


def test_one_ticket_overwritten_in_the_middle_five_back_and_it_is_named(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    raw, ends = fragment_ends(tmp_path / DAY)
    start = raw.index(b'"number":"J-001"')
    (tmp_path / DAY).write_bytes(
        raw[:start] + b"\x00" * (ends["J-001"] - start) + raw[ends["J-001"] :]
    )
    other, snapshot, report = after_damage(tmp_path, before)
    kept = [n for n in NUMBERS if n != "J-001"]
    assert_same_places(before, snapshot, kept)
    assert (report["recovered"], report["issued"], report["missing"]) == (5, 6, ["J-001"])
    assert other.issue("jsl", "de").ticket.number == "J-003"


def test_emptied_file_all_six_named_missing_numbers_not_reused(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    (tmp_path / DAY).write_bytes(b"")
    other, snapshot, report = after_damage(tmp_path, before)
    assert snapshot.tickets == ()
    assert (report["recovered"], report["issued"]) == (0, 6)
    assert sorted(report["missing"]) == sorted(NUMBERS)
    assert other.issue("kim", "de").ticket.number == "K-005"


def test_salvage_is_seen_by_every_process_and_reported_once(tmp_path):
    store = six_tickets(tmp_path)
    set_field(tmp_path / DAY, "J-001", "issued_at", "gestern")
    other = make_store(tmp_path)
    other.issue("kim", "de")
    assert len(store.snapshot().salvaged) == 1  # the first process sees the report too
    assert len(other.snapshot().salvaged) == 1
    assert len(list(tmp_path.glob("tickets-2026-11-30.damaged-*.json"))) == 1
    assert sum("damaged data file" in w for w in other.warnings + store.warnings) == 1


def test_fields_the_store_does_not_know_are_kept(tmp_path):
    """Salvage is generic over ticket fields: one added by a later version survives."""
    store = six_tickets(tmp_path)
    set_field(tmp_path / DAY, "K-003", "later_field", "xyz")
    set_field(tmp_path / DAY, "K-003", "issued_at", None)
    make_store(tmp_path).snapshot()
    assert ticket_doc(tmp_path / DAY, "K-003")[1]["later_field"] == "xyz"
    assert store.snapshot().salvaged[0]["check"] == {"K-003": ["issued_at"]}


def test_read_only_reader_sees_the_salvaged_queue_without_writing(tmp_path):
    store = six_tickets(tmp_path)
    before = store.snapshot()
    set_field(tmp_path / DAY, "K-003", "state", "wartend")
    damaged = (tmp_path / DAY).read_bytes()
    day = make_store(tmp_path)._read_day_unlocked(tmp_path / DAY, before.day)
    assert [t.number for t in day.ticket_list()] == NUMBERS
    assert (tmp_path / DAY).read_bytes() == damaged


@pytest.mark.parametrize("damage", ["junk", "cut"])
def test_damaged_past_day_salvaged_at_end_of_day(tmp_path, damage):
    store = six_tickets(tmp_path)
    path = tmp_path / DAY
    if damage == "junk":
        path.write_bytes(path.read_bytes() + b"\x00\x00")
    else:
        raw, ends = fragment_ends(path)
        path.write_bytes(raw[: ends["K-003"]])
    store.clock.advance(days=1)
    store.issue("kim", "de")
    day = store._read_day_unlocked(path, date(2026, 11, 30))
    states = {t.number: t.state for t in day.ticket_list()}
    expected = NUMBERS if damage == "junk" else NUMBERS[:4]
    assert list(states) == expected
    assert states["K-002"] is State.UNRESOLVED and states["K-003"] is State.EXPIRED
    assert list(tmp_path.glob("tickets-2026-11-30.damaged-*.json"))


def test_a_field_the_store_cannot_read_and_salvage_does_not_know_is_dropped_not_the_ticket(
    tmp_path, monkeypatch
):
    """A field added by another version that the store refuses: the ticket stays, without it."""
    import kiosk.core.store as store_module

    store = six_tickets(tmp_path)
    before = store.snapshot()
    reads = store_module.doc_ticket

    def strict(doc, tz):
        if "later_field" in doc:
            raise ValueError("later_field")
        return reads(doc, tz)

    monkeypatch.setattr(store_module, "doc_ticket", strict)
    set_field(tmp_path / DAY, "K-003", "later_field", "?")
    _, snapshot, report = after_damage(tmp_path, before)
    assert_same_places(before, snapshot, NUMBERS)
    assert report["check"] == {"K-003": ["later_field"]}
