"""The corner button that starts speech mode on a touch screen (the 0 key's twin).

A wide button on the top row, in the corner where a reader of the screen's language does not
start (right for left-to-right, left for right-to-left; on the ticket beside the QR code, never
on it), on every visitor screen, drawn above the content without moving it: one row, which in
the browser kiosk is a finger tall and a hand wide. Its word is in the visitor's language, before a language
is chosen in German and English; the loudspeaker sign says it without words.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Button

from kiosk.ui.rtl import visual_line

SPEAKER_SIGN = "🔊"


class SpeechButton(Button):
    """Starts speech mode (or says the screen again) when tapped. Styled in visitor.tcss."""

    @classmethod
    def add_to(cls, screen: Screen) -> None:
        """Mount the button on `screen` once (called when the screen becomes current)."""
        if not screen.query(SpeechButton):
            screen.mount(cls(id="speech-button"))

    def __init__(self, id: str | None = None) -> None:
        super().__init__(SPEAKER_SIGN, id=id)
        self.can_focus = False  # Tab and the arrows stay with the screen's own controls

    def on_mount(self) -> None:
        app = self.app
        lang = getattr(app, "lang", None)
        if lang is None:
            words = "/".join(dict.fromkeys(app.t("read_aloud", code) for code in ("de", "en")))  # type: ignore[attr-defined]
            rtl = False
        else:
            words = app.t("read_aloud")  # type: ignore[attr-defined]
            rtl = app.language().rtl  # type: ignore[attr-defined]
        self.rtl = rtl
        # The sign goes first in reading order: on the right of a right-to-left label.
        self.label = (
            f"{visual_line(words, True)} {SPEAKER_SIGN}" if rtl else f"{SPEAKER_SIGN} {words}"
        )
        self._place()
        self.watch(self.screen, "size", lambda _size: self._place(), init=False)

    def _place(self) -> None:
        width = self.outer_size.width or len(str(self.label)) + 4
        left, right = 0, self.screen.size.width
        for code in self.screen.query("#qr-side"):  # the ticket: keep off the code
            if code.region.width:
                if self.rtl:
                    left = code.region.right + 1
                else:
                    right = code.region.x - 1
        x = left if self.rtl else max(left, right - width)
        self.styles.offset = (x, 0)

    def on_resize(self, event: events.Resize) -> None:
        self._place()

    def press(self) -> SpeechButton:
        self.app.action_speech()  # type: ignore[attr-defined]
        return self
