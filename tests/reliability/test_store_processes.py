"""Store across processes: concurrent kiosks and desks, and writers killed at random moments.

Processes are forked (Linux): each child builds its own Store, as a real kiosk or staff process
does. Timings are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
import time
from collections import Counter

import pytest

from kiosk.core.clock import Clock
from kiosk.core.store import Store
from kiosk.core.tickets import State
from tests.store_factory import BERLIN, OpenHours, at, make_config

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses fork and SIGKILL")

START = "2026-11-30 13:00"


def running_store(data_dir) -> Store:
    """A store with a clock that starts at START and runs on (like `--now`)."""
    return Store(data_dir, make_config(), Clock(BERLIN, at(START)), hours=OpenHours())


def fork(target, *args) -> tuple[int, int]:
    """Run target(write_fd, *args) in a forked child; returns (pid, read_fd)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_fd)
            target(write_fd, *args)
        except BaseException as error:  # report, never run the parent's pytest machinery
            os.write(write_fd, f"E {error!r}\n".encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def read_all(fd: int) -> list[str]:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode().splitlines()


def issuer(fd, data_dir, count, seed):
    store = running_store(data_dir)
    rng = random.Random(seed)
    for _ in range(count):
        ticket = store.issue(rng.choice(["kim", "jsl"]), rng.choice(["de", "en", "ar"])).ticket
        os.write(fd, f"I {ticket.number}\n".encode())
    os.write(fd, b"END\n")


def caller(fd, data_dir, desk, stop_file):
    store = running_store(data_dir)
    while True:
        ticket = store.call_next(desk)
        if ticket is not None:
            os.write(fd, f"C {ticket.number}\n".encode())
        elif not os.path.exists(stop_file):
            time.sleep(0.02)  # nobody waits: look again soon, as a staff screen polls
        else:
            # issuers are done; one more look so nothing issued last is left behind
            ticket = store.call_next(desk)
            if ticket is None:
                break
            os.write(fd, f"C {ticket.number}\n".encode())
    os.write(fd, b"END\n")


def test_four_kiosks_issue_while_two_desks_call(tmp_path):
    per_issuer = 100
    stop_file = str(tmp_path / "issuers-done")
    data = tmp_path / "data"
    running_store(data).snapshot()
    started = time.perf_counter()
    issuers = [fork(issuer, data, per_issuer, seed) for seed in range(4)]
    callers = [fork(caller, data, desk, stop_file) for desk in ("d1", "d3")]
    issued_lines = [read_all(fd) for _, fd in issuers]
    for pid, _ in issuers:
        os.waitpid(pid, 0)
    open(stop_file, "w").close()
    called_lines = [read_all(fd) for _, fd in callers]
    for pid, _ in callers:
        os.waitpid(pid, 0)
    elapsed = time.perf_counter() - started
    for lines in issued_lines + called_lines:
        assert lines[-1] == "END", lines[-3:]
    issued = [line[2:] for lines in issued_lines for line in lines if line.startswith("I ")]
    called = {
        desk: [line[2:] for line in lines if line.startswith("C ")]
        for desk, lines in zip(("d1", "d3"), called_lines, strict=True)
    }
    all_called = called["d1"] + called["d3"]
    print(
        f"\n4 issuers x {per_issuer} + 2 callers: {elapsed:.2f} s, "
        f"{len(issued) / elapsed:.0f} issues/s, called d1={len(called['d1'])} "
        f"d3={len(called['d3'])}"
    )
    assert len(issued) == 4 * per_issuer
    assert len(set(issued)) == len(issued), "duplicate number"
    assert len(set(all_called)) == len(all_called), "a ticket was called twice"
    stored = {t.number: t for t in running_store(data).snapshot().tickets}
    assert set(stored) == set(issued), "lost ticket"
    assert set(all_called) == set(issued), "a ticket was never called"
    for desk, numbers in called.items():
        for number in numbers:
            assert stored[number].state is State.CALLED and stored[number].desk == desk
    # numbers per letter are 1..n without gaps (nothing crashed here)
    for letter in "KJ":
        seqs = sorted(t.seq for t in stored.values() if t.letter == letter)
        assert seqs == list(range(1, len(seqs) + 1))


def worker(fd, data_dir, seed):
    """Issue tickets (and call some) forever, reporting each one that returned."""
    store = running_store(data_dir)
    rng = random.Random(seed)
    os.write(fd, b"R\n")
    while True:
        if rng.random() < 0.3:
            ticket = store.call_next("d1")
            if ticket is not None:
                os.write(fd, f"C {ticket.number}\n".encode())
        else:
            number = store.issue(rng.choice(["kim", "jsl"]), "de").ticket.number
            os.write(fd, f"I {number}\n".encode())


def _check_files_parse(data_dir) -> None:
    for path in data_dir.iterdir():
        if path.name.endswith(".json"):
            json.loads(path.read_bytes())  # raises if torn


def test_sigkill_at_random_moments_never_tears_a_file_or_loses_a_ticket(tmp_path):
    kills = 100
    data = tmp_path / "data"
    running_store(data).snapshot()
    rng = random.Random(20261130)
    issued: list[str] = []
    called: list[str] = []
    torn_writes = 0  # kills that left a temporary file: they hit a write
    started = time.perf_counter()
    for run in range(kills):
        pid, fd = fork(worker, data, run)
        ready, _, _ = select.select([fd], [], [], 10)
        assert ready, "worker did not start"
        time.sleep(rng.uniform(0, 0.1))  # the first operation of a fresh process takes a while
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = read_all(fd)
        errors = [line for line in lines if line.startswith("E ")]
        assert not errors, errors
        issued += [line[2:] for line in lines if line.startswith("I ")]
        called += [line[2:] for line in lines if line.startswith("C ")]
        _check_files_parse(data)
        torn_writes += bool(list(data.glob(".tmp-*")))
    elapsed = time.perf_counter() - started
    store = running_store(data)
    stored = {t.number: t for t in store.snapshot().tickets}
    print(
        f"\n{kills} SIGKILLs in {elapsed:.1f} s: {len(issued)} issues and {len(called)} calls "
        f"returned, {len(stored)} tickets stored, {torn_writes} kills hit a write"
    )
    _check_files_parse(data)
    assert not list(data.glob("*.damaged-*"))
    assert len(set(issued)) == len(issued), "duplicate number"
    missing = set(issued) - set(stored)
    assert not missing, f"returned but not stored: {sorted(missing)[:5]}"
    assert len(set(called)) == len(called), "a ticket was called twice"
    for number in called:
        assert stored[number].state is State.CALLED
    counts = Counter(t.number for t in store.snapshot().tickets)
    assert max(counts.values()) == 1
    # a fresh store works on: cleans leftovers, issues the next numbers
    store.issue("kim", "de")
    assert not list(data.glob(".tmp-*"))
