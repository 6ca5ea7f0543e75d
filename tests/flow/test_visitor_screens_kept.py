"""Screens built ahead of their use (issue 16): each language's topic screen is built once and
shown again to every visitor of that language; a visit's ticket screen is built off stage
while the topics are read. Nothing of one visitor may be seen or reached by the next."""

from __future__ import annotations

import shutil

from kiosk.core.config import load_config
from kiosk.core.i18n import text
from kiosk.ui.config_watch import ConfigReloaded
from tests.visitor_support import (
    SHIPPED,
    lang_digit,
    make_app,
    ready,
    screen_text,
    shipped_config,
    to_topics,
    topic_digit,
    unlock_ticket,
    wait_for,
)


def recording(app) -> list[tuple[str, str, tuple[int, int]]]:
    """From now on, (screen, kind of update, size) of every frame the app sends to the
    terminal."""
    frames: list[tuple[str, str, tuple[int, int]]] = []
    display = app._display

    def record(screen, update) -> None:
        if update is not None:
            size = tuple(screen._compositor.size)
            frames.append((type(screen).__name__, type(update).__name__, size))
        display(screen, update)

    app._display = record
    return frames


def first_frame(frames, screen: str) -> str:
    return next(kind for name, kind, _ in frames if name == screen)


def is_ticket(app) -> bool:
    return type(app.screen).__name__ == "TicketScreen" and app.screen.issued is not None


