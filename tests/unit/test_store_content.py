"""Store: every operation goes through TinyDB, and what it reuses from the last one.

Each operation works through a fresh TinyDB over a DayStorage. The storage parses the day file
again only when its bytes differ from what this process last read or wrote, and then the store
parses only the documents that changed; a write encodes only what the operation changed. These
tests pin that the operations use TinyDB's tables, that the file stays a TinyDB database, that
the reused state is always exactly what a fresh read gives, and that the parsing and encoding
done per operation does not grow with the day (counted, not timed).
"""

from __future__ import annotations

import errno
import json
import random

import pytest
from tinydb import TinyDB
from tinydb.table import Table

import kiosk.core.storage as storage
import kiosk.core.store as store_module
from kiosk.core import queue
from kiosk.core.errors import KioskError, StorageUnavailable
from kiosk.core.storage import DayStorage, read_bytes
from kiosk.core.tickets import State
from tests.store_factory import make_store

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

DAY = "tickets-2026-11-30.json"


def fresh(store):
    """Today's file read from scratch, as another process would."""
    today = store.clock.now().date()
    return store._load_day(store.day_path(today), today).content


def assert_cache_is_the_file(store):
    cached = store._cache.content
    again = fresh(store)
    assert cached.file.raw == read_bytes(store.day_path(store.clock.now().date()))
    assert cached.file.tables == again.file.tables
    assert dict(cached.tickets) == dict(again.tickets)
    assert dict(cached.meta) == dict(again.meta)
    assert dict(cached.numbers) == dict(again.numbers)
    # derived values (some carried over from the last operation) equal fresh ones
    derived = ("issued_topics", "seq_marks", "topic_counts", "topic_service", "newest_event")
    for name in (*derived, "latest_issue"):
        if name in cached.__dict__:
            assert cached.__dict__[name] == getattr(again, name), name
    # encoded parts kept for the next write are those of the documents as they are now
    tables = cached.file.tables
    for doc_id, frag in cached.file.frags.items():
        assert json.loads(b"{" + frag + b"}") == {doc_id: tables["tickets"][doc_id]}
    for (table, doc_id), values in cached.file.values.items():
        for key, encoded in values.items():
            assert json.loads(encoded) == tables[table][doc_id][key], (table, key)


def random_action(rng, store, numbers):
    desk = rng.choice(["d1", "d2", "d3"])
    number = rng.choice(numbers) if numbers else "K-001"
    action = rng.choice(
        ["issue"] * 6
        + ["call_next"] * 3
        + ["done"] * 3
        + ["call", "recall", "no_show"]
        + ["reactivate", "cancel", "transfer", "undo", "pause", "resume", "snapshot"]
    )
    if action == "issue":
        topic = rng.choice(["kim", "kim", "kim", "jsl", "jsl", "vhs"])
        return store.issue(topic, rng.choice(["de", "en", "ar"]))
    if action == "call_next":
        return store.call_next(desk)
    if action == "transfer":
        return store.transfer(desk, number, rng.choice(["kim", "jsl"]))
    if action == "undo":
        return store.undo(desk)
    if action in ("pause", "resume"):
        return getattr(store, action)(rng.choice(["kim", "jsl"]))
    if action == "snapshot":
        return store.snapshot()
    return getattr(store, action)(desk, number)


def test_reused_state_always_equals_a_fresh_read(tmp_path):
    """Two processes' stores take turns at random (legal and illegal) operations; after each,
    the state the acting store keeps for its next operation is exactly the file's, and what an
    issue tells the visitor (people ahead, minutes) is what the queue rules say."""
    rng = random.Random(3)
    stores = [make_store(tmp_path), make_store(tmp_path)]
    numbers: list[str] = []
    estimates = 0
    for step in range(400):
        store = stores[0] if rng.random() < 0.6 else stores[1]
        try:
            result = random_action(rng, store, numbers)
        except KioskError:
            pass  # illegal transitions, paused topics, daily limit: nothing written
        else:
            if hasattr(result, "ticket"):  # an issue: what the visitor is told, by the rules
                numbers.append(result.ticket.number)
                tickets = stores[0].snapshot().tickets
                now = store.clock.now()
                assert result.people_ahead == queue.people_ahead(tickets, result.ticket)
                assert result.wait_minutes == queue.wait_estimate(tickets, result.ticket, now)
                estimates += result.wait_minutes is not None
        assert_cache_is_the_file(store)
        if step % 7 == 0:
            seconds = rng.randint(1, 200)
            for s in stores:  # two processes, one clock
                s.clock.advance(seconds=seconds)
    snapshot = stores[1].snapshot()
    assert [t.number for t in snapshot.tickets] == sorted(numbers, key=numbers.index)
    assert len(set(numbers)) == len(numbers)
    assert len(numbers) > 50 and estimates > 5  # the run reached busy states


