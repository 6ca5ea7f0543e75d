"""Staff printer warning (issue 18): shown while the kiosk's last print failed, until one
succeeds; nothing without a [printer] in the config."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.config import Printer
from kiosk.core.printer import PrinterState, write_state
from tests.staff_support import (
    make_store,
    queue_ready,
    screen_text,
    shipped_config,
    staff_app,
    wait_for,
)


def with_printer(config):
    printer = Printer(kind="network", address="127.0.0.1:8796")
    return replace(config, site=replace(config.site, printer=printer))


async def test_warning_until_a_print_succeeds_again(tmp_path):
    store = make_store(tmp_path, config=with_printer(shipped_config()))
    store.issue("kim", "de")
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        assert "Drucker" not in screen_text(app)
        write_state(store.data_dir, PrinterState(False, "out of paper", "2026-11-30T13:01"))
        await wait_for(pilot, lambda: "Drucker: out of paper" in screen_text(app))
        # A later failure replaces the reason; the warning stays.
        write_state(store.data_dir, PrinterState(False, "offline", "2026-11-30T13:02"))
        await wait_for(pilot, lambda: "Drucker: offline" in screen_text(app))
        write_state(store.data_dir, PrinterState(True, "", "2026-11-30T13:03"))
        await wait_for(pilot, lambda: "Drucker" not in screen_text(app))


async def test_no_printer_configured_no_warning_from_an_old_file(tmp_path):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    write_state(store.data_dir, PrinterState(False, "out of paper", "2026-11-29T13:01"))
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        await pilot.pause(0.3)
        assert "Drucker" not in screen_text(app)
        assert "printer" not in app.warnings
