"""Closed screen: nothing issues now. What the visitor needs to come back or get help elsewhere.

A heading that tells the cases apart (closed now and opening later today; no more numbers or
advice today; closed all day; closed for several days, with the closure's reason), when it opens
next, the regular weekly hours, address and floor, the hotline with whether and when it is
reachable, the urgent contacts, and a take-away QR code (hours, hotline, address) in the
visitor's language beside them where the screen is wide enough.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button

from kiosk.core.i18n import localized
from kiosk.core.qr import PHONE, cells_needed, choose_note
from kiosk.ui.visitor.screen import VisitorScreen
from kiosk.ui.visitor.text import (
    CLOSED_MARK,
    back_button,
    hotline_lines,
    label,
    unbreakable,
    week_text,
)
from kiosk.ui.widgets.qr_code import QrCode

TEXT_MIN_WIDTH = 44
"""Columns kept for the text; the code takes what is left beside it (none at 80 columns if
even the smallest note's code would squeeze the text)."""


def closure_today(app, today: date):
    """(last closed day, reason) of the service-wide closure covering `today`, or None; closures
    that touch each other count as one (24.–31.12. with 25. and 26. inside)."""
    closures = [
        c
        for c in getattr(app.config, "closures", ())
        if not c.topics and not c.schedules and c.first <= today
    ]
    covering = [c for c in closures if c.covers(today)]
    if not covering:
        return None
    last = max(c.last for c in covering)
    reason = next((c.reason for c in sorted(covering, key=lambda c: c.first) if c.reason), "")
    extended = True
    while extended:
        extended = False
        for c in closures:
            if c.first <= last + timedelta(days=1) and c.last > last:
                last, extended = c.last, True
    return last, reason


def schedule_lines(app, lang: str) -> list[str]:
    """The regular week of each schedule the topics use: "Name: Mo, Mi 12:30–16:30; …"."""
    lines = []
    seen: set[str] = set()
    for topic in app.config.topics:
        if topic.schedule in seen:
            continue
        seen.add(topic.schedule)
        week = week_text(app, topic.schedule, lang)
        if not week:
            continue
        schedule = app.config.schedules.get(topic.schedule)
        name = getattr(schedule, "name", "") or ""
        lines.append(f"{name}: {week}" if name else week)
    return lines


def closed_notes(app, lang: str, now: datetime) -> list[str]:
    """Take-away notes for the closed screen, longest first: hours, hotline, address."""
    site = app.config.site
    hotline = site.hotline
    hours = schedule_lines(app, lang)
    floor = localized(site.floor, lang) if site.floor else ""
    address = ", ".join(part for part in (site.address, floor) if part)
    phone_hours = week_text(app, hotline.schedule, lang) if hotline.number else ""
    phone = (
        f"{app.t('hotline', lang)}: {hotline.number}" + (f" ({phone_hours})" if phone_hours else "")
        if hotline.number
        else ""
    )
    email = hotline.email or getattr(site, "email", "")
    full = [site.name, *hours, f"{app.t('address', lang)}: {address}", phone, email]
    short = [*hours, site.address, phone]
    tiny = [*hours, f"{PHONE} {hotline.number}" if hotline.number else ""]
    notes = ["\n".join(line for line in lines if line) for lines in (full, short, tiny)]
    return [note.replace("\u00a0", " ") for note in dict.fromkeys(notes) if note]


class ClosedScreen(VisitorScreen):
    CSS_PATH = "closed.tcss"

    def compose(self) -> ComposeResult:
        app = self.kiosk
        lang = app.lang or "de"
        rtl = app.language().rtl
        mode = app.config.site.rtl_mode
        self.set_class(rtl, "-rtl")
        now = app.now()
        self.notes = closed_notes(app, lang, now)

        def text(content: str, id: str | None = None, classes: str | None = None):
            return label(content, rtl=rtl, rtl_mode=mode, id=id, classes=classes)

        status = app.site_status(now)
        nxt = status.next_opening
        closure = closure_today(app, now.date())
        body: list = []
        if closure is not None:
            last, reason = closure
            body.append(text(app.t("closed_until", date=f"{last:%d.%m.}"), id="closed-heading"))
            if reason:
                body.append(text(reason, id="closure-reason"))
        elif status.today is None:
            body.append(text(app.t("closed_all_day"), id="closed-heading"))
        elif now < status.today[0]:
            body.append(text(app.t("closed_now"), id="closed-heading"))
        elif now < status.today[1]:
            body.append(text(app.t("full_today"), id="closed-heading"))
        else:
            body.append(text(app.t("closed_today"), id="closed-heading"))
        if nxt is not None:
            body.append(text(app.t("next_opening", when=app.when(nxt)), id="next-opening"))
        weekly = schedule_lines(app, lang)
        if weekly:
            body.append(text(f"{app.t('hours')}:", id="hours-heading"))
            body.extend(text(line, classes="hours") for line in weekly)
        site = app.config.site
        floor = localized(site.floor, lang) if site.floor else ""
        address = ", ".join(part for part in (site.address, floor) if part)
        if address:
            body.append(text(f"{app.t('address')}: {address}", id="address"))
        if site.hotline.number:
            line, reachable_text, reachable = hotline_lines(app, lang, now)
            if not reachable:
                again = app.hours.hotline_next(now)
                if again is not None:
                    reachable_text = (
                        f"{CLOSED_MARK} {app.t('hotline_not_reachable_now')} · "
                        f"{app.t('hotline_reachable_from', when=app.when(again))}"
                    )
            body.append(text(line, id="hotline"))
            body.append(
                text(reachable_text, id="hotline-now", classes="-yes" if reachable else "-no")
            )
        if site.urgent:
            body.append(text(app.t("urgent_contacts"), id="urgent-heading"))
            for contact in site.urgent:
                what = localized(contact.labels, lang)
                number = unbreakable(contact.number)
                body.append(text(f"{number}: {what}" if what else number, classes="urgent"))
        info = VerticalScroll(*body, id="closed-body", can_focus=False)
        code = QrCode(self.notes, "", rtl=rtl, rtl_mode=mode, id="qr")
        qr_side = Vertical(code, text(app.t("closed_qr_hint"), id="qr-hint"), id="qr-side")
        qr_side.styles.width = self._qr_columns(app.size.width, app.size.height)
        with Horizontal(id="closed-columns"):
            yield from [qr_side, info] if rtl else [info, qr_side]
        yield back_button(app)

    def _qr_columns(self, width: int, height: int) -> int:
        """The width of the largest note's code that fits beside the text, 0 when none does."""
        room = width - 2 - TEXT_MIN_WIDTH
        chosen = choose_note(self.notes, room, height - 5) if room > 0 else None
        return cells_needed(len(chosen[1]))[0] + 2 if chosen else 0

    def on_resize(self) -> None:
        for side in self.query("#qr-side"):
            side.styles.width = self._qr_columns(self.size.width, self.size.height)

    def action_back(self) -> None:
        self.kiosk.start_over()

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.kiosk.start_over()
