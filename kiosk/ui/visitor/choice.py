"""A large tappable choice (language or topic): its digit, a bold title and optional detail lines.

Right-to-left titles are wrapped, shaped and reordered per line at render time (kiosk.ui.rtl)
and right-aligned, with the digit on the right where such a reader starts.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from kiosk.ui.rtl import REORDER, display_lines


class Choice(Widget, can_focus=True, inherit_bindings=False):
    """One choice; posts `Choice.Selected` on a tap, Enter or Space when available, and
    `Choice.Unavailable` on a tap or its digit when not (the screen says why).

    An unavailable choice takes no focus: Tab and the arrows pass over it, so Enter can never
    rest on something that cannot be chosen.
    """

    BINDINGS = [
        Binding("enter,space", "select", show=False, id="choice.select"),
    ]

    class Selected(Message):
        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> Choice:
            return self.choice

    class Unavailable(Message):
        """Tapped or picked by its digit while it cannot be chosen."""

        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(
        self,
        value: str,
        digit: int,
        title: str,
        detail: str = "",
        *,
        rtl: bool = False,
        rtl_mode: str = REORDER,
        available: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.value = value
        self.digit = digit
        self.title = title
        self.detail = detail
        self.rtl = rtl
        self.rtl_mode = rtl_mode
        self.available = available
        self.can_focus = available
        self.max_lines: int | None = None
        """At most this many lines (title included), the last cut with "…"; None: all."""
        # Not styled now (update=False): it is styled when mounted, and styling it twice for
        # each right-to-left choice cost the start screen about 1 ms.
        self.set_class(not available, "-unavailable", update=False)
        self.set_class(rtl, "-rtl", update=False)

    def update(
        self, *, title: str | None = None, detail: str | None = None, available: bool | None = None
    ) -> None:
        if title is not None:
            self.title = title
        if detail is not None:
            self.detail = detail
        if available is not None:
            self.available = available
            self.can_focus = available
            self.set_class(not available, "-unavailable")
            if not available and self.has_focus:
                # Focus never rests on a choice that stopped being available: Enter there
                # would do nothing, and the yellow frame would say it can still be chosen.
                self.screen.set_focus(None)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[tuple[str, bool]]:
        """(display line, is title) pairs for `width` cells."""
        width = max(4, width)
        lines: list[tuple[str, bool]] = []
        for line in display_lines(f"{self.digit}  {self.title}", width, self.rtl_mode, self.rtl):
            lines.append((line, True))
        if self.detail:
            for line in display_lines(self.detail, width, self.rtl_mode, self.rtl):
                lines.append((line, False))
        if self.max_lines is not None and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last, is_title = lines[-1]
            cut = last[: max(0, width - 1)].rstrip()
            lines[-1] = ("…" + cut.lstrip() if self.rtl else cut + "…", is_title)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(cell_len(line) for line, _ in self._lines(container.width))

    def render(self) -> Text:
        width = self.content_size.width
        out = Text(no_wrap=True, overflow="crop")
        for index, (line, is_title) in enumerate(self._lines(width)):
            if index:
                out.append("\n")
            pad = max(0, width - cell_len(line)) if self.rtl else 0
            out.append(" " * pad)
            out.append(line, Style(bold=True) if is_title else Style())
        return out

    def action_select(self) -> None:
        self.select()

    def select(self) -> None:
        self.post_message(self.Selected(self) if self.available else self.Unavailable(self))

    def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.select()
