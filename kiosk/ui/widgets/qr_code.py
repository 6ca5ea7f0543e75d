"""QR code widget: dark modules drawn with half blocks on white, quiet zone always whole.

One character cell holds one module across and two modules down ("▀" upper dark, "▄" lower
dark, "█" both, " " none), black on white whatever the theme, because phones read dark modules
on a light background. Given several candidate notes, the widget shows the longest one whose code
fits its region; when none fits it shows a short message instead of a cropped, unreadable code.

A row of the code is one run of text in one style. What is drawn is cached, because the ticket
screen asks for it many times per visitor: the note chosen per region size and the code's rows
for the module (layout asks at two sizes, the frame at a third), and the widget keeps its
strips per size and style instead of building a line on every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from kiosk.core.qr import Matrix, cells_needed, choose_note, qr_matrix
from kiosk.ui.rtl import REORDER, display_lines

CODE_STYLE = Style(color="#000000", bgcolor="#ffffff")
"""Explicit truecolor, not "black"/"white": ANSI colours follow the terminal's palette."""

_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def matrix_lines(matrix: Matrix) -> list[str]:
    """The code as text rows of half blocks, two module rows per text row, quiet zone included."""
    rows = [list(row) for row in matrix]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_HALF[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


@lru_cache(maxsize=16)  # a few visitors' notes at a few sizes; a matrix is about 16 KB
def _fitting(notes: tuple[str, ...], width: int, height: int) -> tuple[str, Matrix] | None:
    """choose_note for a region, cached; the matrix is shared: never change it."""
    return choose_note(notes, width, height) if notes else None


@lru_cache(maxsize=16)
def _code_rows(note: str) -> tuple[str, ...]:
    """The half-block rows of `note`'s code, cached per note: the code is the one choose_note
    fits (same border and level), drawn at every size the note is chosen for."""
    matrix = qr_matrix(note)
    return tuple(matrix_lines(matrix)) if matrix is not None else ()


class QrCode(Widget):
    """The largest fitting QR code of the candidate notes, centred; a message when none fits.

    Args:
        notes: candidate texts, any order (the longest that fits is drawn), or one text.
        message: shown instead of the code when no candidate fits (in the visitor's language).
        rtl: whether the message is right-to-left text.
        rtl_mode: site.rtl_mode ("reorder" or "terminal").
    """

    DEFAULT_CSS: ClassVar[str] = """
    QrCode {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(
        self,
        notes: Sequence[str] | str = (),
        message: str = "",
        *,
        rtl: bool = False,
        rtl_mode: str = REORDER,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._notes: tuple[str, ...] = (notes,) if isinstance(notes, str) else tuple(notes)
        self._message = message
        self._rtl = rtl
        self._rtl_mode = rtl_mode
        self._chosen: tuple[str, Matrix] | None = None
        self._chosen_lines: tuple[str, ...] = ()
        self._chosen_for: tuple[int, int] | None = None
        self._strips: list[Strip] = []
        self._strips_for: tuple[object, ...] | None = None

    def set_notes(
        self, notes: Sequence[str] | str, message: str | None = None, rtl: bool | None = None
    ) -> None:
        """Replace the candidate notes (and the message) and redraw."""
        self._notes = (notes,) if isinstance(notes, str) else tuple(notes)
        if message is not None:
            self._message = message
        if rtl is not None:
            self._rtl = rtl
        self._chosen_for = None
        self._strips_for = None
        self.refresh(layout=True)

    def _choose(self, width: int, height: int) -> tuple[str, Matrix] | None:
        if self._chosen_for != (width, height):
            self._chosen = _fitting(self._notes, width, height)
            self._chosen_lines = _code_rows(self._chosen[0]) if self._chosen else ()
            self._chosen_for = (width, height)
        return self._chosen

    @property
    def note(self) -> str | None:
        """The text encoded in the code shown now; None when the message is shown instead."""
        chosen = self._choose(*self.content_size)
        return chosen[0] if chosen else None

    @property
    def matrix(self) -> Matrix | None:
        """The modules shown now (True = dark, quiet zone included); None when none fits."""
        chosen = self._choose(*self.content_size)
        return [list(row) for row in chosen[1]] if chosen else None

    def code_lines(self) -> list[str]:
        """The code's text rows as drawn (half blocks), or [] when the message is shown."""
        self._choose(*self.content_size)
        return list(self._chosen_lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        chosen = self._choose(container.width, max(container.height, viewport.height))
        return cells_needed(len(chosen[1]))[0] if chosen else container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        chosen = self._choose(width, max(container.height, viewport.height))
        return cells_needed(len(chosen[1]))[1] if chosen else 3

    def _message_lines(self, width: int) -> list[str]:
        return display_lines(self._message, width, self._rtl_mode, rtl=self._rtl)

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        base = self.visual_style.rich_style
        self._choose(width, height)
        key = (width, height, base, self._chosen_lines, self._message, self._rtl, self._rtl_mode)
        if self._strips_for != key:
            self._strips = self._build_strips(width, height, base)
            self._strips_for = key
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, base)

    def _build_strips(self, width: int, height: int, base: Style) -> list[Strip]:
        """Every line of the region: the code (or the message) centred, blank lines around."""
        code = self._chosen_lines
        if code:
            lines, style = code, CODE_STYLE
        else:
            lines, style = self._message_lines(width)[:height], base
        top = max(0, (height - len(lines)) // 2)
        blank = Strip.blank(width, base)
        strips = [blank] * height
        for row, text in enumerate(lines):
            if not 0 <= top + row < height:
                break
            left = max(0, (width - cell_len(text)) // 2)
            right = max(0, width - left - cell_len(text))
            segments = [Segment(" " * left, base), Segment(text, style), Segment(" " * right, base)]
            strips[top + row] = Strip(segments, width).crop(0, width)
        return strips
