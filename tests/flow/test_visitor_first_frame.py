"""A visitor screen's first frame is its final layout: nothing jumps a moment after it appears.

The visitor CSS spaces the screens by the terminal's size (breakpoint classes such as -h30 and
-w100). Textual sets those classes on a screen only when its first Resize event is handled,
after the first frame; every new screen was drawn once without them and again about 25 ms later
with its text moved down a row or more (the ticket's topic, wait and hotline lines).
"""

from __future__ import annotations

import pytest
from textual.screen import Screen

from tests.visitor_support import make_app, ready, to_ticket, unlock_ticket, wait_for


def record_first_frames(app) -> dict[Screen, dict[str, object]]:
    """For every screen, the region of each widget with an id at the screen's first frame."""
    firsts: dict[Screen, dict[str, object]] = {}
    original = app._display

    def display(screen: Screen, renderable) -> None:
        original(screen, renderable)
        if renderable is not None and screen not in firsts:
            firsts[screen] = layout_of(screen)

    app._display = display
    return firsts


def layout_of(screen: Screen) -> dict[str, object]:
    return {
        widget.id: region
        for widget, (region, *_) in screen._compositor.visible_widgets.items()
        if widget.id
    }


@pytest.mark.parametrize("size", [(100, 30), (120, 40)], ids=["100x30", "120x40"])
async def test_each_screen_is_first_drawn_as_it_stays(tmp_path, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        firsts = record_first_frames(app)
        await to_ticket(pilot, "de", "kim")
        await pilot.pause(0.3)
        ticket = app.screen
        assert type(ticket).__name__ == "TicketScreen" and ticket.issued is not None
        assert firsts[ticket] == layout_of(ticket)
        # The first topic screen is gone by now: its first frame is compared with the settled
        # layout of the next visitor's topic screen (same size, same day, same topics).
        topics = next(s for s in firsts if type(s).__name__ == "TopicScreen")
        await unlock_ticket(pilot)
        await pilot.press("enter")  # Done
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await ready(pilot)
        await pilot.pause(0.3)
        language = app.screen
        assert firsts[language] == layout_of(language)
        await pilot.press("1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.pause(0.3)
        assert firsts[app.screen] == layout_of(app.screen)
        assert firsts[topics] == layout_of(app.screen)
