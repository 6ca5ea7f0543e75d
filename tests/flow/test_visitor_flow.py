"""Pilot flows through the visitor kiosk: language -> topic -> ticket -> start over, in every
language, asserting what is stored and what the screen shows."""

from __future__ import annotations

import pytest

from kiosk.core.i18n import text, topic_label
from kiosk.core.store import Store
from tests.visitor_support import (
    MONDAY_OPEN,
    lang_digit,
    make_app,
    ready,
    screen_text,
    shipped_config,
    to_ticket,
    to_topics,
    unlock_ticket,
    wait_for,
)

LANGUAGES = list(shipped_config().site.languages)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_three_taps_to_a_ticket_then_done(tmp_path, lang):
    config = shipped_config()
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, lang)
        assert app.lang == lang
        assert app.screen.query_one("#topic-kim").title == topic_label(config, lang, "kim")
        await pilot.press("1")  # kim issues on Monday 13:00
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        await pilot.pause(0.05)

        stored = app.store.snapshot().tickets
        assert [(t.number, t.topic, t.lang) for t in stored] == [("A-001", "kim", lang)]
        screen = app.screen
        assert screen.query_one("#number").number == "A-001"
        shown = screen_text(app)
        assert "0214/406-3333" in shown  # the hotline number, intact in every language
        ahead = screen.query_one("#ahead").text
        assert ahead == text(config, lang, "visitor", "nobody_ahead")
        assert screen.query_one("#qr").note is not None

        await unlock_ticket(pilot)
        await pilot.press("enter")  # Done has the focus once it is active
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert app.lang is None and not app.issuing
        assert "A-001" not in screen_text(app)
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "LanguageScreen"]


