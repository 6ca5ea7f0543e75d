"""Ticket screen: the ticket very large with a QR note, or why none was issued.

The app issues off the UI thread at the first tap on a topic (exactly once per visit: see
VisitorApp.request_ticket); the same worker writes the take-away notes and fits the QR code
(kiosk.ui.visitor.issuing). The screen is then pushed already composed with its outcome: one layout
and one frame, with the topic screen staying up meanwhile. Only when the store is slow does the
app push the screen early, saying "issuing", and the outcome replaces that text when it comes.
A storage fault shows "please ask the staff" in the visitor's language and the kiosk carries
on. Done (or the ticket timeout) starts over with fresh screens.
"""

from __future__ import annotations

import logging

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button

from kiosk.core.errors import NotIssuing
from kiosk.core.i18n import localized, topic_label
from kiosk.core.qr import Matrix, cells_needed, choose_note
from kiosk.ui.visitor.issuing import Prepared, is_portrait, qr_room
from kiosk.ui.visitor.print_control import PRINT_ROWS, PrintControl
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import back_button, button, hotline_lines, label, week_text
from kiosk.ui.visitor.topics import UNAVAILABLE, unavailable_text
from kiosk.ui.widgets.big_number import BigNumber
from kiosk.ui.widgets.qr_code import QrCode

log = logging.getLogger("kiosk.visitor")

