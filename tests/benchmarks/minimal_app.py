"""The baseline: the smallest Textual app that draws the marker the kiosk's first screen draws.

`python tests/benchmarks/minimal_app.py` shows one Static holding "Українська" (the marker the
cold-start benchmark waits for in both programs); the key "1" pushes a bare screen with one Static
("BARE SCREEN"), the key "2" pops it: the baseline of a screen switch in a terminal.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

MARKER = "Українська"
BARE = "BARE SCREEN"


class BareScreen(Screen):
    BINDINGS = [Binding("2", "app.pop_screen", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(BARE)


class MinimalApp(App):
    BINDINGS = [Binding("1", "bare", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)

    def action_bare(self) -> None:
        self.push_screen(BareScreen())


if __name__ == "__main__":
    MinimalApp().run()
