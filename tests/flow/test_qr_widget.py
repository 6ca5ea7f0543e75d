"""QrCode widget in a running app: a phone can read the code from the screen's cells."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from kiosk.core.config import load_config
from kiosk.core.hours import Hours
from kiosk.core.i18n import text
from kiosk.core.qr import take_away_notes
from kiosk.core.tickets import State, Ticket
from kiosk.ui.rtl import shape
from kiosk.ui.widgets.qr_code import QrCode, matrix_lines
from tests.qr_raster import decode_lines, decode_svg, grid_from_svg, text_rows

SHIPPED = Path(__file__).resolve().parents[2] / "config"
LANGS = ("de", "en", "uk", "ru", "ar", "tr", "fa")
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


@pytest.fixture(scope="module")
def config():
    return load_config(SHIPPED)


@pytest.fixture(scope="module")
def hours(config):
    return Hours(config)


@pytest.fixture(scope="module")
def now(config):
    return datetime(2026, 11, 30, 13, 0, tzinfo=config.site.timezone)


def notes_for(config, hours, now, lang: str) -> list[str]:
    ticket = Ticket(
        day=now.date(),
        letter="A",
        seq=7,
        topic="kim",
        topic_label="Sprechstunde",
        lang=lang,
        state=State.WAITING,
        issued_at=now,
    )
    return take_away_notes(config, hours, ticket, lang, now)


class QrApp(App):
    def __init__(self, notes: list[str], message: str = "", rtl: bool = False):
        super().__init__()
        self._notes, self._message, self._rtl = notes, message, rtl

    def compose(self) -> ComposeResult:
        yield QrCode(self._notes, self._message, rtl=self._rtl, id="qr")


def code_box(grid) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the cells with the code's white background, exclusive."""
    cells = [(x, y) for y, row in enumerate(grid) for x, c in enumerate(row) if c.bg == WHITE]
    xs = [x for x, _ in cells]
    ys = [y for _, y in cells]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_screenshot_decodes_to_the_note(config, hours, now, lang, size):
    notes = notes_for(config, hours, now, lang)
    app = QrApp(notes)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        widget = app.query_one(QrCode)
        note, matrix, lines = widget.note, widget.matrix, widget.code_lines()
        svg = app.export_screenshot()
    assert note in notes and matrix is not None
    print(lang, size, len(note.encode("utf-8")), "bytes:", note.replace("\n", " | "))
    # Read back from the screen itself: the dark theme around the code, as a phone would see it.
    assert decode_svg(svg) == [note]
    assert decode_lines(lines) == [note]
    grid = grid_from_svg(svg)
    left, top, right, bottom = code_box(grid)
    # The whole code with its quiet zone is on screen, exactly as the matrix says, black on white.
    assert (right - left, bottom - top) == (len(matrix), (len(matrix) + 1) // 2)
    drawn = [row[left:right] for row in text_rows(grid)[top:bottom]]
    assert drawn == matrix_lines(matrix)
    for row in grid[top:bottom]:
        for cell in row[left:right]:
            assert cell.bg == WHITE
            assert cell.char == " " or cell.fg == BLACK


async def test_larger_terminal_gets_a_longer_note(config, hours, now):
    notes = notes_for(config, hours, now, "de")
    app = QrApp(notes)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        widget = app.query_one(QrCode)
        big = widget.note
        assert big == notes[0]  # the full note fits at 120x40 in German
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        small = widget.note
        assert small is not None and len(small) < len(big)
        assert decode_svg(app.export_screenshot()) == [small]


async def test_new_notes_replace_the_code_drawn_before(config, hours, now):
    """The widget keeps what it drew (per size and style) and the module its choices (per notes
    and size): the next visitor's notes must still replace the code, and the first visitor's
    come back drawn from the caches, never a mix of the two."""
    first = notes_for(config, hours, now, "de")
    second = [note.replace("A-007", "A-008") for note in first]
    assert second != first
    app = QrApp(first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        widget = app.query_one(QrCode)
        assert decode_svg(app.export_screenshot()) == [first[0]]
        widget.matrix[3][3] = not widget.matrix[3][3]  # a copy: the drawing stays as it was
        assert decode_svg(app.export_screenshot()) == [first[0]]
        for notes in (second, first, second):
            widget.set_notes(notes)
            await pilot.pause()
            assert widget.note == notes[0]
            assert decode_svg(app.export_screenshot()) == [notes[0]]
            assert decode_lines(widget.code_lines()) == [notes[0]]


async def test_too_small_shows_the_message_not_a_cropped_code(config, hours, now):
    notes = notes_for(config, hours, now, "de")
    message = text(config, "de", "visitor", "qr_too_small")
    app = QrApp(notes, message)
    async with app.run_test(size=(26, 12)) as pilot:
        await pilot.pause()
        widget = app.query_one(QrCode)
        assert widget.matrix is None and widget.note is None and widget.code_lines() == []
        svg = app.export_screenshot()
    rows = text_rows(grid_from_svg(svg))
    screen = " ".join(" ".join(rows).split())
    assert message in screen
    assert not any(ch in "▀▄█" for row in rows for ch in row)
    assert decode_svg(svg) == []


async def test_too_small_message_in_arabic_is_shaped(config, hours, now):
    notes = notes_for(config, hours, now, "ar")
    message = text(config, "ar", "visitor", "qr_too_small")
    app = QrApp(notes, message, rtl=True)
    async with app.run_test(size=(26, 12)) as pilot:
        await pilot.pause()
        rows = text_rows(grid_from_svg(app.export_screenshot()))
    shown = "".join(rows)
    first_word = shape(message.split()[0])
    assert first_word[::-1] in shown  # shaped, and in right-to-left display order


def test_half_block_mapping():
    matrix = [[True, False, True, False], [True, True, False, False], [False, False, True, True]]
    assert matrix_lines(matrix) == ["█▄▀ ", "  ▀▀"]
