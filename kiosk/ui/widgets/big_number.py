"""Big ticket number: "A-001" in a block font of our own, every letter A-Z, digit 0-9 and "-"
(and "." and "/" for desk names on the public display).

Textual's Digits draws only 0-9 and A-F. Three sizes, the largest that fits the region is drawn:

- large:  5x7 pixel font, a pixel = two full blocks, 7 rows ("A-001": 58 columns)
- medium: the same font with half blocks, a pixel = one cell wide, half a cell tall, 4 rows
  (29 columns)
- small:  a 3x5 pixel font (M, N, W wider) with half blocks, 3 rows (19 columns)
- text:   the plain number, 1 row

so the number is always fully visible. Terminal cells are about twice as tall as wide, so both
pixel shapes come out square.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

# 5 wide x 7 tall; "#" = ink. Letters that look alike in block fonts are told apart on purpose:
# O is round, 0 has a slash; I has serifs, 1 a flag; S and 5, Z and 2, B and 8 differ in shape.
FONT_7: dict[str, tuple[str, ...]] = {
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".###."),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": (".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    "-": ("....", "....", "....", "####", "....", "....", "...."),
    # For desk names on the display ("Raum 1.04", "Raum 2/3"); ticket numbers never use them.
    ".": ("..", "..", "..", "..", "..", "##", "##"),
    "/": ("....#", "....#", "...#.", "..#..", ".#...", "#....", "#...."),
    " ": ("..", "..", "..", "..", "..", "..", ".."),
}

# 3 wide x 5 tall (M, N, W wider so they stay readable).
FONT_5: dict[str, tuple[str, ...]] = {
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("##.", "..#", ".#.", "#..", "###"),
    "3": ("##.", "..#", ".#.", "..#", "##."),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "##.", "..#", "##."),
    "6": (".##", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "##."),
    "-": ("...", "...", "###", "...", "..."),
    ".": (".", ".", ".", ".", "#"),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    " ": (".", ".", ".", ".", "."),
}

SIZES = ("large", "medium", "small", "text")

_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def supported(number: str) -> bool:
    """Whether every character of `number` has a glyph in the block fonts."""
    return all(char in FONT_7 and char in FONT_5 for char in number.upper())


def _bitmap(number: str, font: dict[str, tuple[str, ...]], gap: int) -> list[str]:
    """The pixel rows of `number` set in `font`, glyphs `gap` pixels apart."""
    glyphs = [font[char] for char in number.upper()]
    height = len(glyphs[0])
    spacer = "." * gap
    return [spacer.join(glyph[row] for glyph in glyphs) for row in range(height)]


def _full_blocks(bitmap: list[str]) -> list[str]:
    """A pixel = two full blocks side by side, one row."""
    return ["".join("██" if p == "#" else "  " for p in row) for row in bitmap]


def _half_blocks(bitmap: list[str]) -> list[str]:
    """A pixel = one cell wide, half a cell tall: two pixel rows per text row."""
    rows = list(bitmap)
    if len(rows) % 2:
        rows.append("." * len(rows[0]))
    return [
        "".join(_HALF[(a == "#", b == "#")] for a, b in zip(top, bottom, strict=True))
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


def render_number(number: str, size: str) -> list[str]:
    """The text rows drawing `number` at `size` ("large", "medium", "small" or "text")."""
    return list(_drawing(number, size))


# The drawings are cached: layout asks for the dimensions of every size (to pick the largest
# that fits) at each width it tries, and the frame for the rows, again for the same number.
@lru_cache(maxsize=64)
def _drawing(number: str, size: str) -> tuple[str, ...]:
    if not number:
        return ("",)
    if size == "text" or not supported(number):
        return (number,)
    if size == "large":
        return tuple(_full_blocks(_bitmap(number, FONT_7, gap=1)))
    if size == "medium":
        return tuple(_half_blocks(_bitmap(number, FONT_7, gap=1)))
    if size == "small":
        return tuple(_half_blocks(_bitmap(number, FONT_5, gap=1)))
    raise ValueError(f"unknown size {size!r}")


@lru_cache(maxsize=64)
def dimensions(number: str, size: str) -> Size:
    """(columns, rows) `number` takes at `size`."""
    rows = _drawing(number, size)
    return Size(max(cell_len(row) for row in rows), len(rows))


@lru_cache(maxsize=64)
def best_size(number: str, width: int, height: int | None = None) -> str:
    """The largest size whose drawing fits `width` (and `height`, when given); "text" at least."""
    for size in SIZES:
        columns, rows = dimensions(number, size)
        if columns <= width and (height is None or rows <= height):
            return size
    return "text"


class BigNumber(Widget):
    """A ticket number drawn large, in the largest block size that fits, centred.

    Falls back to smaller block fonts, then to plain text, so the whole number is always shown.
    """

    DEFAULT_CSS: ClassVar[str] = """
    BigNumber {
        width: 1fr;
        height: auto;
        content-align: center middle;
        text-align: center;
        text-style: bold;
    }
    """

    number: reactive[str] = reactive("", layout=True)
    """The ticket number, e.g. "A-001"."""

    def __init__(
        self,
        number: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(BigNumber.number, number)

    @property
    def size_name(self) -> str:
        """The size drawn now: "large", "medium", "small" or "text"."""
        width, height = self.content_size
        return best_size(self.number, width, height or None)

    def rendered_lines(self) -> list[str]:
        """The text rows as drawn now (for tests and for the visitor screen's layout)."""
        return render_number(self.number, self.size_name)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return dimensions(self.number, best_size(self.number, container.width)).width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return dimensions(self.number, best_size(self.number, width)).height

    def render(self) -> Content:
        return Content("\n".join(self.rendered_lines()))