def test_a_write_of_the_same_size_by_another_process_is_seen(tmp_path):
    """The reuse is decided by the file's bytes, not its size or time."""
    kiosk = make_store(tmp_path)
    kiosk.issue("kim", "de")
    path = tmp_path / DAY
    raw = path.read_bytes()
    other = raw.replace(b'"lang":"de"', b'"lang":"en"')
    assert len(other) == len(raw) and other != raw
    stat = path.stat()
    path.write_bytes(other)
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even the same mtime
    assert kiosk.snapshot().tickets[0].lang == "en"
    assert kiosk.issue("kim", "de").people_ahead == 1


def test_a_failed_operation_leaves_nothing_behind(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    store.call("d1", "K-001")
    with pytest.raises(KioskError):
        store.reactivate("d1", "K-001")  # called, not a no-show
    assert_cache_is_the_file(store)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "injected")

    monkeypatch.setattr(storage, "_write_all", full)
    with pytest.raises(StorageUnavailable):
        store.done("d1", "K-001")
    with pytest.raises(StorageUnavailable):
        store.issue("kim", "de")
    monkeypatch.undo()
    assert_cache_is_the_file(store)
    assert [(t.number, t.state) for t in store.snapshot().tickets] == [("K-001", State.CALLED)]
    assert store.done("d1", "K-001").state is State.DONE
    assert store.issue("kim", "de").ticket.number == "K-002"  # nothing was written for it
    assert_cache_is_the_file(store)


