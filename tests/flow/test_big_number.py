"""BigNumber: every letter and digit drawn large and distinct, always fully visible."""

from __future__ import annotations

import string

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Horizontal

from kiosk.ui.widgets.big_number import (
    FONT_5,
    FONT_7,
    SIZES,
    BigNumber,
    best_size,
    dimensions,
    render_number,
)
from tests.qr_raster import grid_from_svg, text_rows

CHARS = string.ascii_uppercase + string.digits
BLOCK_SIZES = ("large", "medium", "small")


@pytest.mark.parametrize("font", [FONT_7, FONT_5], ids=["5x7", "3x5"])
def test_fonts_cover_every_letter_digit_and_dash_with_consistent_rows(font):
    for char in CHARS + "-./":
        glyph = font[char]
        assert len(glyph) == len(font["A"]), char
        assert len({len(row) for row in glyph}) == 1, char
        assert set("".join(glyph)) <= {"#", "."}
        assert "#" in "".join(glyph), char


@pytest.mark.parametrize("size", BLOCK_SIZES)
def test_every_character_has_its_own_glyph(size):
    drawn = {char: tuple(render_number(char, size)) for char in CHARS}
    assert len(set(drawn.values())) == len(CHARS), [
        (a, b) for a in CHARS for b in CHARS if a < b and drawn[a] == drawn[b]
    ]
    for char, rows in drawn.items():
        assert set("".join(rows)) <= set(" ▀▄█"), char
        assert any(ch != " " for ch in "".join(rows)), char


def test_known_shapes():
    assert render_number("A", "medium") == ["▄▀▀▀▄", "█▄▄▄█", "█   █", "▀   ▀"]
    assert render_number("1", "small") == ["▄█ ", " █ ", "▀▀▀"]
    assert render_number("-", "large")[3] == "████████"


def test_widths_and_heights_of_a_ticket_number():
    # 5 glyphs: A 0 0 1 are 5 pixels wide, "-" 4, one pixel between glyphs.
    assert dimensions("A-001", "large") == (2 * (5 * 4 + 4 + 4), 7)
    assert dimensions("A-001", "medium") == (5 * 4 + 4 + 4, 4)
    assert dimensions("A-001", "small") == (3 * 4 + 3 + 4, 3)
    assert dimensions("A-001", "text") == (5, 1)
    # Every row of a drawing is equally wide (so centring keeps the glyphs aligned).
    for size in SIZES:
        rows = render_number("Z-987", size)
        assert len({cell_len(row) for row in rows}) == 1
    # M and W are wider in the small font so they stay readable.
    assert dimensions("M", "small").width == 5 and dimensions("W", "small").width == 5


def test_fallback_sizes_by_width_and_height():
    assert best_size("A-001", 80) == "large"
    assert best_size("A-001", 56) == "large"
    assert best_size("A-001", 55) == "medium"
    assert best_size("A-001", 28) == "medium"
    assert best_size("A-001", 27) == "small"
    assert best_size("A-001", 19) == "small"
    assert best_size("A-001", 18) == "text"
    assert best_size("A-001", 3) == "text"  # nothing smaller: plain text (cropped by the terminal)
    assert best_size("A-001", 80, 6) == "medium"
    assert best_size("A-001", 80, 3) == "small"
    assert best_size("A-001", 80, 2) == "text"


def test_unknown_characters_fall_back_to_text():
    assert render_number("Ä-001", "large") == ["Ä-001"]
    assert render_number("", "large") == [""]
    assert render_number("a-001", "medium") == render_number("A-001", "medium")


class NumberApp(App):
    CSS = "#side { width: 45; }"

    def __init__(self, number: str, beside: bool = False):
        super().__init__()
        self.number, self.beside = number, beside

    def compose(self) -> ComposeResult:
        if self.beside:  # the ticket screen at 80x24: number left of a 45-column QR code
            with Horizontal():
                yield BigNumber(self.number)
                yield Horizontal(id="side")
        else:
            yield BigNumber(self.number)


def screen(app: App) -> list[str]:
    return text_rows(grid_from_svg(app.export_screenshot()))


def shown_block(rows: list[str], drawing: list[str]) -> bool:
    """Whether the drawing appears on consecutive screen rows, at one column, complete."""
    for top in range(len(rows) - len(drawing) + 1):
        column = rows[top].find(drawing[0])
        while column >= 0:
            if all(
                rows[top + i][column : column + len(line)] == line for i, line in enumerate(drawing)
            ):
                return True
            column = rows[top].find(drawing[0], column + 1)
    return False


@pytest.mark.parametrize(
    ("beside", "size"),
    [(False, "large"), (True, "medium")],
    ids=["full-width", "beside-qr"],
)
async def test_number_fully_visible_at_80x24(beside, size):
    for number in ("A-001", "Z-999", "M-048"):
        app = NumberApp(number, beside)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            widget = app.query_one(BigNumber)
            assert widget.size_name == size
            assert widget.size.height == dimensions(number, size).height
            rows = screen(app)
        assert shown_block(rows, render_number(number, size)), "\n".join(rows)


async def test_number_follows_the_terminal_size():
    app = NumberApp("K-123")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(BigNumber)
        assert widget.size_name == "large"
        for width, size in ((40, "medium"), (24, "small"), (12, "text")):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            assert widget.size_name == size
            assert shown_block(screen(app), render_number("K-123", size))
        widget.number = "W-777"
        await pilot.pause()
        assert "W-777" in "".join(screen(app))
