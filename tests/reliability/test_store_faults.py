"""Store faults: damaged day files, full disk, read-only folder, leftovers, a stuck lock."""

from __future__ import annotations

import errno
import json
import logging
import threading

import pytest
from filelock import FileLock

import kiosk.core.storage as storage
import kiosk.core.store as store_module
from kiosk.core.errors import StorageUnavailable
from kiosk.core.tickets import State
from tests.store_factory import make_store

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

DAY = "tickets-2026-11-30.json"
SEQ = "seq-2026-11-30.json"


def issue_some(store, n=3, topic="kim"):
    for _ in range(n):
        store.issue(topic, "de")
        store.clock.advance(seconds=20)


def _truncate(path):
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])


DAMAGE = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": _truncate,
    "not-json": lambda p: p.write_bytes(b"\x00\xff garbage {{{"),
    "wrong-shape-list": lambda p: p.write_text("[1, 2, 3]"),
    "wrong-shape-table": lambda p: p.write_text('{"tickets": [1, 2]}'),
    "wrong-shape-ticket": lambda p: p.write_text(
        '{"tickets": {"1": {"number": "K-001", "seq": "one"}}}'
    ),
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_day_file_copy_kept_reported_once_numbers_not_reused(tmp_path, kind, caplog):
    store = make_store(tmp_path)
    issue_some(store, 3)
    DAMAGE[kind](tmp_path / DAY)
    damaged = (tmp_path / DAY).read_bytes()
    other = make_store(tmp_path)
    with caplog.at_level(logging.WARNING, logger="kiosk.store"):
        issued = other.issue("kim", "de")
        other.snapshot()
        store.snapshot()
    assert issued.ticket.number == "K-004"  # never reuses K-001..K-003
    aside = sorted(tmp_path.glob("tickets-2026-11-30.damaged-*.json"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept as it was
    assert caplog.text.count("damaged data file") == 1  # reported once
    assert any("damaged data file" in w for w in other.warnings)
    assert store.moved_aside() == [aside[0].name]  # visible to every process
    numbers = [t.number for t in store.snapshot().tickets]  # what could be read, and work goes on
    assert numbers[-1] == "K-004" and len(set(numbers)) == len(numbers)
    json.loads((tmp_path / DAY).read_text())


@pytest.mark.parametrize("kind", ["empty", "truncated", "not-json"])
def test_damaged_day_and_cut_seq_file_still_never_reuse(tmp_path, kind):
    store = make_store(tmp_path)
    issue_some(store, 5)
    DAMAGE[kind](tmp_path / DAY)
    seq = tmp_path / SEQ
    seq.write_bytes(seq.read_bytes()[:-1])  # '{"K":5' : not JSON, still readable as text
    # the marks are found in the text of the moved-aside files
    number = make_store(tmp_path).issue("kim", "de").ticket.number
    assert number == "K-006"


def test_truncated_day_file_numbers_found_in_its_text(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, 6)
    DAMAGE["truncated"](tmp_path / DAY)
    (tmp_path / SEQ).write_bytes(b"")
    # the seq file is gone too: the highest number left in the cut file is the floor
    number = int(make_store(tmp_path).issue("kim", "de").ticket.number[2:])
    assert number >= 3


@pytest.mark.parametrize("keep", [0.1, 0.3, 0.6])
def test_day_file_cut_short_and_seq_file_lost_never_reuse_a_number(tmp_path, keep):
    """Bug: with the seq file lost and the day file cut before its last tickets, the numbers
    of the cut tickets were handed out again (the marks were at the end of the file, in meta).
    Meta now comes first in a day file, and its marks are read from a moved-aside file."""
    store = make_store(tmp_path)
    issue_some(store, 3)
    issue_some(store, 2, topic="jsl")
    issue_some(store, 40)
    path = tmp_path / DAY
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * keep)])
    (tmp_path / SEQ).unlink()
    other = make_store(tmp_path, store.clock.now())  # the tickets read back are not ahead
    assert other.issue("kim", "de").ticket.number == "K-044"
    assert other.issue("jsl", "de").ticket.number == "J-003"


def test_lost_seq_file_numbers_continue_from_day_file(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, 2)
    (tmp_path / SEQ).unlink()
    assert store.issue("kim", "de").ticket.number == "K-003"


