"""A label for visitor text in any direction: re-wrapped and put in display order on each resize.

Takes logical text. For right-to-left languages (rtl_mode "reorder") every wrapped line is shaped
and reordered by kiosk.ui.rtl and right-aligned; with rtl_mode "terminal" the wrapped logical
lines are handed to a terminal that does its own bidi. Left-to-right text is wrapped the same way
(so both directions wrap identically) and aligned by the widget's `text-align`; right-to-left
text is flush right unless `text-align` is center (or right).
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kiosk.ui.rtl import REORDER, display_lines


@lru_cache(maxsize=512)
def _lines(text: str, width: int, rtl: bool, rtl_mode: str) -> tuple[str, ...]:
    return tuple(display_lines(text, width, rtl_mode, rtl=rtl))


class BidiLabel(Widget):
    """Static-like text widget that wraps and orders per line, right-aligned when right-to-left.

    Args:
        text: logical text ("\n" starts a new paragraph); no markup is interpreted.
        rtl: the text's language is written right to left.
        rtl_mode: site.rtl_mode: "reorder" (we order) or "terminal" (the terminal orders).
    """

    DEFAULT_CSS: ClassVar[str] = """
    BidiLabel {
        width: 1fr;
        height: auto;
    }
    """

    text: reactive[str] = reactive("", layout=True)
    """The logical text shown."""
    rtl: reactive[bool] = reactive(False, layout=True)
    """Right-to-left text: shaped, reordered and right-aligned."""
    rtl_mode: reactive[str] = reactive(REORDER, layout=True)
    """"reorder" or "terminal" (site.rtl_mode)."""

    def __init__(
        self,
        text: str = "",
        *,
        rtl: bool = False,
        rtl_mode: str = REORDER,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.set_reactive(BidiLabel.text, text)
        self.set_reactive(BidiLabel.rtl, rtl)
        self.set_reactive(BidiLabel.rtl_mode, rtl_mode)
        self.set_class(rtl, "-rtl")

    def update(self, text: str, rtl: bool | None = None) -> None:
        """Show new logical text (and direction, when given)."""
        if rtl is not None:
            self.rtl = rtl
        self.text = text

    def watch_rtl(self, rtl: bool) -> None:
        self.set_class(rtl, "-rtl")

    def display_lines(self, width: int | None = None) -> list[str]:
        """The lines as drawn (visual order, unpadded) at `width` (default: the content width)."""
        if width is None:
            width = self.content_size.width
        return list(_lines(self.text, max(1, width), self.rtl, self.rtl_mode))

    @property
    def _right_aligned(self) -> bool:
        return self.rtl and self.rtl_mode == REORDER

    def get_content_width(self, container: Size, viewport: Size) -> int:
        lines = self.display_lines(container.width)
        return max((cell_len(line) for line in lines), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.display_lines(width)) if width else 0

    def render(self) -> Content:
        width = self.content_size.width
        lines = self.display_lines(width)
        if self._right_aligned and self.styles.text_align not in ("center", "right", "end"):
            # Right-to-left text starts at the right: "start" (the default), "left" and "justify"
            # all mean flush right. Padded here rather than by text-align, so each line stays as
            # ordered, cell for cell. "center" (headings) is left to text-align.
            lines = [" " * max(0, width - cell_len(line)) + line for line in lines]
        return Content("\n".join(lines))
