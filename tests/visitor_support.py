"""Test helpers for the visitor kiosk: the app on the shipped config with a fixed clock, and
reading what the screen shows cell by cell."""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.core.clock import FixedClock
from kiosk.core.config import Config, load_config
from kiosk.ui.visitor import VisitorApp, make_visitor_app

SHIPPED = Path(__file__).resolve().parent.parent / "config"
BERLIN = ZoneInfo("Europe/Berlin")

MONDAY_OPEN = "2026-11-30T13:00"  # Monday: Sprechstunde 12:30-16:30 open, JSL closed
SUNDAY = "2026-11-29T11:00"  # nothing open, hotline closed
SIZES = [(80, 24), (100, 30), (120, 40), (160, 50)]


@lru_cache(maxsize=1)
def shipped_config() -> Config:
    return load_config(SHIPPED)


def clock_at(text: str) -> FixedClock:
    return FixedClock(datetime.fromisoformat(text).replace(tzinfo=BERLIN))


def make_app(
    tmp_path: Path, when: str = MONDAY_OPEN, config: Config | None = None, store=None, **kw
) -> VisitorApp:
    return make_visitor_app(
        SHIPPED,
        tmp_path / "data",
        clock=clock_at(when),
        config=config or shipped_config(),
        store=store,
        watch=kw.pop("watch", False),
        **kw,
    )


def screen_lines(app: VisitorApp) -> list[str]:
    """The characters in the terminal cells, one string per row (what a terminal would show)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def region_rows(app: VisitorApp, region) -> list[str]:
    """The characters of the cells in `region`, one string per row; cut by cells, not by
    characters (combining marks take no cell)."""
    strips = app.screen._compositor.render_strips()
    return [
        "".join(segment.text for segment in strips[y].crop(region.x, region.right))
        for y in range(region.y, min(region.bottom, len(strips)))
    ]


def screen_text(app: VisitorApp) -> str:
    return "\n".join(screen_lines(app))


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (workers and screens settle)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)
    await pilot.pause()


async def ready(pilot) -> None:
    """Started: the language screen is up and availability was read once."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == "LanguageScreen" and app.availability_rounds > 0,
    )


def lang_digit(code: str) -> str:
    return str(shipped_config().site.languages.index(code) + 1)


def topic_digit(topic_id: str) -> str:
    return str([t.id for t in shipped_config().topics].index(topic_id) + 1)


async def to_topics(pilot, lang: str) -> None:
    await ready(pilot)
    await pilot.press(lang_digit(lang))
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "TopicScreen")


async def to_ticket(pilot, lang: str, topic: str = "kim") -> None:
    await to_topics(pilot, lang)
    await pilot.press(topic_digit(topic))
    await wait_for(
        pilot,
        lambda: (
            type(pilot.app.screen).__name__ == "TicketScreen"
            and (pilot.app.screen.issued is not None or pilot.app.screen.failure is not None)
        ),
    )
    # The ticket's widgets are mounted after the worker's result: let layout finish.
    await pilot.pause(0.05)


async def unlock_ticket(pilot) -> None:
    """Let the ticket screen's leave-lock time pass (its timer would end it after
    site.timeouts.ticket_lock_seconds): Done turns active."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "leave_locked", False))
    pilot.app.screen.unlock_leaving()
    await pilot.pause()


class SlowStore:
    """Wraps a store; issue() takes `delay` seconds (a slow disk), counting calls."""

    def __init__(self, store, delay: float = 0.3):
        self._store = store
        self.delay = delay
        self.issue_calls = 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    def issue(self, topic_id, lang):
        self.issue_calls += 1
        time.sleep(self.delay)
        return self._store.issue(topic_id, lang)


class FailingStore:
    """Wraps a store; issue() raises `error` (disk full, read-only, a bug)."""

    def __init__(self, store, error: Exception):
        self._store = store
        self.error = error

    def __getattr__(self, name):
        return getattr(self._store, name)

    def issue(self, topic_id, lang):
        raise self.error
