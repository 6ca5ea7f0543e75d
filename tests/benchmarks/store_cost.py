"""Issue cost of the store against the size of the data folder, and issues per second.

Folders are built once through the Store API with a FixedClock (shipped config, Monday
2026-11-30, tickets from 12:31, timed issues at 14:00): "today" holds 300 tickets (250 called
and finished, 50 waiting); a history day holds 300 finished tickets and is copied to 30 or 365 earlier dates (the date text in the
copy is replaced, so every file is a valid day of its own), with file times and the end-of-day
marker as a store running daily leaves them. Each measurement works on a fresh copy of a
template folder; the first operation of the day (end-of-day work) is measured apart and left
out of the per-issue figures.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.common import CONFIG_DIR, NOW

DAY = date.fromisoformat(NOW[:10])
TOPICS = ("kim", "kim", "kim", "ba", "vhs", "diakonie_work", "ukraine")  # A is the busiest
LANGS = ("de", "uk", "ar", "ru", "tr", "fa", "en")
CASES = ("empty", "300+0", "300+30", "300+365")
DAY_NS = 86400 * 10**9
ISSUE_AT = f"{DAY}T14:00"  # the built day ends about 13:45


def _store(data: Path, clock=None):
    """A Store on `data`; by default with a FixedClock at ISSUE_AT (after every stored event)."""
    from kiosk.core.clock import FixedClock, parse_local_time
    from kiosk.core.config import load_config
    from kiosk.core.store import Store

    config = load_config(CONFIG_DIR)
    clock = clock or FixedClock(parse_local_time(ISSUE_AT, config.site.timezone))
    return Store(data, config, clock), clock


def _finish(store, clock, numbers: list[str], offset: int = 0) -> None:
    for i, number in enumerate(numbers, start=offset):
        store.call("raum1", number)
        clock.advance(seconds=3)
        if i % 25 == 7:
            store.no_show("raum1", number)
        else:
            store.done("raum1", number)


def build_templates(root: Path) -> dict[str, Path]:
    """Template folders for CASES under `root` (takes some seconds).

    300 tickets on DAY from 12:31 on; 250 of them called and finished (every 25th a no-show)
    make "today"; the other 50 finished too make the history day.
    """
    from kiosk.core.clock import FixedClock, parse_local_time
    from kiosk.core.config import load_config

    config = load_config(CONFIG_DIR)
    clock = FixedClock(parse_local_time(f"{DAY}T12:31", config.site.timezone))
    source = root / "source"
    store, _ = _store(source, clock)
    numbers = []
    for i in range(300):
        numbers.append(store.issue(TOPICS[i % len(TOPICS)], LANGS[i % len(LANGS)]).ticket.number)
        clock.advance(seconds=5)
    _finish(store, clock, numbers[:250])
    today = root / "today-source"
    shutil.copytree(source, today)
    _finish(store, clock, numbers[250:], offset=250)
    history_text = (source / f"tickets-{DAY}.json").read_text()
    folders = {"empty": root / "empty"}
    folders["empty"].mkdir()
    for days in (0, 30, 365):
        folder = root / f"300+{days}"
        shutil.copytree(today, folder)
        now_ns = time.time_ns()
        for back in range(1, days + 1):
            other = DAY - timedelta(days=back)
            path = folder / f"tickets-{other}.json"
            path.write_text(history_text.replace(DAY.isoformat(), other.isoformat()))
            written = now_ns - back * DAY_NS + 4 * 3600 * 10**9  # that day's afternoon
            os.utime(path, ns=(written, written))
        # As left by yesterday's first operation: only days written since are looked at again.
        marker = {"day": (DAY - timedelta(days=1)).isoformat(), "at_ns": now_ns - DAY_NS}
        (folder / ".rollover.json").write_text(json.dumps(marker))
        shutil.rmtree(folder / "logs", ignore_errors=True)
        folders[f"300+{days}"] = folder
    return folders


def issue_times(template: Path, count: int, marker: bool = True) -> tuple[float, list[float]]:
    """On a fresh copy: the first operation of the day (end-of-day work), then `count` timed
    issues. Without `marker` the first operation looks at every day file (first start ever)."""
    work = Path(tempfile.mkdtemp(prefix="bench-issue-"))
    try:
        data = work / "data"
        shutil.copytree(template, data)
        # A copy of a year of history is ~50 MB of dirty pages; written back while the timed
        # issues run, it slows their fsyncs (a running kiosk has no such backlog).
        os.sync()
        if not marker:
            (data / ".rollover.json").unlink(missing_ok=True)
        store, clock = _store(data)
        start = time.perf_counter()
        store.snapshot()
        first = time.perf_counter() - start
        times = []
        for i in range(count):
            start = time.perf_counter()
            store.issue(TOPICS[i % len(TOPICS)], "de")
            times.append(time.perf_counter() - start)
            clock.advance(seconds=1)
        return first, times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def alternating_times(template: Path, count: int) -> list[float]:
    """On a fresh copy: two stores (as a kiosk and a second process) issue in turn, so every
    timed issue first finds the other's write (the day file parsed again, not reused)."""
    work = Path(tempfile.mkdtemp(prefix="bench-alt-"))
    try:
        data = work / "data"
        shutil.copytree(template, data)
        stores = [_store(data), _store(data)]
        for store, _clock in stores:
            store.snapshot()
            store.issue("kim", "de")  # each has read and written the day once
        times = []
        for i in range(count):
            store = stores[i % 2][0]
            start = time.perf_counter()
            store.issue(TOPICS[i % len(TOPICS)], "de")
            times.append(time.perf_counter() - start)
            for _, clock in stores:
                clock.advance(seconds=1)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _issuer(data: str, count: int, barrier, results) -> None:
    store, clock = _store(Path(data))
    store.snapshot()  # open the day before the race starts
    barrier.wait()
    start = time.monotonic()
    numbers = [store.issue("kim", "de").ticket.number for _ in range(count)]
    results.put((start, time.monotonic(), numbers))


