"""Corner buttons of the browser kiosk: speech mode on a touch screen (the 0 key's twin) and
large text (EN 301 549 5.1.4).

One-row buttons on the top edge, in the corner where a reader of the screen's language does not
start (right for left-to-right, left for right-to-left; on the ticket beside the QR code, never
on it), on every visitor screen, drawn above the content without moving it. In the browser a
row is a finger tall. Their words are in the visitor's language, before a language is chosen in
German and English; a sign says it without words.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.screen import Screen
from textual.widgets import Button

from kiosk.ui.rtl import visual_line

SPEAKER_SIGN = "🔊"
LARGE_TEXT_SIGN = "A+"
WIDE_SCREEN = 100
"""Columns from which the buttons say their words in German and English (the start screen)."""
NARROW_SCREEN = 80
"""Columns from which they say them in the visitor's language; below, the signs alone."""
LARGE_TEXT_URL = "?large=toggle"
"""The page (kiosk/web/templates/app_index.html) flips its large-text setting on this URL."""


class CornerButton(Button):
    """A button placed in the top corner; `SLOT` 0 is nearest the corner. Styled in
    visitor.tcss (.corner-button)."""

    SLOT = 0
    ID = ""
    SIGN = ""
    WORD = ""
    """The visitor string (kiosk.core.config.strings) the button shows after its sign."""

    @classmethod
    def add_to(cls, screen: Screen) -> None:
        """Mount the button on `screen` once (called when the screen becomes current)."""
        if not screen.query(cls):
            screen.mount(cls(id=cls.ID, classes="corner-button"))

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(self.SIGN, id=id, classes=classes)
        self.can_focus = False  # Tab and the arrows stay with the screen's own controls
        self.rtl = False

    def on_mount(self) -> None:
        self._place()
        self.call_after_refresh(self._place)
        self.watch(self.screen, "size", lambda _size: self._place(), init=False)

    def _label(self, width: int) -> str:
        """Sign and word, or the sign alone where the top row has no room for the words
        (a narrow screen, or large text): German and English before a language is chosen."""
        app = self.app
        if getattr(app, "lang", None) is None:
            words = "/".join(dict.fromkeys(app.t(self.WORD, code) for code in ("de", "en")))  # type: ignore[attr-defined]
            roomy = width >= WIDE_SCREEN
        else:
            words = app.t(self.WORD)  # type: ignore[attr-defined]
            self.rtl = app.language().rtl  # type: ignore[attr-defined]
            roomy = width >= NARROW_SCREEN
        if not roomy:
            return self.SIGN
        # The sign goes first in reading order: on the right of a right-to-left label.
        return f"{visual_line(words, True)} {self.SIGN}" if self.rtl else f"{self.SIGN} {words}"

    @property
    def cells(self) -> int:
        """Its width: the label and the padding (visitor.tcss: width auto, padding 0 1)."""
        return cell_len(self._label(self.app.size.width)) + 2

    def _place(self) -> None:
        screen = self.screen
        columns = self.app.size.width
        label = self._label(columns)
        if str(self.label) != label:
            self.label = label
        left, right = 0, columns  # screen columns
        for code in screen.query("#qr-side"):  # the ticket: keep off the code
            if code.region.width:
                if self.rtl:
                    left = code.region.right + 1
                else:
                    right = code.region.x - 1
        for other in screen.query(CornerButton):  # the buttons nearer the corner
            if other.SLOT < self.SLOT:
                taken = other.width_now + 1
                if self.rtl:
                    left += taken
                else:
                    right -= taken
        column = left if self.rtl else max(left, right - self.width_now)
        # An offset counts from where the layout put the button (the screen's content box).
        origin = screen.styles.padding.left
        if self.region.width:
            origin = self.region.x - int(self.styles.offset.x.value)
        self.styles.offset = (column - origin, 0)

    @property
    def width_now(self) -> int:
        return self.outer_size.width or self.cells

    def on_resize(self, event: events.Resize) -> None:
        for button in self.screen.query(CornerButton):
            button.call_after_refresh(button._place)


class SpeechButton(CornerButton):
    """Starts speech mode (or says the screen again) when tapped: touch screens only."""

    SLOT = 0
    ID = "speech-button"
    SIGN = SPEAKER_SIGN
    WORD = "read_aloud"

    def press(self) -> SpeechButton:
        self.app.action_speech()  # type: ignore[attr-defined]
        return self


class LargeTextButton(CornerButton):
    """Switches the browser kiosk's text between its usual and its large size (the page
    reloads with the other size, so the visit starts over)."""

    SLOT = 1
    ID = "large-text-button"
    SIGN = LARGE_TEXT_SIGN
    WORD = "large_text"

    def press(self) -> LargeTextButton:
        self.app.open_url(LARGE_TEXT_URL, new_tab=False)
        return self
