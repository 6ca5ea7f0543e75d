"""Staff app follows config edits while it runs: desks, staff words, the desk list."""

from __future__ import annotations

import dataclasses

from textual.widgets import OptionList

from kiosk.ui.config_watch import ConfigReloaded
from tests.staff_support import (
    make_store,
    queue_ready,
    screen_lines,
    screen_text,
    shipped_config,
    staff_app,
    wait_for,
)


def without_desk(desk_id: str):
    base = shipped_config()
    return dataclasses.replace(base, desks=tuple(d for d in base.desks if d.id != desk_id))


async def test_footer_shows_edited_staff_words_after_a_reload(tmp_path):
    # Regression: the footer was translated from its own (already translated) words, so an
    # admin's edit of key_call_next never showed until a restart.
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        assert "n Nächste" in screen_text(app)
        base = shipped_config()
        german = base.languages["de"]
        edited = dataclasses.replace(
            german, staff={**german.staff, "key_call_next": "Nächste Person"}
        )
        config = dataclasses.replace(base, languages={**base.languages, "de": edited})
        app.post_message(ConfigReloaded(config))
        await wait_for(pilot, lambda: "n Nächste Person" in screen_text(app))


async def test_a_desk_removed_from_config_is_named_in_the_header(tmp_path):
    store = make_store(tmp_path)
    store.issue("kim", "de")
    app = staff_app(store, "raum2")
    async with app.run_test(size=(100, 30)) as pilot:
        await queue_ready(pilot)
        app.post_message(ConfigReloaded(without_desk("raum2")))
        await wait_for(pilot, lambda: "gibt es in der Konfiguration nicht mehr" in screen_text(app))
        assert screen_lines(app)[0].startswith(" raum2  Den Platz „raum2“")


async def test_the_clock_keeps_apart_from_a_long_desk_line(tmp_path):
    # Regression: at 80 columns a desk line that filled its width ran into the clock
    # ("Service-Point Integration13:00"): at least one blank cell must stay between them.
    store = make_store(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await queue_ready(pilot)
        desk_line = screen.query_one("#desk-line")
        clock = screen.query_one("#clock")
        assert clock.content_region.x - desk_line.region.right >= 1
        assert screen_lines(app)[0].rstrip().endswith(" 13:00")


async def test_the_desk_picker_follows_config_changes(tmp_path):
    store = make_store(tmp_path)
    app = staff_app(store, desk=None)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DeskPickerScreen")
        assert "Raum 2" in screen_text(app)
        app.post_message(ConfigReloaded(without_desk("raum2")))
        await wait_for(pilot, lambda: "Raum 2" not in screen_text(app))
        assert app.screen.query_one(OptionList).has_focus
        assert "Raum 1" in screen_text(app)
