"""Staff list refresh against the size of the day: 50, 300, 1000 and 3000 tickets a day.

A day is built on Monday 2026-11-30 from 12:30 to 14:30 (tickets spread evenly; the last 30
waiting, three called at three desks, the rest finished: every 25th a no-show, every 40th
cancelled) in one store operation, so building 3000 tickets takes a second, not minutes. The
staff app (desk raum1, 100x30, headless) shows it; its poll worker is stopped and each round
another Store on the same folder issues one ticket, then:

- read:    store.snapshot() (what the poll thread does when the change stamp moved)
- refresh: QueueScreen._deliver(snapshot) until the screen has refreshed after it (the table
           update, layout and the draw of the visible rows: what the UI thread does)
- of it _deliver: the handler alone (the part that grew with the day when every change
           cleared and refilled the table)
- visible: 0.35 s (the poll interval, the worst case) + read + refresh: the longest a new ticket
           takes to show after it was stored.

Run: python -m tests.benchmarks.staff_refresh [--repeat 7] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.benchmarks.common import CONFIG_DIR, NOW, SIZE

SERIES = (50, 300, 1000, 3000)
POLL_SECONDS = 0.35
START = f"{NOW[:10]}T12:30"
MEASURE_AT = f"{NOW[:10]}T14:50"
TOPICS = ("kim", "kim", "kim", "ba", "vhs", "diakonie_work", "ukraine")
LANGS = ("de", "uk", "ar", "ru", "tr", "fa", "en")
DESKS = ("raum1", "raum2", "tisch_ba")


def build_day(data: Path, count: int) -> None:
    """`count` tickets of one busy day, written through the store in one operation."""
    from kiosk.core.clock import FixedClock, parse_local_time
    from kiosk.core.config import load_config
    from kiosk.core.i18n import topic_label
    from kiosk.core.storage import atomic_write_json
    from kiosk.core.store import Store
    from kiosk.core.tickets import State, Ticket

    config = load_config(CONFIG_DIR)
    tz = config.site.timezone
    start = parse_local_time(START, tz)
    clock = FixedClock(parse_local_time(MEASURE_AT, tz) - timedelta(minutes=1))
    store = Store(data, config, clock)
    step = timedelta(seconds=7200 / count)
    seq: dict[str, int] = {}
    with store._op() as (day, _now):
        for i in range(count):
            topic = TOPICS[i % len(TOPICS)]
            letter = config.topic(topic).letter
            seq[letter] = seq.get(letter, 0) + 1
            issued = start + step * i
            ticket = Ticket(
                day=day.day,
                letter=letter,
                seq=seq[letter],
                topic=topic,
                topic_label=topic_label(config, "de", topic),
                lang=LANGS[i % len(LANGS)],
                state=State.WAITING,
                issued_at=issued,
            )
            left = count - i
            if left > 33:  # finished
                called = issued + timedelta(minutes=5)
                state = State.DONE
                if i % 25 == 7:
                    state = State.NO_SHOW
                elif i % 40 == 9:
                    state = State.CANCELLED
                ticket = ticket.evolve(
                    state=state,
                    called_at=called,
                    finished_at=called + timedelta(minutes=10),
                    desk=DESKS[i % len(DESKS)],
                )
            elif left > 30:  # called now, one at each desk
                ticket = ticket.evolve(
                    state=State.CALLED,
                    called_at=issued + timedelta(minutes=5),
                    desk=DESKS[left % 3],
                )
            day.insert(ticket, issued_topic=topic)
        day.meta["seq"] = seq
        day.save_meta()
    atomic_write_json(store.seq_path(day.day), seq)


async def _measure(data: Path, repeat: int) -> dict[str, list[float]]:
    from kiosk.core.clock import FixedClock, parse_local_time
    from kiosk.core.config import load_config
    from kiosk.core.store import Store
    from kiosk.ui.staff.app import make_staff_app

    config = load_config(CONFIG_DIR)
    clock = FixedClock(parse_local_time(MEASURE_AT, config.site.timezone))
    store = Store(data, config, clock)
    kiosk = Store(data, config, clock)  # "another process": the kiosk issuing
    app = make_staff_app(
        CONFIG_DIR, data, desk_id="raum1", clock=clock, config=config, store=store, watch=False
    )
    reads: list[float] = []
    refreshes: list[float] = []
    handler: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while type(app.screen).__name__ != "QueueScreen" or app.screen.refreshes == 0:
            await pilot.pause(0.05)
        screen = app.screen
        app.workers.cancel_group(screen, "staff-poll")
        screen.poke.wake(force=False)
        await pilot.pause(0.5)
        for _ in range(repeat + 1):  # the first round warms caches: left out
            number = kiosk.issue("kim", "de").ticket.number
            started = time.perf_counter()
            snapshot = store.snapshot()
            read = time.perf_counter()
            drawn: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            screen._deliver(snapshot)
            handled = time.perf_counter()
            # after the next refresh of the screen: the table's layout and the visible rows drawn
            app.call_after_refresh(lambda f=drawn: f.set_result(time.perf_counter()))
            done = await drawn
            table = screen.query_one("#tickets")
            table.get_row_index(number)  # raises if the new ticket is not in the list
            reads.append(read - started)
            handler.append(handled - read)
            refreshes.append(done - read)
    return {"read": reads[1:], "refresh": refreshes[1:], "handler": handler[1:]}


def run(repeat: int = 7, series: tuple[int, ...] = SERIES) -> dict[int, dict[str, float]]:
    results: dict[int, dict[str, float]] = {}
    root = Path(tempfile.mkdtemp(prefix="bench-staff-refresh-"))
    try:
        for count in series:
            data = root / str(count)
            build_day(data, count)
            times = asyncio.run(_measure(data, repeat))
            read = statistics.median(times["read"])
            refresh = statistics.median(times["refresh"])
            results[count] = {
                "read_ms": read * 1000,
                "refresh_ms": refresh * 1000,
                "refresh_max_ms": max(times["refresh"]) * 1000,
                "handler_ms": statistics.median(times["handler"]) * 1000,
                "visible_worst_ms": (POLL_SECONDS + read + refresh) * 1000,
            }
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = run(args.repeat)
    print(
        "tickets/day  read (median)  refresh (median, max)  of it _deliver  "
        "new ticket visible (worst)"
    )
    for count, r in results.items():
        print(
            f"{count:>11}  {r['read_ms']:>10.1f} ms  {r['refresh_ms']:>8.1f} ms"
            f" {r['refresh_max_ms']:>6.1f} ms  {r['handler_ms']:>10.1f} ms"
            f"  {r['visible_worst_ms']:>12.0f} ms"
        )
    base = results.get(300)
    top = results.get(3000)
    if base and top:
        print(f"refresh at 3000 / at 300: {top['refresh_ms'] / base['refresh_ms']:.1f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