async def test_the_next_visitor_gets_the_topic_screen_back_with_nothing_of_the_last(tmp_path):
    config = shipped_config()
    app = make_app(tmp_path)  # Monday 13:00: the JOB Service topics issue nothing now
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        first = app.screen
        await pilot.press("down")  # the first visitor moves the focus to a topic...
        assert first.focused is not None
        await pilot.press(topic_digit("jsl_language"))  # ...and taps a closed one
        hint = first.query_one("#touch-hint")
        assert "-notice" in hint.classes
        notice = hint.text
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")

        frames = recording(app)
        await pilot.press(lang_digit("de"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.pause(0.05)
        assert app.screen is first  # built once, not again for every visitor
        assert first_frame(frames, "TopicScreen") == "LayoutUpdate"  # whole, at once
        assert first.focused is None  # Enter now chooses nothing
        assert "-notice" not in hint.classes
        assert hint.text == text(config, "de", "visitor", "touch_hint")
        assert notice not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert type(app.screen).__name__ == "TopicScreen" and not app.issuing


async def test_topic_screens_are_kept_per_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "ar")
        arabic = app.screen
        assert arabic.has_class("-rtl")
        await pilot.press("escape")
        await to_topics(pilot, "de")
        assert app.screen is not arabic and not app.screen.has_class("-rtl")
        title = app.screen.query_one("#topic-kim").title
        assert title == "Sprechstunde Integration (KIM)"


async def test_ticket_screen_is_built_before_the_tap_and_shows_only_this_ticket(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        shown = []
        for visit in range(2):
            await to_topics(pilot, "de")
            await wait_for(pilot, lambda: app.prepared_ticket_screen is not None)
            prepared = app.prepared_ticket_screen
            await pilot.pause(0.1)
            # Built off stage: the visitor still sees the topics, nothing of a ticket.
            assert type(app.screen).__name__ == "TopicScreen"
            assert text(shipped_config(), "de", "visitor", "your_number") not in screen_text(app)
            frames = recording(app)
            await pilot.press(topic_digit("kim"))
            await wait_for(pilot, lambda: is_ticket(app))
            await pilot.pause(0.05)
            assert app.screen is prepared
            assert first_frame(frames, "TicketScreen") == "LayoutUpdate"  # whole, at once
            assert prepared not in shown  # a screen of its own for every visit
            shown.append(prepared)
            number = f"A-00{visit + 1}"
            assert app.screen.query_one("#number").number == number
            lines = screen_text(app)
            assert "Sprechstunde Integration (KIM)" in lines
            if visit == 1:
                assert "A-001" not in lines
                ahead = app.screen.query_one("#ahead").text
                assert ahead.startswith(
                    text(shipped_config(), "de", "visitor", "people_ahead", n=1)
                )
            await unlock_ticket(pilot)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert not shown[0].is_attached  # the first visitor's ticket screen is gone


async def test_a_prepared_ticket_screen_goes_when_the_visitor_leaves_without_a_ticket(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "uk")
        await wait_for(pilot, lambda: app.prepared_ticket_screen is not None)
        prepared = app.prepared_ticket_screen
        await pilot.pause(0.05)
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await wait_for(pilot, lambda: not prepared.is_attached)
        assert app.prepared_ticket_screen is None
        # The next visitor, in another language, gets a ticket screen in theirs.
        await to_topics(pilot, "en")
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: is_ticket(app))
        assert app.screen.lang == "en" and app.screen is not prepared
        assert text(shipped_config(), "en", "visitor", "your_number") in screen_text(app)


async def test_a_config_edit_reaches_the_next_visitor_of_a_kept_topic_screen(tmp_path):
    config_dir = tmp_path / "config"
    shutil.copytree(SHIPPED, config_dir)
    app = make_app(tmp_path, config=load_config(config_dir))
    async with app.run_test(size=(100, 30)) as pilot:
        await to_topics(pilot, "de")
        kept = app.screen
        await pilot.press("escape")
        await ready(pilot)
        de = config_dir / "lang" / "de.toml"
        de.write_text(
            de.read_text(encoding="utf-8").replace(
                'label = "Sprechstunde Integration (KIM)"', 'label = "Beratung Integration (KIM)"'
            ),
            encoding="utf-8",
        )
        app.post_message(ConfigReloaded(load_config(config_dir)))
        await pilot.pause(0.1)
        await pilot.press(lang_digit("de"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        assert app.screen is not kept
        assert app.screen.query_one("#topic-kim").title == "Beratung Integration (KIM)"
        assert "Beratung Integration (KIM)" in screen_text(app)


async def test_screens_built_at_one_size_are_shown_at_the_size_of_the_moment(tmp_path):
    """The terminal (or the browser window) changed size after the screens were built: the
    topic list and the ticket fit the new size from their first frame."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, "de")
        await pilot.press("escape")
        await ready(pilot)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: tuple(app.screen.region.size) == (80, 24))
        await to_topics(pilot, "de")  # the kept topic screen, built at 120x40
        await pilot.pause(0.05)
        assert tuple(app.screen.region.size) == (80, 24)
        assert app.screen.query_one("#topic-kim").region.right <= 80
        await wait_for(pilot, lambda: app.prepared_ticket_screen is not None)
        await pilot.pause(0.05)
        await pilot.resize_terminal(100, 30)  # after the ticket screen was built
        await wait_for(pilot, lambda: tuple(app.screen.region.size) == (100, 30))
        frames = recording(app)
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: is_ticket(app))
        await pilot.pause(0.05)
        screen = app.screen
        sizes = {size for name, _, size in frames if name == "TicketScreen"}
        assert sizes == {(100, 30)}  # no frame at the size it was built at
        assert tuple(screen.region.size) == (100, 30)
        code, number = screen.query_one("#qr"), screen.query_one("#number")
        assert code.matrix is not None and code.region.right <= 100
        assert not code.region.overlaps(number.region)
        assert number.number == "A-001" and number.region.width > 0


async def test_done_goes_to_the_languages_without_the_topic_list_flashing_up(tmp_path):
    """The kept topic screen is under the ticket: leaving the ticket must not draw it (nor
    the empty base screen under both), and the start screen comes whole."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(2):
            await to_topics(pilot, "de")
            await pilot.press(topic_digit("kim"))
            await wait_for(pilot, lambda: is_ticket(app))
            await unlock_ticket(pilot)
            frames = recording(app)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
            await pilot.pause(0.1)
            drawn = [name for name, _, _ in frames]
            kinds = [kind for _, kind, _ in frames]
            # Nothing between the ticket and the start screen: no topic list, no blank screen.
            first = drawn.index("LanguageScreen")
            assert set(drawn[:first]) <= {"TicketScreen"}
            assert set(drawn[first:]) == {"LanguageScreen"}
            # ...and its first frame is the whole screen: a terminal shows nothing of the
            # ticket under it (a frame of only what changed left the ticket on the glass).
            assert kinds[first] == "LayoutUpdate"


async def test_the_start_screen_is_kept_and_shows_the_state_of_the_moment(tmp_path):
    """Done, the idle return or Escape bring back the same start screen, cleared (no language
    highlighted) and with the service point's state as of now; a config change builds a new
    one."""
    app = make_app(tmp_path)  # Monday 13:00: open
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        start = app.screen
        await pilot.press("down")  # an arrow brings the focus to a language
        assert start.focused is not None
        assert "●" in start.query_one("#status-symbols").render().plain
        await pilot.press(lang_digit("de"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        app.clock.advance(hours=5)  # 18:00: closed since 16:30
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await pilot.pause(0.05)
        assert app.screen is start and start.focused is None
        assert "●" not in start.query_one("#status-symbols").render().plain
        app.post_message(ConfigReloaded(load_config(SHIPPED)))  # an edit: a new config
        await wait_for(pilot, lambda: app.screen is not start)
        assert type(app.screen).__name__ == "LanguageScreen"
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "LanguageScreen"]