def count_parsed(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = store_module.doc_ticket

    def counting(doc, tz):
        parsed.append(doc["number"])
        return real(doc, tz)

    monkeypatch.setattr(store_module, "doc_ticket", counting)
    return parsed


def test_an_operation_parses_only_documents_changed_by_others(tmp_path, monkeypatch):
    kiosk, staff = make_store(tmp_path), make_store(tmp_path)
    for _ in range(40):
        kiosk.issue("kim", "de")
    staff.snapshot()
    parsed = count_parsed(monkeypatch)
    for _ in range(5):
        kiosk.issue("jsl", "de")  # the kiosk's own writes: nothing to parse
    assert parsed == []
    staff.call("d1", "K-007")  # the staff process saw 5 new tickets
    assert sorted(parsed) == ["J-001", "J-002", "J-003", "J-004", "J-005"]
    parsed.clear()
    kiosk.issue("kim", "de")  # the kiosk sees the one ticket the staff changed
    assert parsed == ["K-007"]


def test_a_write_encodes_only_what_changed(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    for _ in range(30):
        store.issue("kim", "de")
    store.call("d1", "K-001")
    encoded: list[object] = []
    real = storage.doc_fragment

    def counting(doc_id, doc):
        encoded.append(doc["number"])
        return real(doc_id, doc)

    monkeypatch.setattr(storage, "doc_fragment", counting)
    store.issue("kim", "de")
    store.done("d1", "K-001")
    assert encoded == ["K-031", "K-001"]


def test_operations_go_through_tinydb_tables(tmp_path, monkeypatch):
    """Inserts, updates and reads of documents are TinyDB's, on tables opened without a query
    cache, in a TinyDB made for the operation (its next-id cache cannot outlive it)."""
    calls: list[tuple[str, str]] = []
    for method in ("insert", "update", "upsert", "get", "all"):
        real = getattr(Table, method)

        def spy(self, *args, _real=real, _method=method, **kwargs):
            calls.append((_method, self.name))
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(Table, method, spy)
    opened: list[TinyDB] = []
    real_init = TinyDB.__init__

    def opening(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(TinyDB, "__init__", opening)
    store = make_store(tmp_path)
    store.snapshot()
    calls.clear()
    opened.clear()
    store.issue("kim", "de")
    assert ("insert", "tickets") in calls and ("upsert", "meta") in calls
    assert len(opened) == 1 and isinstance(opened[0].storage, DayStorage)
    assert all(t._query_cache.capacity == 0 for t in opened[0]._tables.values())
    calls.clear()
    store.call_next("d1")
    assert ("update", "tickets") in calls and ("get", "tickets") in calls
    assert len(opened) == 2 and opened[0] is not opened[1]


def test_day_file_is_a_tinydb_database(tmp_path):
    """TinyDB itself opens a file the store wrote, and what it inserts the store continues."""
    store = make_store(tmp_path)
    store.issue("kim", "de")
    store.issue("jsl", "en")
    store.call("d1", "K-001")
    path = tmp_path / DAY
    db = TinyDB(storage=DayStorage.opener(path))
    docs = {doc.doc_id: dict(doc) for doc in db.table("tickets").all()}
    assert {doc_id: doc["number"] for doc_id, doc in docs.items()} == {1: "K-001", 2: "J-001"}
    assert db.table("meta").get(doc_id=1)["seq"] == {"K": 1, "J": 1}
    # a document added with TinyDB (e.g. by an admin's script) is a ticket for the store
    added = dict(docs[2], number="J-002", seq=2)
    assert db.table("tickets").insert(added) == 3
    db.close()
    assert [t.number for t in store.snapshot().tickets] == ["K-001", "J-001", "J-002"]
    assert store.issue("jsl", "de").ticket.number == "J-003"
    assert_cache_is_the_file(store)


def test_plain_tinydb_with_its_own_json_storage_shares_the_file(tmp_path):
    """TinyDB's default JSONStorage (no storage of ours) reads the file the store wrote; a
    ticket it inserts gets the next document id and the store sees it and numbers on."""
    store = make_store(tmp_path)
    store.issue("kim", "de")
    store.issue("kim", "en")
    with TinyDB(tmp_path / DAY) as db:
        tickets = db.table("tickets", cache_size=0)
        assert [doc["number"] for doc in tickets.all()] == ["K-001", "K-002"]
        added = dict(tickets.get(doc_id=2), number="K-003", seq=3, lang="ar")
        assert tickets.insert(added) == 3
    assert [(t.number, t.lang) for t in store.snapshot().tickets][-1] == ("K-003", "ar")
    issued = store.issue("kim", "de")
    assert issued.ticket.number == "K-004" and issued.people_ahead == 3
    with TinyDB(tmp_path / DAY) as db:
        assert db.table("tickets").get(doc_id=4)["number"] == "K-004"
        assert db.table("meta").get(doc_id=1)["seq"] == {"K": 4}
    assert (tmp_path / DAY).read_bytes().startswith(b'{"meta":{"1":')


def test_an_aborted_operation_never_reaches_the_kept_state(tmp_path, monkeypatch):
    """TinyDB updates documents in place; the storage hands it copies, so an update whose
    write fails leaves the state kept for the next operation as the file is."""
    store = make_store(tmp_path)
    store.issue("kim", "de")
    kept = store._cache.content.file
    before = json.loads(kept.raw)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "injected")

    monkeypatch.setattr(storage, "_write_all", full)
    with pytest.raises(StorageUnavailable):
        store.call("d1", "K-001")
    monkeypatch.undo()
    assert store._cache.content.file is kept and kept.tables == before
    assert store.snapshot().tickets[0].state is State.WAITING
    assert_cache_is_the_file(store)


def test_file_of_an_older_version_tickets_before_meta_is_read_and_continued(tmp_path):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    store.call("d1", "K-001")
    data = json.loads((tmp_path / DAY).read_text())
    old_layout = {"tickets": data["tickets"], "meta": data["meta"]}
    (tmp_path / DAY).write_text(json.dumps(old_layout, indent=1))  # spaces, other order
    other = make_store(tmp_path)
    assert other.undo("d1").state is State.WAITING  # the journal came along
    assert other.issue("kim", "de").ticket.number == "K-002"
    assert (tmp_path / DAY).read_bytes().startswith(b'{"meta":{"1":{"seq":{"K":2}')


def test_snapshot_mappings_are_read_only(tmp_path):
    """They are shared with the state the store keeps for its next operation."""
    store = make_store(tmp_path)
    store.issue("kim", "de")
    snapshot = store.snapshot()
    with pytest.raises(TypeError):
        snapshot.issued_topics["K-002"] = "kim"  # type: ignore[index]
    with pytest.raises(TypeError):
        snapshot.counts[0]["kim"] = 0  # type: ignore[index]
    assert snapshot.counts[0]["kim"] == 1 and snapshot.counts[1]["kim"] == 1
