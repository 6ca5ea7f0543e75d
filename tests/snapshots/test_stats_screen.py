"""The staff stats view: today so far per topic and language, visitors per hour as bars."""

from __future__ import annotations

import io
from datetime import date

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Static

from kiosk.core.clock import FixedClock
from kiosk.core.store import Store
from kiosk.ui.staff.stats_screen import HourBars, StatsScreen, bar, bar_lines
from tests.stats_data import local, make_config, play, scripted_day

MONDAY = date(2026, 11, 2)


def test_bar_is_exact_to_an_eighth_of_a_cell():
    assert bar(0, 10, 20) == ""
    assert bar(10, 10, 20) == "█" * 20
    assert bar(5, 10, 20) == "█" * 10
    assert bar(1, 16, 2) == "▏"  # 1/16 of 2 cells = 1 eighth
    assert bar(3, 16, 2) == "▍"  # 3 eighths
    assert bar(1, 1000, 10) == "▏"  # a visitor is never drawn as nothing


def test_bar_lines_scale_to_the_busiest_hour():
    lines = bar_lines([(12, 3), (13, 6), (14, 0)], width=30)
    assert lines == [
        "12:00-12:59 " + "█" * 8 + " " * 8 + " 3",
        "13:00-13:59 " + "█" * 16 + " 6",
        "14:00-14:59 " + " " * 16 + " 0",
    ]
    assert all(len(line) == 30 for line in lines)
    assert bar_lines([], 40) == []


class Host(App[None]):
    def __init__(self, config, store, lang="de"):
        super().__init__()
        self.config, self.store, self.lang = config, store, lang

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.config, self.store, self.lang))


@pytest.fixture
def monday(tmp_path):
    """The scripted Monday played up to 16:20: V-002 still waiting, A-004 still called."""
    config = make_config()
    clock = FixedClock(local(MONDAY, "07:00"))
    store = Store(tmp_path, config, clock)
    play(store, clock, scripted_day(MONDAY))
    clock.set(local(MONDAY, "16:25"))
    return config, store, clock


def _text(app, selector) -> str:
    """What a Static shows, as plain text (rich renderables rendered at the widget's width)."""
    widget = app.screen.query_one(selector, Static)
    console = Console(width=max(20, widget.size.width), record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def _settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_today_per_topic_language_and_hour(monday):
    config, store, _ = monday
    app = Host(config, store)
    async with app.run_test(size=(100, 50)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        today = screen.today
        assert today is not None and today.day == MONDAY
        assert [(g.label, g.figures.issued, g.figures.open) for g in today.by_topic] == [
            ("A: Sprechstunde Integration", 4, 1),
            ("B: Arbeit und Beruf (Agentur für Arbeit)", 2, 0),
            ("V: Sprachkurse (VHS)", 2, 1),
            ("U: Erstanlaufstelle Ukraine", 1, 0),
        ]
        assert [(g.key, g.figures.issued) for g in today.by_language] == [
            ("de", 2),
            ("en", 1),
            ("uk", 4),
            ("ru", 1),
            ("ar", 1),
        ]
        assert today.by_hour == [(12, 3), (13, 2), (14, 1), (15, 1), (16, 2)]
        assert (today.waiting, today.called, today.total.served) == (1, 1, 4)
        assert "Statistik heute: Mo 02.11.2026, Stand 16:25" in _text(app, "#stats-title")
        assert "Jetzt: 1 wartend, 1 aufgerufen." in _text(app, "#stats-summary")
        bars = app.screen.query_one(HourBars)
        assert bars.by_hour == today.by_hour
        rendered = str(bars.render())
        assert rendered.splitlines()[0].startswith("12:00-12:59 ███")
        assert rendered.splitlines()[1].endswith(" 2")


async def test_refresh_shows_a_new_ticket_and_escape_goes_back(monday):
    config, store, clock = monday
    app = Host(config, store, "en")
    async with app.run_test(size=(100, 50)) as pilot:
        await _settle(app, pilot)
        assert app.screen.today.total.issued == 9
        assert "Now: 1 waiting, 1 called." in _text(app, "#stats-summary")
        # Another process (a desk) changes the day; the view polls the change stamp.
        clock.set(local(MONDAY, "16:26"))
        store.done("kim1", "A-004")
        app.screen.load()
        await _settle(app, pilot)
        assert app.screen.today.total.served == 5
        assert "Now: 1 waiting, 0 called." in _text(app, "#stats-summary")
        store.cancel("vhs", "V-002")
        await pilot.press("r")
        await _settle(app, pilot)
        assert app.screen.today.total.cancelled == 3
        assert "Now: 0 waiting, 0 called." in _text(app, "#stats-summary")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_a_day_without_tickets(tmp_path):
    config = make_config()
    store = Store(tmp_path, config, FixedClock(local(MONDAY, "12:00")))
    app = Host(config, store)
    async with app.run_test() as pilot:
        await _settle(app, pilot)
        assert app.screen.today.total.issued == 0
        assert "Heute wurden noch keine Nummern gezogen." in _text(app, "#stats-summary")
        assert not app.screen.query_one("#stats-topics").display
        assert app.screen.query_one(HourBars).by_hour == []


async def test_fits_80_by_24_and_scrolls(monday):
    config, store, _ = monday
    app = Host(config, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        body = app.screen.query_one("#stats-body")
        assert body.size.width <= 80
        topics = _text(app, "#stats-topics")
        print(topics)
        assert max(len(line) for line in topics.splitlines()) <= 80
        assert "A: Sprechstunde" in topics
        assert "Gesamt" in topics and "U: Erstanlaufste" in topics
        # issue 13, finding 8: one line per topic (labels wrapped and doubled the rows); a
        # label too long for 80 columns is cut, its figures stay on its line
        rows = [line for line in topics.splitlines() if line[:2] in ("A:", "B:", "V:", "U:")]
        assert len(rows) == 4 and all(line.rstrip()[-1].isdigit() or "–" in line for line in rows)
        assert any("…" in line for line in rows)


async def test_tables_are_apart_and_the_help_says_how_to_scroll(monday):
    """Regression: the language table's header stood right under the topic table's total, so
    the two tables read as one; at 80x24 the help did not say the view scrolls."""
    config, store, _ = monday
    app = Host(config, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        topics = app.screen.query_one("#stats-topics")
        languages = app.screen.query_one("#stats-languages")
        assert languages.region.y > topics.region.bottom  # a blank line between
        assert "blättern" in _text(app, "#stats-help")
        body = app.screen.query_one("#stats-body")
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0


def test_snapshot_80x24(monday, snap_compare, monkeypatch):
    """Topic table on top at 80x24 in German; the clock is fixed, animations are off."""
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    config, store, _ = monday

    async def loaded(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(Host(config, store), terminal_size=(80, 24), run_before=loaded)


def test_snapshot_hour_bars_at_the_bottom(monday, snap_compare, monkeypatch):
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    config, store, _ = monday

    async def scrolled(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.screen.query_one("#stats-body").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(Host(config, store, "en"), terminal_size=(80, 24), run_before=scrolled)