async def test_people_ahead_counts_earlier_waiting_tickets(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for _ in range(2):
            app.store.issue("kim", "de")
        await to_ticket(pilot, "de", "kim")
        config = shipped_config()
        assert app.screen.query_one("#number").number == "A-003"
        # Nobody was called today yet: the wait is "not known yet", never a made-up figure.
        assert app.screen.query_one("#ahead").text == (
            text(config, "de", "visitor", "people_ahead", n=2)
            + "\n"
            + text(config, "de", "visitor", "wait_unknown")
        )


async def test_ticket_tells_the_wait_range_from_todays_calls(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for _ in range(4):
            app.store.issue("kim", "de")
        for _ in range(3):
            app.store.call_next("raum1")
        await to_ticket(pilot, "de", "kim")
        ahead = app.screen.query_one("#ahead").text
        wait = app.screen.issued.wait_range
        assert wait is not None
        assert ahead.endswith(f"etwa {wait[0]}–{wait[1]}\u00a0Minuten"), ahead


async def test_tapping_a_choice_works_like_its_digit(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.click("#lang-uk")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        assert app.lang == "uk"
        await pilot.click("#topic-kim")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert app.store.snapshot().tickets[0].lang == "uk"
        await pilot.pause(0.05)
        await unlock_ticket(pilot)
        await pilot.click("#done")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")


async def test_escape_and_the_one_back_control_go_to_the_languages(tmp_path):
    """Regression (issue 12, finding 9): "Back" and "Change language" did the same thing; one
    control now says where it goes."""
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await to_topics(pilot, "tr")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert app.lang is None
        await pilot.press(lang_digit("ru"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        controls = list(app.screen.query("#controls Button"))
        assert [c.id for c in controls] == ["back"]
        assert text(shipped_config(), "ru", "visitor", "change_language") in str(controls[0].label)
        await pilot.click("#back")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert app.store.snapshot().tickets == ()


async def test_unavailable_topic_is_marked_and_cannot_be_chosen(tmp_path):
    # Monday: JOB Service (jsl_language) has no hours; it issues next on Tuesday 13:00.
    app = make_app(tmp_path, when=MONDAY_OPEN)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "de")
        choice = app.screen.query_one("#topic-jsl_language")
        assert not choice.available
        assert "morgen 13:00" in choice.detail
        assert choice.has_class("-unavailable")
        await pilot.press("2")
        await pilot.click("#topic-jsl_language")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "TopicScreen"
        assert app.store.snapshot().tickets == ()


async def test_full_topic_says_no_more_numbers_today(tmp_path):
    from dataclasses import replace

    base = shipped_config()
    topics = tuple(replace(t, daily_limit=1) if t.id == "kim" else t for t in base.topics)
    config = replace(base, topics=topics)
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.store.issue("kim", "de")
        app.refresh_availability()
        rounds = app.availability_rounds
        await wait_for(pilot, lambda: app.availability_rounds > rounds)
        await to_topics(pilot, "de")
        choice = app.screen.query_one("#topic-kim")
        assert not choice.available
        assert text(config, "de", "visitor", "full_today") in choice.detail
        await pilot.press("1")
        await pilot.pause(0.2)
        assert len(app.store.snapshot().tickets) == 1


async def test_paused_topic_is_marked(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.store.pause("kim")
        app.refresh_availability()
        rounds = app.availability_rounds
        await wait_for(pilot, lambda: app.availability_rounds > rounds)
        await to_topics(pilot, "en")
        choice = app.screen.query_one("#topic-kim")
        assert not choice.available
        assert text(shipped_config(), "en", "visitor", "paused_today") in choice.detail
        await pilot.press("1")
        await pilot.pause(0.2)
        assert app.store.snapshot().tickets == ()
        # Another topic still issues.
        await pilot.press("5")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert app.store.snapshot().tickets[0].topic == "ba"


async def test_topic_becoming_full_while_choosing_is_explained(tmp_path):
    """The store refuses (limit reached by another kiosk a moment ago): no crash, a reason."""
    from dataclasses import replace

    base = shipped_config()
    topics = tuple(replace(t, daily_limit=1) if t.id == "kim" else t for t in base.topics)
    config = replace(base, topics=topics)
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "de")
        other = Store(tmp_path / "data", config, app.clock)  # another kiosk
        other.issue("kim", "de")
        await pilot.press("1")
        await wait_for(pilot, lambda: getattr(app.screen, "failure", None) is not None)
        assert app.screen.failure == text(config, "de", "visitor", "full_today")
        assert len(app.store.snapshot().tickets) == 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_ticket_reads_in_order_with_reachable_under_the_hotline(tmp_path, lang, size):
    """Regression: "Jetzt erreichbar" stood alone below the opening hours, detached from the
    hotline it is about, and "what to do now" came after the hotline."""
    config = shipped_config()
    app = make_app(tmp_path)  # Monday 13:00: the hotline (Mo-Fr 8-16) is reachable
    async with app.run_test(size=size) as pilot:
        await to_ticket(pilot, lang, "kim")
        screen = app.screen
        order = ["number", "topic", "ahead", "what-now", "hotline", "hotline-now", "address"]
        tops = [screen.query_one(f"#{id}").region.y for id in order]
        assert tops == sorted(tops), dict(zip(order, tops, strict=True))
        hotline, now = screen.query_one("#hotline"), screen.query_one("#hotline-now")
        assert now.region.y == hotline.region.bottom  # the very next row, no gap
        assert now.text == "● " + text(config, lang, "visitor", "hotline_reachable_now")
        assert now.has_class("-yes")


async def test_ticket_says_when_the_hotline_is_not_reachable(tmp_path):
    config = shipped_config()
    app = make_app(tmp_path, when="2026-11-30T16:05")  # kim issues until 16:00, ba until 16:10
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, "de", "ba")
        now = app.screen.query_one("#hotline-now")
        assert now.text == "○ " + text(config, "de", "visitor", "hotline_not_reachable_now")
        assert now.has_class("-no")


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_last_ticket_time_passing_before_the_tap_explains_and_goes_back(tmp_path, lang):
    """Regression: a tap just after a topic's last-ticket time showed only "ab Mittwoch 12:30"
    (no topic, no mark) and Done ended the visit, though other topics still issued."""
    config = shipped_config()
    app = make_app(tmp_path, when="2026-11-30T15:59:50")  # kim: last ticket 16:00, ba: 16:10
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        assert app.screen.query_one("#topic-kim").available
        app.clock.advance(seconds=15)  # the list has not been refreshed yet
        await pilot.press("1")
        await wait_for(pilot, lambda: getattr(app.screen, "failure", None) is not None)
        await pilot.pause(0.05)
        screen = app.screen
        assert screen.refused
        assert screen.query_one("#failure-topic").text == topic_label(config, lang, "kim")
        assert screen.query_one("#failure").text.startswith("✕ ")
        assert app.store.snapshot().tickets == ()
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        assert app.lang == lang and not app.issuing
        await wait_for(pilot, lambda: not app.screen.query_one("#topic-kim").available)
        await pilot.press(str([t.id for t in config.topics].index("ba") + 1))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert [t.topic for t in app.store.snapshot().tickets] == ["ba"]


async def test_refused_ticket_back_control_by_touch(tmp_path):
    app = make_app(tmp_path, when="2026-11-30T15:59:50")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "uk")
        app.clock.advance(seconds=15)
        await pilot.click("#topic-kim")
        await wait_for(pilot, lambda: getattr(app.screen, "failure", None) is not None)
        await pilot.pause(0.05)
        await pilot.click("#back")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        assert [type(s).__name__ for s in app.screen_stack] == [
            "Screen",
            "LanguageScreen",
            "TopicScreen",
        ]


async def test_language_screen_highlights_no_language(tmp_path):
    """Regression: "Deutsch" started focused (yellow), as if German were already chosen."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.focused is None
        await pilot.press("down")  # keys still reach the choices
        assert app.focused is not None and app.focused.id == "lang-de"
        await pilot.press("right", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        assert app.lang == "en"
        await pilot.press("escape")  # and after a visit, again nothing highlighted
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await pilot.pause(0.05)
        assert app.focused is None


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_topic_screen_says_how_to_choose_at_every_size(tmp_path, lang):
    """The touch hint ("tap a field or press its number") was in every language file but never
    shown, then only from 30 rows on (issue 12, finding 9): now at 80x24 too."""
    config = shipped_config()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, lang)
        hint = app.screen.query_one("#touch-hint")
        assert hint.text == text(config, lang, "visitor", "touch_hint")
        assert hint.region.height > 0
        assert hint.region.bottom <= min(c.region.y for c in app.screen.query(".topic"))
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: app.screen.size.height == 24)
        await pilot.pause(0.05)
        hint = app.screen.query_one("#touch-hint")
        assert hint.region.height > 0
        assert hint.region.bottom <= min(c.region.y for c in app.screen.query(".topic"))
