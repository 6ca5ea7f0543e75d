"""Right-to-left text for terminals: kiosk.core.bidi_text measured in terminal cells.

The shaping and ordering live in the core (the printed ticket uses them too, measured in
pixels); screens wrap by cells as rich counts them, wide and zero-width characters included.
"""

from __future__ import annotations

from rich.cells import cell_len

from kiosk.core import bidi_text
from kiosk.core.bidi_text import (
    REORDER,
    RTL_MODES,
    TERMINAL,
    has_rtl,
    isolate_ltr_runs,
    ltr_runs,
    shape,
    visual_line,
)

__all__ = [
    "REORDER",
    "RTL_MODES",
    "TERMINAL",
    "display_lines",
    "has_rtl",
    "isolate_ltr_runs",
    "ltr_runs",
    "shape",
    "visual_line",
    "wrap",
]


def wrap(text: str, width: int, shaped: bool = True) -> list[str]:
    """Word-wrap logical text to `width` cells, measured after shaping (see bidi_text.wrap)."""
    return bidi_text.wrap(text, width, cell_len, shaped)


def display_lines(
    text: str, width: int, rtl_mode: str = REORDER, rtl: bool | None = None
) -> list[str]:
    """Logical `text` wrapped to `width` cells, each line in display order (see
    bidi_text.display_lines). Lines are not padded: the widget aligns them."""
    return bidi_text.display_lines(text, width, cell_len, rtl_mode, rtl)
