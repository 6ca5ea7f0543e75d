"""Visitor kiosk edge cases: closed, storage failure, double tap, idle reset, admin exit."""

from __future__ import annotations

import pytest

from kiosk.core.errors import StorageUnavailable
from kiosk.core.i18n import localized, text
from kiosk.core.store import Store
from tests.visitor_support import (
    MONDAY_OPEN,
    SUNDAY,
    FailingStore,
    SlowStore,
    clock_at,
    lang_digit,
    make_app,
    ready,
    screen_text,
    shipped_config,
    to_ticket,
    to_topics,
    wait_for,
)


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_closed_screen_when_nothing_issues(tmp_path, lang):
    config = shipped_config()
    app = make_app(tmp_path, when=SUNDAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.screen.query_one("#status-symbols").render().plain.startswith("○")
        await pilot.press(lang_digit(lang))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        screen = app.screen
        # Regression (issue 12, finding 6): a Sunday said "no more advice today".
        assert screen.query_one("#closed-heading").text == text(
            config, lang, "visitor", "closed_all_day"
        )
        assert screen.query_one("#next-opening").text.startswith(
            text(config, lang, "visitor", "next_opening", when="")[:3]
        )
        assert "0214/406-3333" in screen.query_one("#hotline").text
        assert screen.query_one("#hotline-now").text.startswith(
            "○ " + text(config, lang, "visitor", "hotline_not_reachable_now")
        )
        urgent = [label.text for label in screen.query(".urgent")]
        assert urgent[0] == f"112: {localized(config.site.urgent[0].labels, lang)}"
        assert "112" in screen_text(app)
        assert app.store.snapshot().tickets == ()
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")


@pytest.mark.parametrize(
    "error",
    [StorageUnavailable("disk full"), OSError(28, "No space left on device"), RuntimeError("bug")],
)
async def test_storage_failure_asks_for_staff_and_kiosk_stays_up(tmp_path, error):
    config = shipped_config()
    base = Store(tmp_path / "data", config, clock_at("2026-11-30T13:00"))
    app = make_app(tmp_path, store=FailingStore(base, error))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "uk", "kim")
        assert app.screen.failure == text(config, "uk", "visitor", "storage_error")
        assert app.is_running
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert not app.issuing


async def test_second_tap_while_issuing_makes_no_second_ticket(tmp_path):
    config = shipped_config()
    slow = SlowStore(Store(tmp_path / "data", config, clock_at("2026-11-30T13:00")), delay=0.4)
    app = make_app(tmp_path, store=slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "de")
        topics = app.screen
        await pilot.press("1", "1", "5", "enter")
        topics.query_one("#topic-kim").select()  # a tap that reached the covered screen
        app.request_ticket("ba")  # and one straight at the app
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        await pilot.press("1", "enter")  # Enter on Done ends the visit, no new ticket
        await pilot.pause(0.5)
        assert slow.issue_calls == 1
        assert len(app.store.snapshot().tickets) == 1


async def test_double_click_makes_one_ticket(tmp_path):
    config = shipped_config()
    slow = SlowStore(Store(tmp_path / "data", config, clock_at("2026-11-30T13:00")), delay=0.4)
    app = make_app(tmp_path, store=slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "en")
        await pilot.double_click("#topic-kim")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert slow.issue_calls == 1


async def test_issuing_does_not_block_the_ui(tmp_path):
    config = shipped_config()
    slow = SlowStore(Store(tmp_path / "data", config, clock_at("2026-11-30T13:00")), delay=0.6)
    app = make_app(tmp_path, store=slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "de")
        await pilot.press("1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TicketScreen")
        # While the store works the screen says so (the event loop is free to draw it).
        assert app.screen.issued is None
        assert app.screen.query_one("#issuing").text == text(config, "de", "visitor", "issuing")
        await wait_for(pilot, lambda: app.screen.issued is not None)


async def test_a_fast_ticket_is_drawn_without_an_issuing_flash(tmp_path):
    app = make_app(tmp_path)
    pushed: list[tuple[str, bool]] = []
    push_screen = app.push_screen

    def recording_push(screen, *args, **kwargs):
        pushed.append((type(screen).__name__, getattr(screen, "issued", None) is not None))
        return push_screen(screen, *args, **kwargs)

    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        app.push_screen = recording_push
        await pilot.press("1")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert not app.screen.query("#issuing")
        assert app.screen.query_one("#number")
    # The screen went up once, already holding the ticket: no "issuing" frame before it.
    assert pushed == [("TicketScreen", True)]


