"""Scaled number: BigNumber's block font, drawn two or more times larger when the screen has room.

The public display runs on anything from an 80x24 terminal to a wall screen. BigNumber's largest
size (7 rows) would leave most of a big screen empty, so this draws that size with every pixel
repeated `k` times across and down, for the largest whole `k` that fits. Same font, same glyphs.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from textual.geometry import Size

from kiosk.ui.widgets.big_number import BigNumber, best_size, render_number, supported

# German letters the block font lacks, written as German signs do without them.
FOLDED = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ẞ": "SS"}


def drawable(name: str) -> str:
    """`name` in capitals the block font can draw: "Büro 2" -> "BUERO 2", "Salle é" -> "SALLE E".

    Names with other characters (Cyrillic, "1.04") come back merely in capitals; BigNumber then
    shows them as plain text, which is small but readable.
    """
    upper = "".join(FOLDED.get(char, char) for char in name.upper())
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(char)
    )
    return plain if supported(plain) else upper


def scale_lines(lines: list[str], factor: int) -> list[str]:
    """Each cell repeated `factor` times across, each row `factor` times down."""
    if factor <= 1:
        return lines
    wide = ["".join(char * factor for char in line) for line in lines]
    return [row for row in wide for _ in range(factor)]


def fitting_factor(number: str, width: int, height: int) -> int:
    """The largest whole factor at which the "large" drawing of `number` fits width x height.

    1 for a text the block font cannot draw: BigNumber shows that as one plain line, and
    repeating its letters would turn "Büro" into "BBBBÜÜÜÜ...".
    """
    if not number or not supported(number) or best_size(number, width, height) != "large":
        return 1
    lines = render_number(number, "large")
    columns = max(cell_len(line) for line in lines)
    return max(1, min(width // columns, height // len(lines)))


class ScaledNumber(BigNumber):
    """A BigNumber that grows beyond its largest size on large screens (height from the layout)."""

    DEFAULT_CSS = """
    ScaledNumber {
        height: 1fr;
    }
    """

    @property
    def factor(self) -> int:
        width, height = self.content_size
        return fitting_factor(self.number, width, height)

    def rendered_lines(self) -> list[str]:
        lines = super().rendered_lines()
        if self.size_name != "large":
            return lines
        return scale_lines(lines, self.factor)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, container.height)
