"""Status line: the staff app's one row of warnings (damaged file, printer, clock, ...).

Warnings are keyed, so each part of the app sets and clears its own without touching the
others': `app.set_warning("printer", "Drucker antwortet nicht")`, `app.set_warning("printer",
None)`. The line is exactly one row high and hidden while there is nothing to say, so however
many warnings there are the queue below never moves further down than one row.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

SEPARATOR = "  ·  "
MARK = "⚠ "


class StatusLine(Static):
    """Shows the warnings it is given, newest last, cut with an ellipsis at the right edge."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $error 40%;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.warnings: dict[str, str] = {}

    def show(self, warnings: Mapping[str, str]) -> None:
        """Replace the warnings shown (key -> one sentence)."""
        self.warnings = dict(warnings)
        self.display = bool(self.warnings)
        self.update(Text(MARK + SEPARATOR.join(self.warnings.values()), end=""))
