"""Test helper: turn half-block text (widget lines or a Textual SVG screenshot) into pixels and
decode QR codes from it with zxing-cpp.

Exact rasterizing, no font rendering: every character cell becomes two square pixel blocks
stacked (upper and lower half). For half blocks the upper/lower half takes the cell's foreground
colour where the character inks it ("▀" upper, "▄" lower, "█" both) and the background colour
elsewhere; any other character counts as background (text glyphs are not QR modules). A half is
dark when its colour's luminance is below the middle grey.

Textual's SVG export (rich's Console.export_svg) writes one <rect fill=...> per run of cells with a
background and one <text class=...> per run of characters, at x = column * 12.2 and
y = row * 24.4 (+1.5 for rects, +20 for text); the text colour is the class's `fill` in <style>.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import zxingcpp
from PIL import Image
from rich.cells import cell_len

CHAR_HEIGHT = 20.0  # rich export_svg defaults
CHAR_WIDTH = CHAR_HEIGHT * 0.61
LINE_HEIGHT = CHAR_HEIGHT * 1.22

UPPER = {"▀", "█"}
LOWER = {"▄", "█"}

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


@dataclass
class Cell:
    char: str = " "
    fg: tuple[int, int, int] = BLACK
    bg: tuple[int, int, int] = WHITE


def _hex(color: str) -> tuple[int, int, int]:
    color = color.strip().lstrip("#")
    if len(color) == 3:
        color = "".join(c * 2 for c in color)
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _dark(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def grid_from_lines(lines: list[str]) -> list[list[Cell]]:
    """Cells for plain half-block lines: black ink on white (what QrCode draws)."""
    width = max((len(line) for line in lines), default=0)
    return [[Cell(ch) for ch in line.ljust(width)] for line in lines]


def grid_from_svg(svg: str) -> list[list[Cell]]:
    """The character cells of a Textual/rich SVG screenshot: character, text colour, background."""
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    style_text = "".join(el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}style"))
    class_fill = {
        name: _hex(fill)
        for name, fill in re.findall(
            r"\.([\w-]+)\s*\{[^}]*?fill:\s*(#[0-9a-fA-F]{3,6})", style_text
        )
    }
    rects = root.findall(".//svg:rect", ns)
    default_bg = WHITE
    for rect in rects:  # the terminal window's chrome: the default background
        if rect.get("rx") is not None and rect.get("fill"):
            default_bg = _hex(rect.get("fill", "#ffffff"))
            break
    backgrounds = [r for r in rects if r.get("shape-rendering") == "crispEdges"]
    texts = [t for t in root.findall(".//svg:text", ns) if t.get("clip-path")]

    rows = 0
    cols = 0
    for rect in backgrounds:
        row = round((float(rect.get("y", 0)) - 1.5) / LINE_HEIGHT)
        end = round((float(rect.get("x", 0)) + float(rect.get("width", 0))) / CHAR_WIDTH)
        rows, cols = max(rows, row + 1), max(cols, end)
    for text in texts:
        row = round((float(text.get("y", 0)) - CHAR_HEIGHT) / LINE_HEIGHT)
        rows = max(rows, row + 1)

    grid = [[Cell(" ", BLACK, default_bg) for _ in range(cols)] for _ in range(rows)]
    for rect in backgrounds:
        row = round((float(rect.get("y", 0)) - 1.5) / LINE_HEIGHT)
        first = round(float(rect.get("x", 0)) / CHAR_WIDTH)
        count = round(float(rect.get("width", 0)) / CHAR_WIDTH)
        color = _hex(rect.get("fill", "#ffffff"))
        for col in range(first, min(first + count, cols)):
            grid[row][col].bg = color
    for text in texts:
        row = round((float(text.get("y", 0)) - CHAR_HEIGHT) / LINE_HEIGHT)
        col = round(float(text.get("x", 0)) / CHAR_WIDTH)
        fg = next(
            (class_fill[c] for c in (text.get("class") or "").split() if c in class_fill), BLACK
        )
        content = html.unescape("".join(text.itertext())).replace("\xa0", " ")
        for char in content:
            if char < " ":  # line ends and other control characters take no cell
                continue
            width = cell_len(char)
            if width == 0:  # a combining mark belongs to the cell before
                if 0 < col <= cols:
                    grid[row][col - 1].char += char
                continue
            if 0 <= col < cols:
                grid[row][col].char = char
                grid[row][col].fg = fg
            col += width
    return grid


def grid_from_ansi(text: str, width: int, height: int) -> list[list[Cell]]:
    """Cells of a terminal screen captured with escape codes (`tmux capture-pane -p -e -N`),
    parsed by pyte. Default colours count as white text on black (a dark terminal)."""
    import pyte

    screen = pyte.Screen(width, height)
    # capture-pane ends every row with "\n"; a final one would scroll the first row away.
    pyte.Stream(screen).feed(text.rstrip("\n").replace("\n", "\r\n"))

    def color(name: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
        if name == "default":
            return default
        named = {"black": BLACK, "white": WHITE}
        if name in named:
            return named[name]
        try:
            return _hex(name)
        except ValueError:
            return default

    grid = []
    for y in range(height):
        row = []
        for x in range(width):
            char = screen.buffer[y][x]
            fg, bg = color(char.fg, WHITE), color(char.bg, BLACK)
            if char.reverse:
                fg, bg = bg, fg
            row.append(Cell(char.data or " ", fg, bg))
        grid.append(row)
    return grid


def text_rows(grid: list[list[Cell]]) -> list[str]:
    """The characters of the grid, one string per row (for asserting on what the screen shows)."""
    return ["".join(cell.char for cell in row) for row in grid]


def rasterize(grid: list[list[Cell]], scale: int = 8, margin: int = 0) -> Image.Image:
    """A greyscale image: each cell -> two `scale` x `scale` blocks (upper, lower half).

    `margin` adds that many white half-cell blocks around (0 = judge the screen as it is).
    """
    rows = len(grid)
    cols = max((len(row) for row in grid), default=0)
    width = (cols + 2 * margin) * scale
    height = (rows * 2 + 2 * margin) * scale
    image = Image.new("L", (width, height), 255)
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            upper = cell.fg if cell.char in UPPER else cell.bg
            lower = cell.fg if cell.char in LOWER else cell.bg
            for half, color in ((0, upper), (1, lower)):
                if _dark(color):
                    left = (x + margin) * scale
                    top = (y * 2 + half + margin) * scale
                    image.paste(0, (left, top, left + scale, top + scale))
    return image


def decode_image(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp finds in the image, as text."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if result.valid
    ]


def decode_lines(lines: list[str], scale: int = 8, margin: int = 0) -> list[str]:
    """Decode half-block text lines (dark ink on white), e.g. QrCode.code_lines()."""
    return decode_image(rasterize(grid_from_lines(lines), scale, margin))


def decode_svg(svg: str, scale: int = 8) -> list[str]:
    """Decode every QR code on a Textual SVG screenshot (app.export_screenshot())."""
    return decode_image(rasterize(grid_from_svg(svg), scale))


def matrix_from_lines(lines: list[str]) -> list[list[bool]]:
    """The module matrix back from half-block lines (dark = True), two module rows per line."""
    matrix: list[list[bool]] = []
    for line in lines:
        matrix.append([ch in UPPER for ch in line])
        matrix.append([ch in LOWER for ch in line])
    return matrix
