"""Test helpers for the staff app and the public display: the shipped config, a fixed clock, a
store on tmp_path shared with the test, and reading the screen cell by cell."""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.audio.speech import Speaker
from kiosk.core.clock import FixedClock
from kiosk.core.config import Config, load_config
from kiosk.core.store import Store
from kiosk.ui.display.app import DisplayApp, make_display_app
from kiosk.ui.staff.app import StaffApp, make_staff_app

SHIPPED = Path(__file__).resolve().parent.parent / "config"
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_OPEN = "2026-11-30T13:00"  # Monday: Sprechstunde (kim, ba, vhs, ...) open, JSL closed


@lru_cache(maxsize=1)
def shipped_config() -> Config:
    return load_config(SHIPPED)


def clock_at(text: str = MONDAY_OPEN) -> FixedClock:
    return FixedClock(datetime.fromisoformat(text).replace(tzinfo=BERLIN))


def make_store(tmp_path: Path, clock: FixedClock | None = None, config: Config | None = None):
    return Store(tmp_path / "data", config or shipped_config(), clock or clock_at())


def staff_app(store: Store, desk: str | None = "raum1", lang: str | None = None) -> StaffApp:
    return make_staff_app(
        SHIPPED,
        store.data_dir,
        desk_id=desk,
        clock=store.clock,
        config=store.config,
        store=store,
        lang=lang,
        watch=False,
    )


def display_app(store: Store, speaker: Speaker | None = None) -> DisplayApp:
    """The display; calls are spoken by `speaker` (default: logged only, no engine, no sound)."""
    return make_display_app(
        SHIPPED,
        store.data_dir,
        clock=store.clock,
        config=store.config,
        store=store,
        watch=False,
        speaker=speaker or Speaker(engine=None),
    )


def screen_lines(app) -> list[str]:
    """The characters in the terminal cells, one string per row (what a terminal would show)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (workers and screens settle)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)
    await pilot.pause()


async def queue_ready(pilot):
    """The queue screen is up and has shown the store once; returns the screen."""
    app = pilot.app
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == "QueueScreen" and app.screen.refreshes > 0
    )
    return app.screen


async def settle(pilot, screen) -> None:
    """Wait until the last action finished and its result was read back from the store."""
    await wait_for(pilot, lambda: not screen.busy)
    seen = screen.refreshes
    screen.poke.wake()
    await wait_for(pilot, lambda: screen.refreshes > seen)


def state_of(store: Store, number: str):
    return next(t for t in store.snapshot().tickets if t.number == number)
