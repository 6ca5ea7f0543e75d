"""BidiLabel in a running app: right-to-left text wrapped, ordered and right-aligned per line,
re-done on every resize; judged by the characters in the screen's cells."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Vertical

from kiosk.ui.rtl import display_lines, wrap
from kiosk.ui.widgets.bidi_label import BidiLabel
from tests.qr_raster import grid_from_svg, text_rows

AR = "يرجى الجلوس. سيظهر رقمك A-001 على الشاشة. هاتف الاستعلامات: 0214/406-3333 (8-16)"
DE = "Bitte nehmen Sie Platz. Ihre Nummer A-001 wird auf dem Bildschirm angezeigt."


class LabelApp(App):
    CSS = "BidiLabel { margin-bottom: 1; }"

    def __init__(self, rtl_mode: str = "reorder"):
        super().__init__()
        self.rtl_mode = rtl_mode

    def compose(self) -> ComposeResult:
        with Vertical():
            yield BidiLabel(AR, rtl=True, rtl_mode=self.rtl_mode, id="ar")
            yield BidiLabel(DE, id="de")


def screen_rows(app: App) -> list[str]:
    return text_rows(grid_from_svg(app.export_screenshot()))


async def test_rtl_lines_are_ordered_and_right_aligned_and_rewrap_on_resize():
    app = LabelApp()
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        label = app.query_one("#ar", BidiLabel)
        expected = display_lines(AR, 30, rtl=True)
        assert label.display_lines() == expected
        assert label.size.height == len(expected)  # auto height = number of wrapped lines
        rows = screen_rows(app)
        for row, line in zip(rows, expected, strict=False):
            assert row == line.rjust(30)  # right-aligned, cell for cell
        assert "0214/406-3333" in "".join(rows) and "(8-16)" in "".join(rows)

        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        wider = display_lines(AR, 70, rtl=True)
        assert len(wider) < len(expected)
        rows = screen_rows(app)
        for row, line in zip(rows, wider, strict=False):
            assert row == line.rjust(70)
        # The German label below starts after the Arabic one and a blank line, left-aligned.
        de_top = len(wider) + 1
        assert rows[de_top].startswith(wrap(DE, 70)[0])


async def test_terminal_mode_hands_logical_lines_to_the_terminal():
    app = LabelApp("terminal")
    async with app.run_test(size=(30, 20)) as pilot:
        await pilot.pause()
        rows = screen_rows(app)
        lines = wrap(AR, 30, shaped=False)
        for row, line in zip(rows, lines, strict=False):
            assert row.rstrip() == line
        assert not any("\ufb50" <= ch <= "\ufeff" for row in rows for ch in row)


async def test_update_changes_text_and_direction():
    app = LabelApp()
    async with app.run_test(size=(40, 12)) as pilot:
        label = app.query_one("#ar", BidiLabel)
        label.update("Hello (8-16)", rtl=False)
        await pilot.pause()
        assert not label.has_class("-rtl")
        assert screen_rows(app)[0].startswith("Hello (8-16)")
        label.update("مرحبا 12:30–16:30", rtl=True)
        await pilot.pause()
        assert label.has_class("-rtl")
        row = screen_rows(app)[0]
        assert row.endswith(display_lines("مرحبا 12:30–16:30", 40, rtl=True)[0])
        assert row.startswith(" ")


class CenteredApp(App):
    CSS = "BidiLabel { text-align: center; }"

    def compose(self) -> ComposeResult:
        yield BidiLabel("أهلًا وسهلًا", rtl=True)


async def test_centered_rtl_heading_stays_centered():
    app = CenteredApp()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        row = screen_rows(app)[0]
    [line] = display_lines("أهلًا وسهلًا", 40, rtl=True)
    left = cell_len(row[: row.index(line)])
    right = 40 - left - cell_len(line)
    assert abs(left - right) <= 1, row
