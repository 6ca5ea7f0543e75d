"""Tap-to-ticket in Textual's pilot (headless, 100x30), against a bare screen switch.

"Drawn" is taken from the app itself: `App._display` is what hands a compositor update to the
terminal driver (headless it renders the update and skips only the write). A wrapper records the
moment of the first update whose screen is the ticket screen with the ticket issued and both the
big number and the QR code (a code, not the "too small" message) on the compositor's map. The
clock starts right before the key is pressed. After each ticket the day file is read back to
check the ticket is on disk.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path

from textual.app import App
from textual.screen import Screen

from tests.benchmarks.common import NOW, SIZE, bench_config
from tests.benchmarks.minimal_app import BareScreen, MinimalApp

READING_SECONDS = 0.3
"""Time on the topic list before the tap: a quick visitor reading it (no one taps sooner)."""


class DrawWatch:
    """Wraps app._display; `wait(predicate)` returns the time of the first update after which
    predicate(screen) held."""

    def __init__(self, app: App):
        self.app = app
        self.predicate = None
        self.hit: float | None = None
        original = app._display

        def display(screen: Screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None and self.predicate is not None and self.hit is None:
                try:
                    ok = self.predicate(screen)
                except Exception:
                    ok = False
                if ok:
                    self.hit = time.perf_counter()

        app._display = display  # type: ignore[method-assign]

    def arm(self, predicate) -> None:
        self.hit = None
        self.predicate = predicate

    async def wait(self, timeout: float = 10.0) -> float:
        end = time.perf_counter() + timeout
        while self.hit is None:
            if time.perf_counter() > end:
                raise TimeoutError(f"not drawn within {timeout} s: {self.app.screen!r}")
            await asyncio.sleep(0.0005)
        self.predicate = None
        return self.hit


def visible(screen: Screen, selector: str) -> bool:
    try:
        widget = screen.query_one(selector)
    except Exception:
        return False
    region = screen._compositor.visible_widgets.get(widget)
    return region is not None and region[0].area > 0


async def measure_visitor(repeat: int) -> dict[str, list[float]]:
    from kiosk.core.clock import Clock
    from kiosk.ui.visitor import make_visitor_app
    from kiosk.ui.visitor.language import LanguageScreen
    from kiosk.ui.visitor.ticket import TicketScreen
    from kiosk.ui.visitor.topics import TopicScreen

    data = Path(tempfile.mkdtemp(prefix="bench-tap-"))
    app = make_visitor_app(
        bench_config(), data, clock=Clock.starting_at(NOW, "Europe/Berlin"), watch=False
    )
    ticket_times: list[float] = []
    topic_times: list[float] = []
    done_times: list[float] = []

    def ticket_drawn(screen: Screen) -> bool:
        if not isinstance(screen, TicketScreen) or screen.issued is None:
            return False
        if not (visible(screen, "#number") and visible(screen, "#qr")):
            return False
        return screen.query_one("#qr").matrix is not None

    def topics_drawn(screen: Screen) -> bool:
        return isinstance(screen, TopicScreen) and visible(screen, "#topic-kim")

    def language_drawn(screen: Screen) -> bool:
        return isinstance(screen, LanguageScreen) and visible(screen, "#lang-uk")

    async with app.run_test(size=SIZE) as pilot:
        watch = DrawWatch(app)
        watch.arm(language_drawn)
        await watch.wait()
        while app.availability is None:
            await asyncio.sleep(0.01)
        for _ in range(repeat):
            watch.arm(topics_drawn)
            start = time.perf_counter()
            await pilot.press("1")  # Deutsch
            topic_times.append(await watch.wait() - start)
            await pilot.pause(READING_SECONDS)
            watch.arm(ticket_drawn)
            start = time.perf_counter()
            await pilot.press("1")  # topic 1: Sprechstunde Integration, letter A
            ticket_times.append(await watch.wait() - start)
            number = app.screen.issued.ticket.number
            day_file = data / f"tickets-{NOW[:10]}.json"
            stored = json.loads(day_file.read_text())["tickets"].values()
            if not any(doc["number"] == number for doc in stored):
                raise AssertionError(f"{number} is on screen but not in {day_file}")
            await pilot.pause(0.05)
            watch.arm(language_drawn)
            start = time.perf_counter()
            await pilot.press("enter")  # "Fertig": back to the language screen
            done_times.append(await watch.wait() - start)
            await pilot.pause(0.05)
    return {"ticket": ticket_times, "topics": topic_times, "done": done_times}


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def measure_memory(checkpoints: tuple[int, ...]) -> dict[int, int]:
    """RSS of this process (Pilot and the kiosk app) after the given numbers of visitors.

    Each visit is language 1, topic 1, Done; the figures grow only with what the kiosk keeps.
    The day's own tickets are held nowhere in the app (the store reads them per operation).
    """
    import gc

    from kiosk.core.clock import Clock
    from kiosk.ui.visitor import make_visitor_app
    from kiosk.ui.visitor.language import LanguageScreen
    from kiosk.ui.visitor.ticket import TicketScreen
    from kiosk.ui.visitor.topics import TopicScreen

    data = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    app = make_visitor_app(
        bench_config(), data, clock=Clock.starting_at(NOW, "Europe/Berlin"), watch=False
    )
    result: dict[int, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        watch = DrawWatch(app)
        watch.arm(lambda s: isinstance(s, LanguageScreen) and visible(s, "#lang-uk"))
        await watch.wait()
        while app.availability is None:
            await asyncio.sleep(0.01)
        gc.collect()
        result[0] = rss_kib()
        for visit in range(1, max(checkpoints) + 1):
            watch.arm(lambda s: isinstance(s, TopicScreen) and visible(s, "#topic-kim"))
            await pilot.press("1")
            await watch.wait()
            watch.arm(lambda s: isinstance(s, TicketScreen) and s.issued is not None)
            await pilot.press("1")
            await watch.wait()
            watch.arm(lambda s: isinstance(s, LanguageScreen) and visible(s, "#lang-uk"))
            await pilot.press("enter")
            await watch.wait()
            if visit in checkpoints:
                await pilot.pause(0.05)
                gc.collect()
                result[visit] = rss_kib()
    return result


async def measure_bare(repeat: int) -> list[float]:
    app = MinimalApp()
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        watch = DrawWatch(app)
        for _ in range(repeat):
            await pilot.pause(0.05)
            watch.arm(lambda screen: isinstance(screen, BareScreen) and visible(screen, "Static"))
            start = time.perf_counter()
            await pilot.press("1")
            times.append(await watch.wait() - start)
            await pilot.press("2")
    return times


def run(repeat: int) -> dict[str, list[float]]:
    # Alternate, so drift of the machine hits both sides alike.
    bare = asyncio.run(measure_bare(repeat))
    visitor = asyncio.run(measure_visitor(repeat))
    bare += asyncio.run(measure_bare(repeat))
    return {"bare": bare, **visitor}


def memory(checkpoints: tuple[int, ...] = (50, 500)) -> dict[int, int]:
    return asyncio.run(measure_memory(checkpoints))


if __name__ == "__main__":
    import statistics

    result = run(10)
    for key, values in result.items():
        print(
            key, f"{statistics.median(values) * 1000:.1f} ms", [round(v * 1000, 1) for v in values]
        )
