"""Text for visitor screens: one place that makes labels right-to-left aware."""

from __future__ import annotations

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


def compact_days(line: str, weekdays: tuple[str, ...]) -> str:
    """ "Mo, Di, Mi, Do, Fr 08:00–16:00" -> "Mo–Fr 08:00–16:00": runs of 3+ days become a range."""
    if len(weekdays) != 7:
        return line
    days_part, times = line, ""
    # The day list ends where the first time starts.
    for index, char in enumerate(line):
        if char.isdigit():
            days_part, times = line[:index].rstrip(), line[index:]
            break
    names = [name.strip() for name in days_part.split(",")]
    if not names or any(name not in weekdays for name in names):
        return line
    indexes = [weekdays.index(name) for name in names]
    groups: list[list[int]] = []
    for i in indexes:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    parts = [
        f"{weekdays[g[0]]}\u2013{weekdays[g[-1]]}"
        if len(g) >= 3
        else ", ".join(weekdays[i] for i in g)
        for g in groups
    ]
    return f"{', '.join(parts)} {times}".strip()


def week_text(app, schedule_id: str, lang: str | None = None) -> str:
    """A schedule's regular week in one line ("Mo–Fr 08:00–16:00"), or "" without a schedule."""
    if schedule_id not in app.config.schedules:
        return ""
    language = app.language(lang)
    try:
        lines = app.hours.week_lines(schedule_id, language, app.now())
    except Exception:
        return ""
    return "; ".join(compact_days(line, tuple(language.weekdays)) for line in lines)