def test_damaged_seq_file_alone(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, 2)
    (tmp_path / SEQ).write_text('{"K": "x"}')
    assert store.issue("kim", "de").ticket.number == "K-003"
    assert list(tmp_path.glob("seq-2026-11-30.damaged-*.json"))


def test_damaged_old_day_moved_aside_at_end_of_day(tmp_path):
    store = make_store(tmp_path)
    issue_some(store, 2)
    DAMAGE["truncated"](tmp_path / DAY)
    store.clock.advance(days=1)
    assert store.issue("kim", "de").ticket.number == "K-001"
    assert list(tmp_path.glob("tickets-2026-11-30.damaged-*.json"))


# ---------------------------------------------------------------- disk faults by injection


def _fail_writes(monkeypatch, code):
    def fail(fd, data):
        raise OSError(code, "injected")

    monkeypatch.setattr(storage, "_write_all", fail)


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
def test_disk_fault_gives_storage_unavailable_and_keeps_everything(
    tmp_path, monkeypatch, code, words
):
    store = make_store(tmp_path)
    issue_some(store, 3)
    store.call_next("d1")
    before = (tmp_path / DAY).read_bytes()
    _fail_writes(monkeypatch, code)
    for action in (
        lambda: store.issue("kim", "de"),
        lambda: store.call_next("d1"),
        lambda: store.done("d1", "K-001"),
        lambda: store.pause("kim"),
    ):
        with pytest.raises(StorageUnavailable) as caught:
            action()
        assert "storage unavailable" in str(caught.value)
        assert words in str(caught.value)
    assert (tmp_path / DAY).read_bytes() == before  # nothing stored before is lost
    assert not list(tmp_path.glob(".tmp-*"))
    assert len(store.snapshot().tickets) == 3  # reading still works
    monkeypatch.undo()
    assert store.issue("kim", "de").ticket.number in ("K-004", "K-005")  # work goes on


def test_full_disk_after_seq_file_skips_a_number_rather_than_reusing(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    issue_some(store, 1)
    real = storage._write_all
    calls = []

    def fail_second(fd, data):
        calls.append(1)
        if len(calls) == 2:  # seq file written, day file not
            raise OSError(errno.ENOSPC, "injected")
        real(fd, data)

    monkeypatch.setattr(storage, "_write_all", fail_second)
    with pytest.raises(StorageUnavailable):
        store.issue("kim", "de")
    monkeypatch.undo()
    assert store.issue("kim", "de").ticket.number == "K-003"
    assert [t.number for t in store.snapshot().tickets] == ["K-001", "K-003"]


def test_unwritable_lock_file_is_storage_unavailable_reading_goes_on(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    issue_some(store, 2)
    store.call_next("d1")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EROFS, "injected read-only")

    monkeypatch.setattr(store._lock, "acquire", refuse)
    with pytest.raises(StorageUnavailable, match="read-only"):
        store.issue("kim", "de")
    assert [t.number for t in store.snapshot().tickets] == ["K-001", "K-002"]
    assert [t.number for t in store.recent_calls(3)] == ["K-001"]
    assert len(list(store.days(store.snapshot().day, store.snapshot().day))) == 1


def test_lock_held_too_long_is_storage_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.2)
    store = make_store(tmp_path)
    store.issue("kim", "de")
    holder = FileLock(str(tmp_path / ".lock"))
    ready, release = threading.Event(), threading.Event()

    def hold():
        with holder:
            ready.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(5)
    try:
        fresh = make_store(tmp_path)
        with pytest.raises(StorageUnavailable, match="locked"):
            fresh.issue("kim", "de")
    finally:
        release.set()
        thread.join()
    assert make_store(tmp_path).issue("kim", "de").ticket.number == "K-002"


def test_leftover_temporary_files_cleaned_at_start(tmp_path):
    make_store(tmp_path).issue("kim", "de")
    (tmp_path / f".tmp-{DAY}.99999").write_text('{"half')
    store = make_store(tmp_path)
    store.snapshot()
    assert not list(tmp_path.glob(".tmp-*"))
    assert store.snapshot().tickets[0].state is State.WAITING


def test_a_lasting_fault_is_logged_once(tmp_path, monkeypatch, caplog):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    _fail_writes(monkeypatch, errno.ENOSPC)
    with caplog.at_level(logging.ERROR, logger="kiosk.store"):
        for _ in range(5):
            with pytest.raises(StorageUnavailable):
                store.issue("kim", "de")
    assert caplog.text.count("disk is full") == 1