async def test_escape_while_the_ticket_is_being_issued_still_shows_the_ticket(tmp_path):
    # The ticket exists a moment after the tap: going back then would hide a number the
    # visitor never saw (and that staff would call in vain).
    config = shipped_config()
    slow = SlowStore(Store(tmp_path / "data", config, clock_at("2026-11-30T13:00")), delay=0.15)
    app = make_app(tmp_path, store=slow)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        await pilot.press("1")
        await pilot.press("escape")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert type(app.screen).__name__ == "TicketScreen"
        assert len(app.store.snapshot().tickets) == 1


@pytest.mark.parametrize("where", ["topics", "ticket", "closed"])
async def test_idle_timeout_starts_over_and_forgets_the_visitor(tmp_path, where):
    app = make_app(tmp_path, when=SUNDAY if where == "closed" else "2026-11-30T13:00")
    async with app.run_test(size=(120, 40)) as pilot:
        if where == "ticket":
            await to_ticket(pilot, "ar", "kim")
            limit = app.config.site.timeouts.ticket_seconds
        else:
            await ready(pilot)
            await pilot.press(lang_digit("ar"))
            await pilot.pause(0.1)
            limit = app.config.site.timeouts.idle_seconds
        before = type(app.screen)
        # The last input counts from `start`: on a loaded machine the real time between the key
        # press and this line can exceed the one second of margin below (the test flaked so).
        start = app.monotonic()
        app._last_input = start
        app.monotonic = lambda: start + limit - 1
        app.check_visitor_idle()
        await pilot.pause(0.05)
        # not yet: the screen is still there, under the "Need more time?" prompt
        assert type(app.screen_stack[-2]) is before
        assert type(app.screen).__name__ == "MoreTimeScreen"
        app.monotonic = lambda: start + limit + 1
        app.check_visitor_idle()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert app.lang is None
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "LanguageScreen"]
        shown = screen_text(app)
        assert "A-001" not in shown


async def test_input_resets_the_idle_time(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await to_topics(pilot, "de")
        now = [1000.0]
        app.monotonic = lambda: now[0]
        await pilot.press("down")  # a touch/key at t=1000
        now[0] = 1000.0 + app.config.site.timeouts.idle_seconds - 1
        app.check_visitor_idle()
        await pilot.pause(0.05)
        assert type(app.screen_stack[-2]).__name__ == "TopicScreen"  # asked, not ended


async def test_closed_screen_marks_a_reachable_hotline(tmp_path):
    # Monday 12:00: the Sprechstunde opens at 12:30, the hotline (8-16) answers now.
    config = shipped_config()
    app = make_app(tmp_path, when="2026-11-30T12:00")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(lang_digit("fa"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        now = app.screen.query_one("#hotline-now")
        assert now.text == "● " + text(config, "fa", "visitor", "hotline_reachable_now")
        assert now.has_class("-yes")


def test_idle_check_without_screens_does_not_raise(tmp_path):
    # Regression: the idle timer read app.screen while the app shut down (empty screen stack)
    # and raised ScreenStackError, printing a traceback at SIGTERM.
    app = make_app(tmp_path)
    assert app.screen_stack == []
    assert app.idle_limit() is None
    app.check_visitor_idle()


@pytest.mark.parametrize(("when", "open_now"), [(MONDAY_OPEN, True), (SUNDAY, False)])
async def test_the_start_screen_marks_open_and_right_to_left_from_its_first_frame(
    tmp_path, when, open_now
):
    # The classes are given when the widgets are made (restyling them after cost the first
    # frame about 1 ms): the open mark is green exactly while numbers are given out, and the
    # Arabic and Farsi cards are right to left.
    app = make_app(tmp_path, when=when)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.query_one("#status-symbols").has_class("-open") is open_now
        assert app.site_status().open_now is open_now
        rtl = {c.id for c in screen.query(".language") if c.has_class("-rtl")}
        assert rtl == {"lang-ar", "lang-fa"}
