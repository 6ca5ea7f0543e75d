"""Every screen at 80x24, 100x30, 120x40 and 160x50, and resizing between them, in every
language: all topics visible without scrolling; the ticket number, people ahead and hotline
always fully visible; nothing crashes."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.visitor_support import (
    SIZES,
    SUNDAY,
    make_app,
    screen_lines,
    shipped_config,
    to_ticket,
    wait_for,
)

LANGUAGES = list(shipped_config().site.languages)
# Back and forth through every size, starting and ending small.
ORDER = [(80, 24), (160, 50), (100, 30), (120, 40), (80, 24)]


async def resize(pilot, size: tuple[int, int]) -> None:
    """Resize and wait until the screen has been laid out at the new size."""
    await pilot.resize_terminal(*size)
    app = pilot.app
    await wait_for(pilot, lambda: tuple(app.screen.region.size) == size)
    await pilot.pause()


def inside(region, width: int, height: int) -> bool:
    return region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height


def assert_fully_visible(app, selector: str) -> None:
    width, height = app.size
    widget = app.screen.query_one(selector)
    region = widget.region
    assert region.area > 0, f"{selector} not shown at {width}x{height}"
    assert inside(region, width, height), f"{selector} cut off at {width}x{height}: {region}"
    for blocker in app.screen.query("#done, #controls, #back"):
        assert not region.overlaps(blocker.region), (
            f"{selector} under {blocker.id} at {width}x{height}"
        )
    if hasattr(widget, "display_lines"):  # every wrapped line of the label has a row
        assert len(widget.display_lines(widget.content_size.width)) <= widget.content_size.height


async def check_topics(app) -> None:
    width, height = app.size
    screen = app.screen
    choices = list(screen.query(".topic"))
    assert len(choices) == len(app.config.topics)
    controls = screen.query_one("#controls").region
    for choice in choices:
        region = choice.region
        assert inside(region, width, height), f"{choice.id} off screen at {width}x{height}"
        assert not region.overlaps(controls), f"{choice.id} under the controls at {width}x{height}"
        lines = choice._lines(choice.content_size.width)
        assert len(lines) <= choice.content_size.height, f"{choice.id} text cut at {width}x{height}"
    assert screen.query_one("#heading").region.bottom <= min(c.region.y for c in choices)


async def check_ticket(app) -> None:
    width, height = app.size
    for selector in ("#number", "#ahead", "#hotline", "#topic", "#your-number"):
        assert_fully_visible(app, selector)
    done = app.screen.query_one("#done").region
    assert inside(done, width, height) and done.area > 0
    number = app.screen.query_one("#number")
    drawn = number.rendered_lines()
    assert max(cell_len(line) for line in drawn) <= number.content_size.width
    assert len(drawn) <= number.content_size.height
    shown = "\n".join(screen_lines(app))
    assert "0214/406-3333" in shown, f"hotline not intact at {width}x{height}"
    qr = app.screen.query_one("#qr")
    if qr.note is not None:  # the whole code, quiet zone included, is on screen
        assert qr.region.right <= width and qr.region.bottom <= height
        lines = qr.code_lines()
        assert len(lines) <= qr.content_size.height
        assert max(len(line) for line in lines) <= qr.content_size.width


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_size_and_resizing(tmp_path, lang):
    app = make_app(tmp_path)
    async with app.run_test(size=ORDER[0]) as pilot:
        await wait_for(pilot, lambda: app.availability_rounds > 0)
        for size in SIZES:  # language screen: every language choice on screen
            await resize(pilot, size)
            for choice in app.screen.query(".language"):
                assert inside(choice.region, *size), f"{choice.id} off screen at {size}"
            assert inside(app.screen.query_one("#hotline").region, *size)
        await resize(pilot, ORDER[0])
        await pilot.press(str(LANGUAGES.index(lang) + 1))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        for size in ORDER[:4]:
            await resize(pilot, size)
            await check_topics(app)
        await pilot.press("1")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        for size in ORDER:
            await resize(pilot, size)
            await check_ticket(app)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_ticket_at_each_size_from_the_start(tmp_path, size):
    """Started at the size (no resize history): Arabic, the longest texts."""
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await to_ticket(pilot, "ar", "kim")
        await check_ticket(app)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_closed_screen_fits_at_80x24(tmp_path, lang):
    app = make_app(tmp_path, when=SUNDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.availability_rounds > 0)
        await pilot.press(str(LANGUAGES.index(lang) + 1))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        for size in [(80, 24), (160, 50)]:
            await resize(pilot, size)
            for selector in ("#closed-heading", "#next-opening", "#hotline", "#hotline-now"):
                assert_fully_visible(app, selector)
            for index in range(len(app.config.site.urgent)):
                widget = list(app.screen.query(".urgent"))[index]
                region = widget.region
                assert inside(region, *size)
                assert not region.overlaps(app.screen.query_one("#back").region)


class BusyStore:
    """Wraps a store; every ticket has 12 people ahead and a wait of 90-105 minutes (the
    widest range, on a line of its own)."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def issue(self, topic_id, lang):
        from dataclasses import replace

        issued = self._store.issue(topic_id, lang)
        return replace(
            issued,
            people_ahead=12,
            wait_minutes=95,
            ticket=issued.ticket.evolve(estimate=(90, 105)),
        )


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_busy_ticket_fits_at_80x24(tmp_path, lang):
    """The longest ticket (people ahead with minutes) at the smallest size: nothing cut off."""
    from kiosk.core.store import Store
    from tests.visitor_support import clock_at

    store = BusyStore(Store(tmp_path / "data", shipped_config(), clock_at("2026-11-30T13:00")))
    app = make_app(tmp_path, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, lang, "kim")
        await check_ticket(app)
        for selector in ("#what-now", "#hotline-now", "#address", "#hours", "#qr-hint"):
            assert_fully_visible(app, selector)
        assert app.screen.query_one("#info").max_scroll_y == 0
        assert "105" in app.screen.query_one("#ahead").text


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (119, 40), (160, 50), (200, 60)])
async def test_a_new_screen_has_its_size_classes_before_its_first_resize(tmp_path, size):
    # Set only by the first resize, they restyled every widget of a freshly built screen once
    # more (3 ms of the start screen's first frame). They must be the ones Textual sets.
    from kiosk.ui.visitor.language import LanguageScreen

    app = make_app(tmp_path)
    size_classes = {name for _, name in app.HORIZONTAL_BREAKPOINTS + app.VERTICAL_BREAKPOINTS}
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
        await pilot.pause()
        after_resize = app.screen.classes & size_classes
        fresh = LanguageScreen()
        assert fresh.classes & size_classes == after_resize
        assert len(after_resize) == 2
