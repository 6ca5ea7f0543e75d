"""Text for visitor screens: one place that makes labels right-to-left aware."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Button

from kiosk.core.qr import compress_days
from kiosk.ui.rtl import visual_line
from kiosk.ui.widgets.bidi_label import BidiLabel

OPEN_MARK = "●"
CLOSED_MARK = "○"
"""Open / reachable and closed, readable without the words (start, ticket and closed screens)."""


def label(
    content: str,
    *,
    rtl: bool = False,
    rtl_mode: str = "reorder",
    id: str | None = None,
    classes: str | None = None,
) -> BidiLabel:
    """A wrapped label; right-to-left ones are shaped, reordered per line and right-aligned."""
    return BidiLabel(content, rtl=rtl, rtl_mode=rtl_mode, id=id, classes=classes)


def button(app, content: str, id: str, lang: str | None = None) -> Button:
    """A visitor control; right-to-left text put in display order (one line, no wrapping),
    unless the terminal orders it itself (rtl_mode "terminal")."""
    if app.language(lang).rtl and app.config.site.rtl_mode != "terminal":
        content = visual_line(content, True)
    return Button(content, id=id)


def back_button(app, lang: str | None = None, key: str = "back") -> Button:
    """ "← Back (Esc)" (or the text of `key`, e.g. "← Change language (Esc)"), the arrow
    pointing where right-to-left readers go back; no key hint on a touch screen, where there
    is no Esc key."""
    arrow = "→" if app.language(lang).rtl else "←"
    hint = "" if getattr(app, "touch", False) else " (Esc)"
    return button(app, f"{arrow} {app.t(key, lang)}{hint}", "back", lang)


def week_text(app, schedule_id: str, lang: str | None = None) -> str:
    """A schedule's regular week in one line ("Mo–Fr 08:00–16:00"), or "" without a schedule."""
    if schedule_id not in app.config.schedules:
        return ""
    language = app.language(lang)
    try:
        lines = app.hours.week_lines(schedule_id, language, app.now())
    except Exception:
        return ""
    # Same form as the take-away note: weekday runs as ranges, the script's own semicolon.
    # Each group of days with its times is held together (no-break spaces): a line must not
    # end in "(Mo–Fr" with "08:00–16:00)" on the next.
    semicolon = "\u061b " if language.rtl else "; "
    return semicolon.join(unbreakable(compress_days(line, language)) for line in lines if line)


NO_BREAK = "\u00a0"


def unbreakable(text: str) -> str:
    """`text` with its spaces made no-break spaces: wrapped as one word (a phone number
    "116 117", a day range with its times)."""
    return text.replace(" ", NO_BREAK)


def hotline_lines(app, lang: str, now: datetime) -> tuple[str, str, bool]:
    """The hotline with its hours ("Info-Telefon: 0214/406-3333 (Mo–Fr 08:00–16:00)"), whether
    it is reachable now said with its mark ("● Jetzt erreichbar"), and whether it is."""
    hotline = app.config.site.hotline
    hours = week_text(app, hotline.schedule, lang)
    line = f"{app.t('hotline', lang)}: {unbreakable(hotline.number)}" + (
        f" ({hours})" if hours else ""
    )
    reachable = app.hours.hotline_open(now)
    key = "hotline_reachable_now" if reachable else "hotline_not_reachable_now"
    return line, f"{OPEN_MARK if reachable else CLOSED_MARK} {app.t(key, lang)}", reachable
