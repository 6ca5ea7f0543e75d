"""What the speed work relies on: collections between visitors, codes prepared ahead.

The figures are in tests/benchmarks (tap.py); these tests pin the behaviour the speed-up must
keep: nothing of a visit stays alive after it, and a prepared code never shows a number
other than the ticket's own.
"""

from __future__ import annotations

import gc
import weakref
from dataclasses import replace

from kiosk.core import qr
from kiosk.core.store import Store
from kiosk.ui.visitor.app import COLLECT_AFTER_VISIT_SECONDS
from tests.visitor_support import (
    clock_at,
    make_app,
    shipped_config,
    to_ticket,
    to_topics,
    wait_for,
)


def without_ticket_lock():
    """The shipped config with the ticket screen's leave-lock off (visits back to back). The
    lock's timer would keep each ticket screen referenced from the event loop until its time
    (5 s) is up, even when the screen has gone: how many visits fit into those seconds depends
    on the machine's speed, not on the collections this test is about."""
    base = shipped_config()
    timeouts = replace(base.site.timeouts, ticket_lock_seconds=0)
    return replace(base, site=replace(base.site, timeouts=timeouts))


async def test_finished_visits_are_freed_with_automatic_collection_off(tmp_path):
    app = make_app(tmp_path, config=without_ticket_lock())
    visits = []
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(6):
            await to_ticket(pilot, "de")
            visits.append(weakref.ref(app.screen))
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
            await pilot.pause(COLLECT_AFTER_VISIT_SECONDS + 0.2)
            assert not gc.isenabled()  # settled after the warm-up: the kiosk collects itself
        # Ticket screens are cycles of widgets: only a collection frees them. With the
        # kiosk's own collections between visits, what is left of earlier visits stays
        # bounded (the newest few may still be held by their closing messages and
        # timers for a moment); without them every visit's screens would stay.
        alive = [ref() is not None for ref in visits]
        assert not any(alive[:-3]), alive
    assert gc.isenabled()  # the app gave automatic collection back at exit


async def test_the_code_of_the_next_ticket_is_ready_before_the_tap(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        await wait_for(pilot, lambda: app._codes_warmed_for is not None)
        before = qr._matrix.cache_info()
        await to_ticket_from_topics(pilot)
        after = qr._matrix.cache_info()
        assert app.screen.issued.ticket.number == "A-001"
        assert after.misses == before.misses  # the tap encoded nothing
        assert "A-001" in app.screen.query_one("#qr").note


async def test_a_wrong_guess_still_shows_the_tickets_own_number(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        await wait_for(pilot, lambda: app._codes_warmed_for is not None)
        # Another kiosk takes A-001 after the codes were prepared for it.
        other = Store(tmp_path / "data", shipped_config(), clock_at("2026-11-30T13:00"))
        assert other.issue("kim", "de").ticket.number == "A-001"
        await to_ticket_from_topics(pilot)
        assert app.screen.issued.ticket.number == "A-002"
        note = app.screen.query_one("#qr").note
        assert "A-002" in note and "A-001" not in note


async def to_ticket_from_topics(pilot) -> None:
    await pilot.press("1")
    await wait_for(
        pilot,
        lambda: (
            type(pilot.app.screen).__name__ == "TicketScreen"
            and pilot.app.screen.issued is not None
        ),
    )
    await pilot.pause(0.05)
