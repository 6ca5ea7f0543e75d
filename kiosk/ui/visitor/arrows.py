"""Arrow keys over a grid of choices as it is drawn: up/down by rows, left/right by columns.

Textual's focus chain follows the order of the widgets, which is reading order for left-to-right
screens but mirrored pairs (2, 1, 4, 3 ...) on right-to-left topic screens, and "next" is not
"down" in a grid of two or three columns. So the visitor screens move the focus by position:
choices are numbered in reading order (their digits), laid out `columns` per row, right to left
when `rtl`; a row of controls (back, language) may sit below them, listed left to right.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTROL = "control"
CHOICE = "choice"


@dataclass(frozen=True)
class Spot:
    """Where the focus is or goes: the n-th choice in reading order or the n-th control from
    the left."""

    kind: str
    index: int


def _visual_column(index: int, columns: int, rtl: bool) -> int:
    column = index % columns
    return columns - 1 - column if rtl else column


def _choice_at(row: int, visual_column: int, columns: int, rtl: bool, count: int) -> int:
    column = columns - 1 - visual_column if rtl else visual_column
    return min(row * columns + column, count - 1)


def arrow_target(
    current: Spot | None,
    dx: int,
    dy: int,
    *,
    count: int,
    columns: int,
    rtl: bool = False,
    controls: int = 0,
) -> Spot | None:
    """Where an arrow key moves the focus; None to stay.

    Args:
        current: the focused spot, or None when nothing is focused (any arrow then goes to the
            first choice).
        dx, dy: -1, 0 or 1: left/right and up/down on the screen.
        count: number of choices; columns: choices per row.
        rtl: rows run right to left (the first choice is at the right).
        controls: number of controls in the row below the choices.
    """
    if count <= 0:
        return Spot(CONTROL, 0) if current is None and controls else None
    columns = max(1, columns)
    rows = (count + columns - 1) // columns
    if current is None:
        return Spot(CHOICE, 0)
    if current.kind == CONTROL:
        if dx:
            target = current.index + dx
            return Spot(CONTROL, target) if 0 <= target < controls else None
        if dy < 0:
            visual = current.index * columns // max(1, controls)
            return Spot(CHOICE, _choice_at(rows - 1, visual, columns, rtl, count))
        return None
    index = current.index
    row = index // columns
    visual = _visual_column(index, columns, rtl)
    if dx:
        target_visual = visual + dx
        if not 0 <= target_visual < columns:
            return None
        column = columns - 1 - target_visual if rtl else target_visual
        target = row * columns + column
        return Spot(CHOICE, target) if target < count else None
    if dy < 0:
        return Spot(CHOICE, index - columns) if row > 0 else None
    if row + 1 < rows:
        return Spot(CHOICE, _choice_at(row + 1, visual, columns, rtl, count))
    if controls:
        return Spot(CONTROL, min(controls - 1, visual * controls // columns))
    return None
