"""The "Need more time?" prompt (WCAG 2.2.1): shown before the idle return and the ticket's
timer, spoken in speech mode; one key or tap extends (and does nothing else); without input
the kiosk still starts over."""

from __future__ import annotations

import logging

import pytest

from kiosk.audio.speech import Speaker
from kiosk.core.i18n import text
from tests.visitor_support import (
    lang_digit,
    make_app,
    ready,
    screen_text,
    shipped_config,
    to_ticket,
    to_topics,
    topic_digit,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("kiosk_logs_propagate")

CONFIG = shipped_config()
MORE_TIME = CONFIG.site.accessibility.more_time_seconds


def names(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


async def idle_for(pilot, seconds: float) -> None:
    """As if nobody touched the kiosk for `seconds` since the last input."""
    app = pilot.app
    start = app._last_input
    app.monotonic = lambda: start + seconds
    app.check_visitor_idle()
    await pilot.pause(0.1)


async def test_the_topic_screen_asks_before_it_times_out_and_a_key_extends(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    limit = CONFIG.site.timeouts.idle_seconds
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("0")  # speech mode: the prompt is spoken too
        await pilot.press(lang_digit("uk"))
        await wait_for(pilot, lambda: names(app)[-1] == "TopicScreen")
        await idle_for(pilot, limit - MORE_TIME - 1)
        assert names(app)[-1] == "TopicScreen"  # not yet
        await idle_for(pilot, limit - MORE_TIME + 1)
        assert names(app)[-2:] == ["TopicScreen", "MoreTimeScreen"]
        shown = screen_text(app)
        assert text(CONFIG, "uk", "visitor", "more_time") in shown
        assert f"⏱ {MORE_TIME - 1}" in shown  # the seconds left, counting down
        await idle_for(pilot, limit - 5)
        assert "⏱ 5" in screen_text(app)
        said = [r.getMessage() for r in caplog.records][-2:]
        assert said == [
            f"speech[uk]: {text(CONFIG, 'uk', 'visitor', 'more_time')}",
            f"speech[uk]: {text(CONFIG, 'uk', 'visitor', 'more_time_hint')}",
        ]
        # One key: more time, and the key does nothing else (5 is a topic's digit)
        app.monotonic = lambda: app._last_input  # real input sets the last input time
        await pilot.press(topic_digit("ba"))
        await wait_for(pilot, lambda: names(app)[-1] == "TopicScreen")
        assert not app.issuing and app.tickets_issued == 0
        await idle_for(pilot, limit - 1)  # the full time again: asked again, not ended
        assert names(app)[-2:] == ["TopicScreen", "MoreTimeScreen"]
        await idle_for(pilot, limit + 1)  # nobody answers: back to the start
        await wait_for(pilot, lambda: names(app)[-1] == "LanguageScreen")
        assert app.lang is None and not app.speech_mode


async def test_the_ticket_screen_asks_too_and_a_tap_extends(tmp_path):
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    limit = CONFIG.site.timeouts.ticket_seconds
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "ar", "kim")
        await idle_for(pilot, limit - 2)
        assert names(app)[-2:] == ["TicketScreen", "MoreTimeScreen"]
        assert app.screen_stack[-2].issued is not None  # the ticket stays below the prompt
        await pilot.click("#more-time-box")
        await wait_for(pilot, lambda: names(app)[-1] == "TicketScreen")
        assert app.monotonic() - app._last_input < 1  # the tap counted as input
        await idle_for(pilot, limit + 1)
        await wait_for(pilot, lambda: names(app)[-1] == "LanguageScreen")


async def test_without_input_the_prompt_still_returns_to_the_start(tmp_path):
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    limit = CONFIG.site.timeouts.idle_seconds
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        await idle_for(pilot, limit - 3)
        assert names(app)[-1] == "MoreTimeScreen"
        await idle_for(pilot, limit)
        await wait_for(pilot, lambda: names(app)[-1] == "LanguageScreen")
        assert names(app) == ["Screen", "LanguageScreen"]


async def test_the_start_screen_never_asks(tmp_path):
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await idle_for(pilot, 10_000)
        assert names(app) == ["Screen", "LanguageScreen"]
