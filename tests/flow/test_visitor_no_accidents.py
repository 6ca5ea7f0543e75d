"""Issue 12, findings 1 and 2: no ticket nobody chose, no ticket nobody saw.

Regressions: the topic screen opened with the first issuing topic focused, so the language
digit then Enter (or Space) issued a ticket for it (Tuesday 13:30: `1`, `1` on the closed KIM,
Enter -> B-001 for JSL); Done had the focus on the ticket screen, so an Enter a moment after the
topic digit closed a ticket that was stored and would be called, unread.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.core.i18n import text, topic_label
from tests.visitor_support import (
    MONDAY_OPEN,
    make_app,
    screen_text,
    shipped_config,
    to_ticket,
    to_topics,
    unlock_ticket,
    wait_for,
)

TUESDAY = "2026-12-01T13:30"  # KIM closed (next: Wednesday 12:30), JOB Service issues


def with_lock(seconds: int):
    base = shipped_config()
    timeouts = replace(base.site.timeouts, ticket_lock_seconds=seconds)
    return replace(base, site=replace(base.site, timeouts=timeouts))


@pytest.mark.parametrize("confirm", ["enter", "space"])
async def test_enter_on_the_topic_screen_confirms_nothing_unchosen(tmp_path, confirm):
    app = make_app(tmp_path, when=TUESDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        assert app.focused is None
        await pilot.press("1", confirm, confirm)  # KIM is closed today; then "to be sure"
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "TopicScreen"
        assert app.store.snapshot().tickets == ()
        # What the visitor moved to with the arrows is confirmed by the same key.
        await pilot.press("down", confirm)  # the first topic that issues: JOB Service B
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert [t.topic for t in app.store.snapshot().tickets] == ["jsl_language"]


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_digit_or_tap_on_a_closed_topic_says_when_it_issues(tmp_path, lang):
    config = shipped_config()
    app = make_app(tmp_path, when=TUESDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        hint = app.screen.query_one("#touch-hint")
        await pilot.press("1")
        await pilot.pause(0.05)
        when = app.when(app.topic_state("kim").next_issue_at, lang)
        expected = text(config, lang, "visitor", "opens_at", when=when)
        assert topic_label(config, lang, "kim") in hint.text and expected in hint.text
        assert hint.region.height > 0  # on screen, at 24 rows too
        assert "12:30" in screen_text(app)
        assert type(app.screen).__name__ == "TopicScreen"
        await pilot.click("#touch-hint")  # elsewhere: nothing happens
        await pilot.click("#topic-kim")
        await pilot.pause(0.05)
        assert expected in app.screen.query_one("#touch-hint").text
        assert app.store.snapshot().tickets == ()


async def test_focus_leaves_a_topic_that_stops_issuing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#topic-kim")
        app.store.pause("kim")  # staff pause it while the visitor looks at it
        rounds = app.availability_rounds
        app.refresh_availability()
        await wait_for(pilot, lambda: app.availability_rounds > rounds)
        assert not app.screen.query_one("#topic-kim").available
        assert app.focused is None
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.store.snapshot().tickets == ()


@pytest.mark.parametrize("key", ["enter", "space", "escape", "click"])
async def test_the_ticket_stays_until_the_lock_time_is_up(tmp_path, key):
    app = make_app(tmp_path, when=MONDAY_OPEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        await pilot.press("1")
        for _ in range(3):  # at once, and a few moments later
            if key == "click":
                await pilot.click("#done")
            else:
                await pilot.press(key)
            await pilot.pause(0.1)
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert type(app.screen).__name__ == "TicketScreen"
        done = app.screen.query_one("#done")
        assert done.disabled and not done.has_focus
        await unlock_ticket(pilot)
        assert not done.disabled and done.has_focus  # visibly active now
        if key == "click":
            await pilot.click("#done")
        else:
            await pilot.press("enter" if key != "escape" else "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")


async def test_the_lock_ends_by_itself_and_restarts_for_every_visitor(tmp_path):
    app = make_app(tmp_path, config=with_lock(1))
    async with app.run_test(size=(80, 24)) as pilot:
        for number in ("A-001", "A-002"):
            await to_ticket(pilot, "de", "kim")
            assert app.screen.query_one("#number").number == number
            assert app.screen.leave_locked
            await pilot.press("enter")
            assert app.screen.leave_locked
            await wait_for(pilot, lambda: not app.screen.leave_locked, timeout=3)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")


async def test_the_idle_return_still_ends_a_locked_ticket(tmp_path):
    app = make_app(tmp_path, config=with_lock(30))
    now = [1000.0]
    app.monotonic = lambda: now[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "de", "kim")
        assert app.screen.leave_locked
        now[0] += app.config.site.timeouts.ticket_seconds + 1
        app.check_visitor_idle()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