def throughput(template: Path, processes: int, total: int) -> float:
    """Issues per second of `processes` processes issuing `total` tickets together; checks that
    every number is unique and stored."""
    work = Path(tempfile.mkdtemp(prefix="bench-race-"))
    try:
        data = work / "data"
        shutil.copytree(template, data)
        ctx = multiprocessing.get_context("spawn")
        barrier = ctx.Barrier(processes)
        results = ctx.Queue()
        each = total // processes
        workers = [
            ctx.Process(target=_issuer, args=(str(data), each, barrier, results))
            for _ in range(processes)
        ]
        for worker in workers:
            worker.start()
        rows = [results.get(timeout=300) for _ in workers]
        for worker in workers:
            worker.join()
        numbers = [n for row in rows for n in row[2]]
        if len(set(numbers)) != len(numbers):
            raise AssertionError("a number was handed out twice")
        store, _ = _store(data)
        stored = {t.number for t in store.snapshot().tickets}
        if not set(numbers) <= stored:
            raise AssertionError("an issued ticket is missing from the day file")
        elapsed = max(r[1] for r in rows) - min(r[0] for r in rows)
        return len(numbers) / elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(rounds: int, per_round: int, race_total: int) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="bench-templates-"))
    try:
        started = time.perf_counter()
        folders = build_templates(root)
        build_seconds = time.perf_counter() - started
        times: dict[str, list[float]] = {case: [] for case in CASES}
        first: dict[str, list[float]] = {case: [] for case in CASES}
        for _ in range(rounds):  # interleaved, so drift of the machine hits every case alike
            for case in CASES:
                f, t = issue_times(folders[case], per_round)
                first[case].append(f)
                times[case].extend(t)
        no_marker = [issue_times(folders["300+365"], 0, marker=False)[0] for _ in range(2)]
        alternating: dict[str, list[float]] = {"empty": [], "300+0": []}
        for _ in range(rounds):
            for case in alternating:
                alternating[case].extend(alternating_times(folders[case], per_round))
        single, contended = [], []
        for _ in range(2):
            single.append(throughput(folders["300+0"], 1, race_total))
            contended.append(throughput(folders["300+0"], 4, race_total))
        return {
            "times": times,
            "first": first,
            "first_no_marker": no_marker,
            "alternating": alternating,  # issue after another process's write
            "single": single,
            "contended": contended,
            "build_seconds": build_seconds,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    import statistics

    result = run(3, 10, 100)
    for case, values in result["times"].items():
        print(
            case,
            f"{statistics.median(values) * 1000:.2f} ms",
            f"first {statistics.median(result['first'][case]) * 1000:.0f} ms",
        )
    for case, values in result["alternating"].items():
        print(case, f"alternating with another process: {statistics.median(values) * 1000:.2f} ms")
    print(
        "single",
        result["single"],
        "contended",
        result["contended"],
        "build",
        result["build_seconds"],
    )
