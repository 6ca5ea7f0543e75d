"""Store timing: the median cost of one issue with a day of 300 tickets, with and without a year
of day files in the folder, and in an empty folder. Printed (run with -s to see), never
asserted; one quick run on a shared machine is noisy: tests/benchmarks/store_cost.py
interleaves rounds and gives the figures."""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from kiosk.core.storage import encode
from kiosk.core.store import ticket_doc
from kiosk.core.tickets import State, Ticket
from tests.store_factory import at, make_config, make_store

DAY = date(2026, 11, 30)


def write_history(data_dir, days: int, per_day: int = 300) -> None:
    """Day files as the store writes them, for `days` days before DAY (finished tickets)."""
    for back in range(1, days + 1):
        day = DAY - timedelta(days=back)
        start = at(f"{day.isoformat()} 12:30")
        docs = {}
        for i in range(per_day):
            issued = start + timedelta(minutes=i)
            ticket = Ticket(
                day,
                "K",
                i + 1,
                "kim",
                "Sprechstunde Integration",
                "de",
                State.DONE,
                issued,
                issued + timedelta(minutes=20),
                issued + timedelta(minutes=35),
                "d1",
            )
            docs[str(i + 1)] = ticket_doc(ticket, issued_topic="kim")
        path = data_dir / f"tickets-{day.isoformat()}.json"
        path.write_bytes(encode({"meta": {"1": {"seq": {"K": per_day}}}, "tickets": docs}))


def measure(data_dir, history_days: int, today: int = 300) -> tuple[float, float, float, float]:
    data_dir.mkdir()
    write_history(data_dir, history_days)
    store = make_store(data_dir, "2026-11-30 08:00", config=make_config(retention_days=400))
    started = time.perf_counter()
    store.snapshot()  # first touch of the day: end-of-day pass over the history
    first_touch = time.perf_counter() - started
    for _ in range(today):
        store.issue("jsl", "de")
        store.clock.advance(seconds=5)
    costs = []
    for _ in range(30):
        started = time.perf_counter()
        store.issue("kim", "de")
        costs.append(time.perf_counter() - started)
        store.clock.advance(seconds=5)
    store.clock.set(at("2026-12-01 08:00"))
    started = time.perf_counter()
    store.snapshot()  # the next day: only files written since the last pass are looked at
    next_touch = time.perf_counter() - started
    return statistics.median(costs), max(costs), first_touch, next_touch


def test_issue_cost_with_300_tickets_with_and_without_a_year_of_history(tmp_path):
    empty = measure(tmp_path / "empty", 0, today=0)
    bare = measure(tmp_path / "bare", 0)
    year = measure(tmp_path / "year", 365)
    print(
        f"\nissue in an empty folder: median {empty[0] * 1000:.1f} ms; with 300 tickets today: "
        f"median {bare[0] * 1000:.1f} ms (max {bare[1] * 1000:.1f}, ratio "
        f"{bare[0] / empty[0]:.2f}) without history; "
        f"median {year[0] * 1000:.1f} ms (max {year[1] * 1000:.1f}, ratio "
        f"{year[0] / empty[0]:.2f}) with 365 day files "
        f"(first touch of a day: {year[2] * 1000:.0f} ms in a folder never passed over, "
        f"{year[3] * 1000:.0f} ms on the next day)"
    )
    assert len(list((tmp_path / "year").glob("tickets-*.json"))) == 366
