"""Key bar: Textual's Footer, with the keys wrapped into as many rows as the width needs.

The stock Footer puts every key in one row, so at 80 columns most of the staff app's fourteen
keys would be cut off. This one packs the keys left to right into rows that fit the width.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer

GAP = 1  # cells between two keys


class KeyBar(Footer):
    DEFAULT_CSS = """
    KeyBar {
        layout: vertical;
        height: auto;
    }
    KeyBar HorizontalGroup {
        height: 1;
    }
    KeyBar FooterKey, KeyBar.-compact FooterKey {
        width: auto;
        margin: 0 1 0 0;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, show_command_palette=False)
        self._packed_for = 0

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width or 80
        self._packed_for = width
        rows: list[list] = [[]]
        used = 0
        for key in super().compose():
            needed = (
                cell_len(getattr(key, "key_display", ""))
                + 1
                + cell_len(getattr(key, "description", ""))
                + GAP
            )
            if rows[-1] and used + needed > width + GAP:
                rows.append([])
                used = 0
            rows[-1].append(key)
            used += needed
        for row in rows:
            if row:
                yield HorizontalGroup(*row)

    def on_resize(self) -> None:
        if self.size.width and self.size.width != self._packed_for:
            self.call_after_refresh(self.recompose)
