"""Closed screen: nothing issues now. Next opening, the hotline (reachable now?), urgent contacts."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from kiosk.core.i18n import localized
from kiosk.ui.rtl import visual_line
from kiosk.ui.visitor.app import VisitorScreen
from kiosk.ui.visitor.text import label, week_text
from kiosk.ui.visitor.ticket import HOTLINE_CLOSED, HOTLINE_OPEN


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
            hotline = app.config.site.hotline
            if hotline.number:
                hours = week_text(app, hotline.schedule, lang)
                line = f"{app.t('hotline')}: {hotline.number}" + (f" ({hours})" if hours else "")
                yield text(line, id="hotline")
                reachable = app.hours.hotline_open(now)
                mark = HOTLINE_OPEN if reachable else HOTLINE_CLOSED  # as on the ticket
                yield text(
                    f"{mark} "
                    + app.t("hotline_reachable_now" if reachable else "hotline_not_reachable_now"),
                    id="hotline-now",
                    classes="-yes" if reachable else "-no",
                )
            if app.config.site.urgent:
                yield text(app.t("urgent_contacts"), id="urgent-heading")
                for contact in app.config.site.urgent:
                    what = localized(contact.labels, lang)
                    yield text(
                        f"{what}: {contact.number}" if what else contact.number, classes="urgent"
                    )
        content = f"{'→' if rtl else '←'} {app.t('back')} (Esc)"
        if rtl and mode != "terminal":
            content = visual_line(content, True)
        yield Button(content, id="back")

    def on_mount(self) -> None:
        self.query_one("#back").focus()

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.start_over()
