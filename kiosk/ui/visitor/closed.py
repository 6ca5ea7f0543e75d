"""Closed screen: nothing issues now. Next opening, the hotline (reachable now?), urgent contacts."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from kiosk.core.i18n import localized
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import back_button, hotline_lines, label


class ClosedScreen(VisitorScreen):
    CSS_PATH = "closed.tcss"

    def compose(self) -> ComposeResult:
        app = self.kiosk
        lang = app.lang or "de"
        rtl = app.language().rtl
        mode = app.config.site.rtl_mode
        self.set_class(rtl, "-rtl")
        now = app.now()

        def text(content: str, id: str | None = None, classes: str | None = None):
            return label(content, rtl=rtl, rtl_mode=mode, id=id, classes=classes)

        status = app.site_status(now)
        nxt = status.next_opening
        with Vertical(id="closed-body"):
            if nxt is not None and nxt.date() == now.date():
                yield text(app.t("closed_now"), id="closed-heading")
            else:
                yield text(app.t("closed_today"), id="closed-heading")
            if nxt is not None:
                yield text(app.t("next_opening", when=app.when(nxt)), id="next-opening")
            if app.config.site.hotline.number:
                line, reachable_text, reachable = hotline_lines(app, lang, now)
                yield text(line, id="hotline")
                yield text(reachable_text, id="hotline-now", classes="-yes" if reachable else "-no")
            if app.config.site.urgent:
                yield text(app.t("urgent_contacts"), id="urgent-heading")
                for contact in app.config.site.urgent:
                    what = localized(contact.labels, lang)
                    yield text(
                        f"{what}: {contact.number}" if what else contact.number, classes="urgent"
                    )
        yield back_button(app)

    def on_mount(self) -> None:
        self.query_one("#back").focus()

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.start_over()
