"""Ticket screen: issues the ticket off the UI thread, then shows it very large with a QR note.

The screen is created at the first tap on a topic and issues exactly once (the app refuses a
second request for the same visit). The store work (and choosing the QR note, which is CPU work
of the same size) starts before the screen is pushed, so it overlaps with drawing "issuing"; the
ticket is then mounted in one piece at its final layout. A storage fault shows "please ask the
staff" in the visitor's language and the kiosk carries on. Done (or the ticket timeout) starts
over with fresh screens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import AwaitMount
from textual.widgets import Button
from textual.worker import Worker, WorkerState

from kiosk.core.errors import NotIssuing
from kiosk.core.i18n import localized, topic_label
from kiosk.core.qr import Matrix, cells_needed, choose_note, take_away_notes
from kiosk.ui.rtl import visual_line
from kiosk.ui.visitor.app import VisitorScreen
from kiosk.ui.visitor.text import label, week_text
from kiosk.ui.visitor.topics import UNAVAILABLE, unavailable_text
from kiosk.ui.widgets.big_number import BigNumber
from kiosk.ui.widgets.qr_code import QrCode

log = logging.getLogger("kiosk.visitor")

INFO_MIN_WIDTH = 34
"""Columns kept for the number (the medium block font is 29 wide), people ahead, hotline."""
QR_MESSAGE_WIDTH = 24
"""Columns for the "screen too small for the code" message."""
HOTLINE_OPEN = "●"
HOTLINE_CLOSED = "○"


@dataclass(frozen=True)
class Prepared:
    """What the issuing worker hands to the screen: the ticket and its take-away notes."""

    issued: object
    """The store's Issued result."""
    notes: list[str]
    qr: tuple[str, Matrix] | None
    """The note chosen for the screen size at issue time, with its code (None: none fits)."""
    size: Size


def qr_room(size: Size) -> tuple[int, int]:
    """The cells the code may take on a screen of `size`, beside the essentials."""
    return max(0, size.width - INFO_MIN_WIDTH), size.height


