"""The visitor kiosk with a printer (issue 18): the Print button and printing every ticket, off
the UI thread; a failing or slow printer never costs a ticket, never prints twice, and never
shows one visitor's print outcome to the next."""

from __future__ import annotations

import threading
from dataclasses import replace

import zxingcpp
from textual.widgets import Button

from kiosk.core.config import Printer
from kiosk.core.i18n import text
from kiosk.core.printer import read_state
from tests.escpos_raster import parse_job, split_jobs
from tests.visitor_support import (
    make_app,
    screen_text,
    shipped_config,
    to_ticket,
    unlock_ticket,
    wait_for,
)


def config_with(printer: Printer):
    config = shipped_config()
    return replace(config, site=replace(config.site, printer=printer))


def decoded(job: bytes) -> list[str]:
    image, _ = parse_job(job)
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]


async def test_print_button_prints_the_ticket_once(tmp_path):
    out = tmp_path / "printed.bin"
    config = config_with(Printer(kind="file", path=str(out)))
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "uk")
        screen = app.screen
        button = screen.query_one("#print", Button)
        assert button.region.height == 3 and button.region in screen.region  # on screen
        # Printing does not leave the screen: it works while the leave-lock greys Done.
        assert screen.leave_locked and screen.query_one("#done", Button).disabled
        await pilot.click("#print")
        control = screen.query_one("#print-control")
        printed = text(config, "uk", "visitor", "printed")
        await wait_for(pilot, lambda: control.query_one("#print-status").text == printed)
        # A second request for the same ticket (a tap on a stale button, a recompose) does
        # not print again.
        assert app.printing.request(screen.issued, "uk", lambda *_: None).finished.is_set()
        await pilot.pause(0.2)
        jobs = split_jobs(out.read_bytes())
        assert len(jobs) == 1
        (note,) = decoded(jobs[0])
        assert "A-001" in note and config.languages["uk"].visitor["hotline"] in note
        assert read_state(tmp_path / "data").ok


async def test_every_ticket_printed_and_a_dead_printer_tells_the_visitor(tmp_path):
    # Nothing listens on this port (h18's range): the connection is refused.
    config = config_with(Printer(kind="network", address="127.0.0.1:8794", mode="every"))
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "fa")
        screen = app.screen
        assert not screen.query("#print")  # mode "every": no button, printing started
        control = screen.query_one("#print-control")
        failed = text(config, "fa", "visitor", "print_failed")
        await wait_for(pilot, lambda: control.query_one("#print-status").text == failed)
        assert control.problem and "refused" in control.problem
        assert control.query_one("#print-status").has_class("-failed")
        # The ticket is issued, shown and counted all the same.
        assert screen.query_one("#number").number == "A-001"
        assert [t.number for t in app.store.snapshot().tickets] == ["A-001"]
        state = read_state(tmp_path / "data")
        assert state is not None and not state.ok


async def test_slow_printer_never_holds_the_kiosk_and_its_outcome_goes_to_nobody_else(tmp_path):
    out = tmp_path / "printed.bin"
    config = config_with(Printer(kind="file", path=str(out), mode="every"))
    app = make_app(tmp_path, config=config)
    release = threading.Event()
    sent: list[bytes] = []

    def slow(printer, data):
        release.wait(10)
        sent.append(data)

    app.printing.sender = slow
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await to_ticket(pilot, "de")
            printing = text(config, "de", "visitor", "printing")
            assert app.screen.query_one("#print-status").text == printing
            # The printer hangs on the first visitor's ticket; the visitor finishes, and the
            # next one takes a ticket and leaves before the printer is free.
            await unlock_ticket(pilot)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
            await to_ticket(pilot, "ar")
            assert app.screen.query_one("#number").number == "A-002"
            await unlock_ticket(pilot)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
            await to_ticket(pilot, "uk")
            third = app.screen
            assert third.query_one("#print-status").text == text(
                config, "uk", "visitor", "printing"
            )
            release.set()
            done = text(config, "uk", "visitor", "printed")
            await wait_for(pilot, lambda: third.query_one("#print-status").text == done)
            # The first ticket was already printing and came out; the second one's visitor
            # had gone, so it was dropped rather than handed to the third visitor.
            assert len(sent) == 2
            assert read_state(tmp_path / "data").ok  # a dropped job is no printer fault
            # No other visitor's outcome on the third visitor's screen.
            assert text(config, "de", "visitor", "printed") not in screen_text(app)
            numbers = [t.number for t in app.store.snapshot().tickets]
            assert numbers == ["A-001", "A-002", "A-003"]
    finally:
        release.set()


async def test_closing_the_kiosk_does_not_wait_for_a_hung_printer(tmp_path):
    config = config_with(Printer(kind="file", path=str(tmp_path / "p.bin"), mode="every"))
    app = make_app(tmp_path, config=config)
    release = threading.Event()
    started = threading.Event()

    def hung(printer, data):
        started.set()
        release.wait(30)

    app.printing.sender = hung
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await to_ticket(pilot, "tr")
            await wait_for(pilot, lambda: started.is_set())
            app.exit()
        # Reaching this line means the app ended while the print thread still hangs (it is a
        # daemon thread and closing drops the queue without joining it).
        assert started.is_set() and not release.is_set()
        assert [t.number for t in app.store.snapshot().tickets] == ["A-001"]
    finally:
        release.set()


def test_a_changed_printer_section_takes_effect_for_the_next_ticket(tmp_path):
    """Config hot reload: the kiosk's print queue follows [printer] (changed, removed)."""
    from types import SimpleNamespace

    from kiosk.core.hours import Hours
    from kiosk.core.store import Store
    from kiosk.ui.visitor.printing import VisitorPrinting
    from tests.visitor_support import clock_at

    first, second = tmp_path / "first.bin", tmp_path / "second.bin"
    config = config_with(Printer(kind="file", path=str(first)))
    clock = clock_at("2026-11-30T13:00")
    store = Store(tmp_path / "data", config, clock)
    app = SimpleNamespace(
        config=config,
        hours=Hours(config),
        store=store,
        now=clock.now,
        call_from_thread=lambda callback, *args: callback(*args),
    )
    printing = VisitorPrinting(app)
    job = printing.request(store.issue("kim", "de"), "de", lambda *_: None)
    assert job.finished.wait(10) and job.problem is None
    app.config = config_with(Printer(kind="file", path=str(second), paper_width=58))
    job = printing.request(store.issue("kim", "de"), "de", lambda *_: None)
    assert job.finished.wait(10) and job.problem is None
    assert len(split_jobs(first.read_bytes())) == 1
    (image, _) = parse_job(second.read_bytes())
    assert image.width == 384
    app.config = shipped_config()
    assert printing.mode is None
    assert printing.request(store.issue("kim", "de"), "de", lambda *_: None) is None
    printing.close()
