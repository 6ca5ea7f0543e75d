"""The "Need more time?" prompt (WCAG 2.2.1): shown before a visitor screen times out.

Any key or a tap anywhere on it gives the full time again (the key does nothing else); without
one the kiosk starts over when the time is up, as before. In speech mode it is read aloud.
The app pushes it and counts down (VisitorApp.check_visitor_idle).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kiosk.ui.visitor.text import label


class MoreTimeScreen(ModalScreen[None], inherit_bindings=False):
    CSS_PATH = "more_time.tcss"
    BINDINGS = []

    def __init__(self, seconds_left: float) -> None:
        super().__init__()
        self.seconds_left = seconds_left

    def compose(self) -> ComposeResult:
        app = self.app
        language = app.language()  # type: ignore[attr-defined]
        mode = app.config.site.rtl_mode  # type: ignore[attr-defined]
        self.set_class(language.rtl, "-rtl")
        with Vertical(id="more-time-box"):
            yield label(
                app.t("more_time"),  # type: ignore[attr-defined]
                rtl=language.rtl,
                rtl_mode=mode,
                id="more-time-question",
            )
            yield label(
                app.t("more_time_hint"),  # type: ignore[attr-defined]
                rtl=language.rtl,
                rtl_mode=mode,
                id="more-time-hint",
            )
            yield Static(self._countdown(), id="more-time-seconds")

    def _countdown(self) -> str:
        return f"⏱ {max(0, round(self.seconds_left))}"

    def set_remaining(self, seconds_left: float) -> None:
        self.seconds_left = seconds_left
        if self.is_mounted:
            self.query_one("#more-time-seconds", Static).update(self._countdown())

    def on_key(self, event: events.Key) -> None:
        # The key only asks for more time: it must not pick, confirm or go back underneath.
        event.stop()
        event.prevent_default()
        self._extend()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self._extend()

    def _extend(self) -> None:
        self.app.extend_time()  # type: ignore[attr-defined]
        self.dismiss()