class TicketScreen(VisitorScreen):
    CSS_PATH = "ticket.tcss"
    IDLE = "ticket"

    def __init__(self, topic_id: str, lang: str) -> None:
        super().__init__()
        self.topic_id = topic_id
        self.lang = lang
        self.issued = None
        """The store's Issued result once the ticket exists."""
        self.failure: str | None = None
        """Why no ticket was issued, in the visitor's language (None while issuing or issued)."""
        self.refused = False
        """The store refused this topic (it stopped issuing a moment ago): choose another."""
        self.notes: list[str] = []
        self._started = False

    def compose(self) -> ComposeResult:
        app = self.kiosk
        rtl = app.language(self.lang).rtl
        self.set_class(rtl, "-rtl")
        with Vertical(id="waiting"):
            yield label(app.t("issuing", self.lang), rtl=rtl, rtl_mode=self._mode, id="issuing")

    @property
    def _mode(self) -> str:
        return self.kiosk.config.site.rtl_mode

    def start(self, size: Size) -> None:
        """Start issuing (once); the app calls it before pushing the screen."""
        if not self._started:
            self._started = True
            self._issue(size)

    def on_mount(self) -> None:
        self.start(self.app.size)

    @work(thread=True, exclusive=True, group="issue", exit_on_error=False)
    def _issue(self, size: Size) -> Prepared:
        app = self.kiosk
        issued = app.issue_ticket(self.topic_id, self.lang)
        # Notes and the fitting code are pure CPU work: done here, off the UI thread.
        notes = take_away_notes(app.config, app.hours, issued.ticket, self.lang, app.now())
        return Prepared(issued, notes, choose_note(notes, *qr_room(size)), size)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "issue":
            return
        if event.state == WorkerState.SUCCESS:
            prepared: Prepared = event.worker.result
            self.issued = prepared.issued
            await self._show_ticket(prepared)
            self.query_one("#done").focus()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            app = self.kiosk
            if isinstance(error, NotIssuing):
                self.failure = unavailable_text(app, error)
                self.refused = True
                log.info("not issued: %s", error)
            else:
                self.failure = app.t("storage_error", self.lang)
                log.error("issuing %s failed: %r", self.topic_id, error)
            self._show_failure()

    # ---- what is shown --------------------------------------------------------------------

    def _done_button(self) -> Button:
        content = self.kiosk.t("done", self.lang)
        if self.kiosk.language(self.lang).rtl and self._mode != "terminal":
            content = visual_line(content, True)
        return Button(content, id="done")

    def _back_button(self) -> Button:
        app = self.kiosk
        rtl = app.language(self.lang).rtl
        content = f"{'→' if rtl else '←'} {app.t('back', self.lang)} (Esc)"
        if rtl and self._mode != "terminal":
            content = visual_line(content, True)
        return Button(content, id="back")

    def _show_failure(self) -> None:
        app = self.kiosk
        rtl = app.language(self.lang).rtl
        waiting = self.query_one("#waiting")
        waiting.remove_children()
        if self.refused:
            # The topic stopped issuing between the list and the tap (last-ticket time, limit,
            # paused): say which topic and why, marked as on its card, and let the visitor
            # choose again; "from Wednesday 12:30" alone would not say what happened.
            title = topic_label(app.config, self.lang, self.topic_id)
            waiting.mount(label(title, rtl=rtl, rtl_mode=self._mode, id="failure-topic"))
            reason = f"{UNAVAILABLE} {self.failure or ''}"
            waiting.mount(label(reason, rtl=rtl, rtl_mode=self._mode, id="failure"))
            waiting.mount(self._back_button())
            self.query_one("#back").focus()
            return
        waiting.mount(label(self.failure or "", rtl=rtl, rtl_mode=self._mode, id="failure"))
        waiting.mount(self._done_button())
        self.query_one("#done").focus()

    def _show_ticket(self, prepared: Prepared) -> AwaitMount:
        app = self.kiosk
        config = app.config
        issued = self.issued
        ticket = issued.ticket
        lang = self.lang
        rtl = app.language(lang).rtl
        mode = self._mode
        now = app.now()

        def text(content: str, id: str | None = None, classes: str | None = None):
            return label(content, rtl=rtl, rtl_mode=mode, id=id, classes=classes)

        ahead = (
            app.t("people_ahead", lang, n=issued.people_ahead)
            if issued.people_ahead
            else app.t("nobody_ahead", lang)
        )
        if issued.wait_minutes is not None and issued.people_ahead:
            ahead = f"{ahead} · {app.t('wait_estimate', lang, minutes=issued.wait_minutes)}"
        topic = config.topic(ticket.topic)
        site = config.site
        floor = localized(site.floor, lang) if site.floor else ""
        address = ", ".join(part for part in (site.address, floor) if part)
        hours = week_text(app, topic.schedule, lang) if topic else ""
        hotline = site.hotline
        hotline_hours = week_text(app, hotline.schedule, lang)
        reachable_now = app.hours.hotline_open(now)
        # The same marks as the language screen's hotline line: readable without the words.
        reachable = f"{HOTLINE_OPEN if reachable_now else HOTLINE_CLOSED} " + app.t(
            "hotline_reachable_now" if reachable_now else "hotline_not_reachable_now", lang
        )
        hotline_line = f"{app.t('hotline', lang)}: {hotline.number}"
        if hotline_hours:
            hotline_line += f" ({hotline_hours})"
        self.notes = prepared.notes

        # The whole body is built first and mounted once, at its final width: one layout.
        info = Vertical(
            text(app.t("your_number", lang), id="your-number"),
            BigNumber(ticket.number, id="number"),
            text(
                topic_label(config, lang, ticket.topic) if topic else ticket.topic_label,
                id="topic",
            ),
            text(ahead, id="ahead"),
            # What to do now follows the number and the queue: it is what the visitor
            # needs next. "Reachable now" sits right under the hotline it is about.
            text(app.t("what_now", lang), id="what-now"),
            text(hotline_line, id="hotline"),
            text(reachable, id="hotline-now", classes="-yes" if reachable_now else "-no"),
            text(f"{app.t('address', lang)}: {address}", id="address"),
            text(f"{app.t('hours', lang)}: {hours}" if hours else "", id="hours"),
            text(app.t("qr_hint", lang), id="qr-hint"),
            self._done_button(),
            id="info",
        )
        code = QrCode(prepared.notes, app.t("qr_too_small", lang), rtl=rtl, rtl_mode=mode, id="qr")
        qr_side = Vertical(code, id="qr-side")
        # Right-to-left readers start at the right: the code goes to the left of the text.
        body = Horizontal(*([qr_side, info] if rtl else [info, qr_side]), id="ticket-body")
        size = self.size if self.size.area else prepared.size
        qr_side.styles.width = self._qr_columns(
            size, prepared.qr if size == prepared.size else None
        )
        self.query_one("#waiting").remove()
        return self.mount(body)

    def _qr_columns(self, size: Size, chosen: tuple[str, Matrix] | None = None) -> int:
        """The width of the largest note's code that fits beside the essentials."""
        room, height = qr_room(size)
        if chosen is None:
            chosen = choose_note(self.notes, room, height)
        return cells_needed(len(chosen[1]))[0] if chosen else min(room, QR_MESSAGE_WIDTH)

    def on_resize(self) -> None:
        if self.notes:
            for side in self.query("#qr-side"):
                side.styles.width = self._qr_columns(self.size)

    # ---- input ----------------------------------------------------------------------------

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.back_to_topics()

    def action_back(self) -> None:
        # Escape ends the visit once the outcome is on screen; while issuing it waits.
        # After a refusal it goes back to the topics, like the back control.
        if self.refused:
            self.kiosk.back_to_topics()
        elif self.issued is not None or self.failure is not None:
            self.kiosk.start_over()
