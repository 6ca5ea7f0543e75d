"""Previous call: one earlier call ("A-004 → Raum 1"), as a plain line or in the small block font.

On an 80x24 terminal the earlier calls are plain lines below the newest one. On a wall screen a
plain line is too small to read across the waiting room, so the board switches every earlier
call to BigNumber's small block font (3 rows) when the screen has the room (`blocks = True`).
A call that cannot be drawn in blocks (a desk name with characters the font lacks, or too long
for its column) stays a plain line.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kiosk.ui.display.scaled_number import drawable
from kiosk.ui.widgets.big_number import render_number, supported

ARROW = "▶"
BLOCK_ROWS = 3  # the small block font


def block_lines(number: str, desk: str) -> list[str] | None:
    """`number ▶ DESK` in the small block font, or None when the font cannot draw it."""
    desk = drawable(desk)
    if not number or not desk or not supported(number) or not supported(desk):
        return None
    left = render_number(number, "small")
    right = render_number(desk, "small")
    middle = len(left) // 2
    return [
        f"{a}  {ARROW if row == middle else ' '}  {b}"
        for row, (a, b) in enumerate(zip(left, right, strict=True))
    ]


def block_width(number: str, desk: str) -> int | None:
    lines = block_lines(number, desk)
    return max(cell_len(line) for line in lines) if lines else None


class PreviousCall(Widget):
    """An earlier call; empty when there is none for this place in the list."""

    DEFAULT_CSS = """
    PreviousCall {
        width: 1fr;
        height: auto;
    }
    """

    number: reactive[str] = reactive("", layout=True)
    desk: reactive[str] = reactive("", layout=True)
    """The desk's name as the config has it ("Raum 1"), drawn in capitals in block mode."""
    blocks: reactive[bool] = reactive(False, layout=True)
    """Draw in the block font when it fits (the board decides by screen size)."""

    def _lines(self, width: int) -> list[str] | None:
        if not self.blocks:
            return None
        lines = block_lines(self.number, self.desk)
        if lines is None or max(cell_len(line) for line in lines) > width:
            return None
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        lines = self._lines(width)
        return len(lines) if lines else 1

    def render(self) -> Text:
        if not self.number:
            return Text("")
        lines = self._lines(self.content_size.width)
        if lines:
            return Text("\n".join(lines), style="bold", no_wrap=True)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(self.number, style="bold")
        line.append("  →  ")
        line.append(self.desk)
        return line

    def plain(self) -> str:
        """What the call says, whatever the drawing (for tests)."""
        return f"{self.number}  →  {self.desk}" if self.number else ""
