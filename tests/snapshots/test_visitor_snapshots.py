"""Snapshots of the visitor screens in German, Ukrainian and Arabic (fixed clock, animations and
cursor blink off). Review changes with `pytest --snapshot-update` and look at the report."""

from __future__ import annotations

import pytest

from tests.visitor_support import SUNDAY, make_app, ready, to_ticket, to_topics, wait_for

LANGS = ["de", "uk", "ar"]


def kiosk(tmp_path, when: str = "2026-11-30T13:00"):
    app = make_app(tmp_path, when=when)
    app.animation_level = "none"
    return app


def test_language_screen(snap_compare, tmp_path):
    assert snap_compare(kiosk(tmp_path), run_before=ready)


def test_language_screen_closed_wide(snap_compare, tmp_path):
    assert snap_compare(kiosk(tmp_path, SUNDAY), run_before=ready, terminal_size=(120, 40))


@pytest.mark.parametrize("lang", LANGS)
def test_topic_screen(snap_compare, tmp_path, lang):
    async def before(pilot):
        await to_topics(pilot, lang)

    assert snap_compare(kiosk(tmp_path), run_before=before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", LANGS)
def test_ticket_screen(snap_compare, tmp_path, lang, size):
    async def before(pilot):
        await to_ticket(pilot, lang, "kim")

    assert snap_compare(kiosk(tmp_path), run_before=before, terminal_size=size)


@pytest.mark.parametrize("lang", LANGS)
def test_closed_screen(snap_compare, tmp_path, lang):
    async def before(pilot):
        await ready(pilot)
        await pilot.press(str(pilot.app.config.site.languages.index(lang) + 1))
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ClosedScreen")

    assert snap_compare(kiosk(tmp_path, SUNDAY), run_before=before)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_closed_screen_during_a_closure_wide(snap_compare, tmp_path, lang):
    """The closed screen of issue 12: heading with the closure's reason, weekly hours, address,
    hotline with when it answers again, urgent contacts, and the take-away code beside them."""

    async def before(pilot):
        await ready(pilot)
        await pilot.press(str(pilot.app.config.site.languages.index(lang) + 1))
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ClosedScreen")
        await pilot.pause(0.1)

    app = kiosk(tmp_path, "2026-12-28T11:00")
    assert snap_compare(app, run_before=before, terminal_size=(120, 40))