QR_MESSAGE_WIDTH = 24
"""Columns for the "screen too small for the code" message."""


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
        self._prepared: Prepared | None = None
        self.leave_locked = False
        """True during the first seconds of a shown ticket: Done, Escape and taps do nothing."""

    @property
    def decided(self) -> bool:
        """Whether the outcome (a ticket or why not) is known."""
        return self.issued is not None or self.failure is not None

    def compose(self) -> ComposeResult:
        app = self.kiosk
        rtl = app.language(self.lang).rtl
        self.set_class(rtl, "-rtl")
        if self._prepared is not None:
            yield self._ticket_body(self._prepared)
        else:
            yield Vertical(*self._waiting_content(), id="waiting")

    def on_mount(self) -> None:
        if self._prepared is not None:
            self._lock_leaving()
        self._focus_control()

    def _lock_leaving(self) -> None:
        """The ticket is on screen: for ticket_lock_seconds nothing leaves it (Done greyed,
        Escape and taps ignored), so an Enter pressed "to be sure" right after the topic digit
        cannot hide a number that was stored and will be called. The lock starts anew with
        every ticket screen (every visitor)."""
        seconds = self.kiosk.config.site.timeouts.ticket_lock_seconds
        if seconds <= 0:
            return
        self.leave_locked = True
        for done in self.query("#done").results(Button):
            done.disabled = True
        self.set_timer(seconds, self.unlock_leaving, name="ticket-lock")

    def unlock_leaving(self) -> None:
        """The lock's time is up (its timer calls this): Done turns active and takes the focus."""
        self.leave_locked = False
        for done in self.query("#done").results(Button):
            done.disabled = False  # visibly active from now on
            done.focus()

    @property
    def _mode(self) -> str:
        return self.kiosk.config.site.rtl_mode

    def deliver(self, outcome: Prepared | BaseException) -> None:
        """The issuing worker's result: shown at once if the screen is up, else composed."""
        app = self.kiosk
        if isinstance(outcome, Prepared):
            self.issued = outcome.issued
            self._prepared = outcome
            self.notes = outcome.notes
        elif isinstance(outcome, NotIssuing):
            self.failure = unavailable_text(app, outcome)
            self.refused = True
            log.info("not issued: %s", outcome)
        else:
            self.failure = app.t("storage_error", self.lang)
            log.error("issuing %s failed: %r", self.topic_id, outcome)
        if self.is_mounted:
            self.run_worker(self._replace_waiting(), group="show", exclusive=True)

    async def _replace_waiting(self) -> None:
        waiting = self.query_one("#waiting")
        if self._prepared is not None:
            await waiting.remove()
            await self.mount(self._ticket_body(self._prepared))
            self._lock_leaving()
        else:
            await waiting.remove_children()
            await waiting.mount_all(self._waiting_content())
        self._focus_control()

    def _focus_control(self) -> None:
        for control in self.query("#done, #back"):
            if control.focusable:  # a locked Done takes the focus when it unlocks
                control.focus()
            return

    # ---- what is shown --------------------------------------------------------------------

    def _waiting_content(self) -> list[Widget]:
        """The "issuing" line, or why no ticket was issued and the way on."""
        app = self.kiosk
        rtl = app.language(self.lang).rtl

        def text(content: str, id: str) -> Widget:
            return label(content, rtl=rtl, rtl_mode=self._mode, id=id)

        if self.refused:
            # The topic stopped issuing between the list and the tap (last-ticket time, limit,
            # paused): say which topic and why, marked as on its card, and let the visitor
            # choose again; "from Wednesday 12:30" alone would not say what happened.
            return [
                text(topic_label(app.config, self.lang, self.topic_id), id="failure-topic"),
                text(f"{UNAVAILABLE} {self.failure or ''}", id="failure"),
                back_button(app, self.lang),
            ]
        if self.failure is not None:
            return [
                text(self.failure, id="failure"),
                button(app, app.t("done", self.lang), "done", self.lang),
            ]
        return [text(app.t("issuing", self.lang), id="issuing")]

    def _ticket_body(self, prepared: Prepared) -> Widget:
        """The ticket, built whole with the code at its final width: one layout."""
        app = self.kiosk
        config = app.config
        issued = prepared.issued
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
        if issued.people_ahead:
            wait = issued.wait_range
            told = (
                app.t("wait_range", lang, low=wait[0], high=wait[1])
                if wait is not None
                else app.t("wait_unknown", lang)
            )
            # A line of its own: wrapped after "ahead" it could tear "15–30" from "Minuten".
            ahead = f"{ahead}\n{told}"
        topic = config.topic(ticket.topic)
        site = config.site
        floor = localized(site.floor, lang) if site.floor else ""
        address = ", ".join(part for part in (site.address, floor) if part)
        hours = week_text(app, topic.schedule, lang) if topic else ""
        hotline_line, reachable, reachable_now = hotline_lines(app, lang, now)
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
            text(
                app.t("qr_hint_status" if config.site.status.enabled else "qr_hint", lang),
                id="qr-hint",
            ),
            button(app, app.t("done", lang), "done", lang),
            id="info",
        )
        code = QrCode(prepared.notes, app.t("qr_too_small", lang), rtl=rtl, rtl_mode=mode, id="qr")
        # The printer's control goes under the code, which then picks a note for fewer rows:
        # the text column has no row to spare at 80x24.
        printing = [PrintControl(issued, lang, rtl, mode)] if app.printing.mode else []
        # Not everyone has a smartphone: under the code, the other way to keep the number.
        note = text(app.t("note_number", lang), id="note-number")
        qr_side = Vertical(code, note, *printing, id="qr-side")
        size = self.size if self.size.area else prepared.size
        if is_portrait(size):
            # A portrait screen: narrow and tall, the code under the text (ticket.tcss).
            return Vertical(info, qr_side, id="ticket-body", classes="-portrait")
        # Right-to-left readers start at the right: the code goes to the left of the text.
        body = Horizontal(*([qr_side, info] if rtl else [info, qr_side]), id="ticket-body")
        qr_side.styles.width = self._qr_columns(
            size, prepared.qr if size == prepared.size and not printing else None
        )
        return body

    def _qr_columns(self, size: Size, chosen: tuple[str, Matrix] | None = None) -> int:
        """The width of the largest note's code that fits beside the essentials."""
        room, height = qr_room(size)
        if self.kiosk.printing.mode:
            height -= PRINT_ROWS
        if chosen is None:
            chosen = choose_note(self.notes, room, height)
        return cells_needed(len(chosen[1]))[0] if chosen else min(room, QR_MESSAGE_WIDTH)

    def on_resize(self) -> None:
        if self.notes:
            if self.query("#ticket-body.-portrait"):
                return  # full width under the text (ticket.tcss)
            for side in self.query("#qr-side"):
                side.styles.width = self._qr_columns(self.size)

    # ---- input ----------------------------------------------------------------------------

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        if not self.leave_locked:
            self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.back_to_topics()

    def action_back(self) -> None:
        # Escape ends the visit once the outcome is on screen; while issuing it waits.
        # After a refusal it goes back to the topics, like the back control.
        if self.refused:
            self.kiosk.back_to_topics()
        elif self.decided and not self.leave_locked:
            self.kiosk.start_over()
