"""The QR code on the ticket screen scans: screenshot -> exact cell raster -> zxing-cpp decode,
and the decoded text is the take-away note in the visitor's language."""

from __future__ import annotations

import pytest

from kiosk.core.qr import take_away_notes
from tests.qr_raster import decode_svg, grid_from_svg, text_rows
from tests.visitor_support import make_app, shipped_config, to_ticket

LANGUAGES = list(shipped_config().site.languages)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", LANGUAGES)
async def test_ticket_qr_scans_from_a_screenshot(tmp_path, lang, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await to_ticket(pilot, lang, "kim")
        ticket = app.store.snapshot().tickets[0]
        notes = take_away_notes(app.config, app.hours, ticket, lang, app.now())
        svg = app.export_screenshot()
        decoded = decode_svg(svg)
        shown = app.screen.query_one("#qr").note
        print(lang, size, f"note {notes.index(shown) + 1} of {len(notes)}", len(shown.encode()))
        assert decoded == [shown]
        assert shown in notes
        if size == (120, 40):
            assert shown != notes[-1]  # room for more than the bare essentials
        # (At 120x40 the number takes its large font first and the code what is left: a
        # shorter note than the whole one, still more than the bare essentials.)
        assert "A-001" in decoded[0]
        assert "0214/406-3333" in decoded[0]
        # The code is drawn whole: its quiet zone is light on every side.
        rows = text_rows(grid_from_svg(svg))
        assert any("▀" in row or "▄" in row for row in rows)


async def test_no_code_when_none_fits(tmp_path):
    """A screen too small for any code says so instead of drawing a cropped one."""
    config = shipped_config()
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await to_ticket(pilot, "ar", "kim")
        qr = app.screen.query_one("#qr")
        assert qr.note is None
        assert qr.code_lines() == []
        assert decode_svg(app.export_screenshot()) == []
        from kiosk.core.i18n import text

        assert text(config, "ar", "visitor", "qr_too_small")
