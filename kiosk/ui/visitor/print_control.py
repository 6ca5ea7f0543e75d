"""Print control on the ticket screen: a Print button (mode "button") or printing at once
(mode "every"), then the outcome in the visitor's language.

It works from the first moment the ticket is shown, also while the screen's leave-lock keeps
Done greyed: printing does not leave the screen. If the printer fails, the visitor is asked to
note or photograph the number; the ticket is issued all the same.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from kiosk.ui.visitor.text import button, label
from kiosk.ui.widgets.bidi_label import BidiLabel

PRINT_ROWS = 3
"""Rows the control takes under the QR code: the button, later the outcome (two lines)."""


class PrintControl(Vertical):
    """Print button and print status for one issued ticket."""

    DEFAULT_CSS = """
    PrintControl {
        height: 3;
        width: 100%;
        align: center middle;
    }
    PrintControl #print {
        width: 100%;
    }
    PrintControl #print-status {
        height: auto;
        max-height: 3;
        text-style: bold;
    }
    PrintControl #print-status.-failed {
        color: #000000;
        background: #ffd400;
    }
    """

    def __init__(self, issued, lang: str, rtl: bool, rtl_mode: str, id: str = "print-control"):
        super().__init__(id=id)
        self.issued = issued
        self.lang = lang
        self.rtl = rtl
        self.rtl_mode = rtl_mode
        self.problem: str | None = None
        """Why the print failed (for the log and tests); None while printing or after success."""

    def compose(self) -> ComposeResult:
        app = self.app
        job = app.printing.job_for(self.issued)
        if app.printing.mode == "button" and job is None:
            yield button(app, app.t("print", self.lang), "print", self.lang)
        yield label("", rtl=self.rtl, rtl_mode=self.rtl_mode, id="print-status")

    def on_mount(self) -> None:
        if self.app.printing.mode == "every" or self.app.printing.job_for(self.issued):
            self._start()

    def on_unmount(self) -> None:
        self.app.printing.visitor_left(self.issued)

    @on(Button.Pressed, "#print")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._start()

    def _start(self) -> None:
        app = self.app
        for control in self.query("#print").results(Button):
            control.disabled = True  # one tap, one ticket on paper
            control.display = False
        job = app.printing.request(self.issued, self.lang, self._finished)
        if job is None:
            return
        if job.finished.is_set():
            self._finished(job, job.problem)
        else:
            self._status(app.t("printing", self.lang), failed=False)

    def _finished(self, job, problem: str | None) -> None:
        if not self.is_attached:  # the visitor has gone: tell nobody else
            return
        self.problem = problem
        key = "print_failed" if problem else "printed"
        self._status(self.app.t(key, self.lang), failed=problem is not None)

    def _status(self, text: str, failed: bool) -> None:
        status = self.query_one("#print-status", BidiLabel)
        status.update(text)
        status.set_class(failed, "-failed")
