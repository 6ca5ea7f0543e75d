"""Staff app and display follow the store by themselves: another process writes, no key is pressed."""

from __future__ import annotations

import subprocess
import sys
import time

from textual.widgets import DataTable

from kiosk.core.tickets import State
from tests.staff_support import (
    MONDAY_OPEN,
    SHIPPED,
    display_app,
    make_store,
    queue_ready,
    screen_text,
    staff_app,
    wait_for,
)


def kiosk_issue(store, topic: str, lang: str) -> str:
    """`kiosk issue` in a separate process (its own Store, its own file lock)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "issue",
            "--topic",
            topic,
            "--lang",
            lang,
            "--json",
            "--config",
            str(SHIPPED),
            "--data",
            str(store.data_dir),
            "--now",
            MONDAY_OPEN,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    import json

    return json.loads(result.stdout)["number"]


async def test_ticket_from_another_process_appears_without_a_key(tmp_path):
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 0
        number = kiosk_issue(store, "kim", "uk")
        started = time.monotonic()
        await wait_for(pilot, lambda: table.row_count == 1, timeout=5.0)
        print(
            f"ticket {number} shown {time.monotonic() - started:.2f}s after the issuing process ended"
        )
        assert number in screen_text(app)
        assert "Ukrainisch" in screen_text(app)


async def test_another_desks_call_shows_on_the_display_without_a_key(tmp_path):
    store = make_store(tmp_path)
    number = store.issue("kim", "de").ticket.number
    app = display_app(store)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes > 0)
        assert app.screen.calls == []
        # a staff process elsewhere calls the ticket
        other = make_store(tmp_path, clock=store.clock)
        other.call("raum2", number)
        await wait_for(pilot, lambda: app.screen.calls and app.screen.calls[0].number == number)
        assert app.screen.calls[0].state == State.CALLED
