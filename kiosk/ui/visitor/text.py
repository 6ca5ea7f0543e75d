"""Text for visitor screens: one place that makes labels right-to-left aware."""

from __future__ import annotations

from kiosk.core.qr import compress_days
from kiosk.ui.widgets.bidi_label import BidiLabel


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
    semicolon = "\u061b " if language.rtl else "; "
    return semicolon.join(compress_days(line, language) for line in lines if line)
