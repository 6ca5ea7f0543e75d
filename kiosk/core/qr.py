"""Take-away note: the ticket's essentials as plain text in the visitor's language, and its QR code.

The note is what a visitor keeps on the phone after scanning the code on the ticket screen:
number, topic, hours, address, hotline, e-mail. Right-to-left text stays in logical order here;
the phone's own text layout orders it for display.

Size: the code is drawn with half-block characters, one character cell = one module wide and two
modules tall, so on terminal cells of about 1:2 the modules come out square. A code of N modules
(quiet zone included) needs N columns and ceil(N / 2) rows. `choose_note` picks the longest
candidate note whose code fits the cells available.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from kiosk.core.i18n import localized, text, topic_label

if TYPE_CHECKING:
    from kiosk.core.config import Config, Language
    from kiosk.core.tickets import Ticket

BORDER = 2
"""Quiet zone in modules. The standard asks for 4; 2 decodes reliably on a light screen and
saves 4 columns and 2 rows, which decides between a full and a compact note at 80x24."""

LEVEL = "M"
"""Error correction: M (15 %) survives glare and a slightly tilted phone."""

# qrcode (and through it PIL, when installed) is imported on the first code, not with this
# module: the language screen uses the note's text helpers, and every millisecond before the
# kiosk's first frame counts (see the cold-start benchmark).


def _qr_level(level: str) -> int:
    from qrcode import constants

    return {
        "L": constants.ERROR_CORRECT_L,
        "M": constants.ERROR_CORRECT_M,
        "Q": constants.ERROR_CORRECT_Q,
        "H": constants.ERROR_CORRECT_H,
    }[level]


Matrix = list[list[bool]]


class WeekHours(Protocol):
    """The part of kiosk.core.hours.Hours the note needs."""

    def week_lines(self, schedule_id: str, language: Language, at: datetime) -> list[str]: ...


def _label(config: Config, lang: str, key: str) -> str:
    """A visitor label without a trailing colon, so the note can add exactly one."""
    return text(config, lang, "visitor", key).strip().rstrip(":：").strip()


def _language(config: Config, lang: str) -> Language | None:
    for code in (lang, "en", "de"):
        if code in config.languages:
            return config.languages[code]
    return next(iter(config.languages.values()), None)


def compress_days(line: str, language: Language) -> str:
    """Three or more consecutive weekdays as a range: "Mo, Di, Mi, Do, Fr 08:00–16:00" becomes
    "Mo–Fr 08:00–16:00", so the note stays short enough for a small code."""
    names = list(language.weekdays)
    comma = "\u060c " if language.rtl else ", "
    # Weekday names are matched as whole names (longest first), so names with spaces work too.
    parts: list[str] = []
    rest = line
    while True:
        name = next(
            (n for n in sorted(names, key=len, reverse=True) if n and rest.startswith(n)), None
        )
        if name is None:
            break
        parts.append(name)
        rest = rest[len(name) :]
        if rest.startswith(comma):
            rest = rest[len(comma) :]
            continue
        break
    if len(parts) < 3 or not rest.startswith(" "):
        return line
    indexes = [names.index(p) for p in parts]
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    groups = [
        f"{names[run[0]]}\u2013{names[run[-1]]}"
        if len(run) >= 3
        else comma.join(names[i] for i in run)
        for run in runs
    ]
    return comma.join(groups) + rest


def week_summary(
    hours: WeekHours, schedule_id: str, language: Language | None, at: datetime
) -> str:
    """A schedule's regular week in one line ("Mo–Fr 08:00–16:00; Do 13:00–17:00"), weekday
    runs as ranges, in the script's own semicolon; "" without a language or schedule."""
    if language is None:
        return ""
    try:
        lines = hours.week_lines(schedule_id, language, at)
    except KeyError:  # schedule removed from config: leave the hours out rather than fail
        return ""
    semicolon = "\u061b " if language.rtl else "; "
    return semicolon.join(compress_days(line, language) for line in lines if line)


PHONE = "\u260e"
"""☎: says "telephone" in every language in 3 bytes, where a label takes 10 to 30."""

DETAILS = ("full", "short", "medium", "compact", "tiny", "minimal")
"""Note sizes, longest first (see take_away_note)."""


def take_away_note(
    config: Config,
    hours: WeekHours,
    ticket: Ticket,
    lang: str,
    at: datetime,
    compact: bool = False,
    detail: str | None = None,
) -> str:
    """The take-away note for `ticket` in `lang`, plain text lines in logical order.

    `detail` (default "full", or "compact" when `compact`):
      full:    service point name, ticket number, topic label, the topic's week hours, address
               with floor, hotline number with its hours, e-mail
      short:   the same without the service point name and the floor
      medium:  short without the e-mail
      compact: ticket number, the topic's week hours, hotline label and number
      tiny:    ticket number, the topic's week hours, ☎ and the hotline number
      minimal: ticket number, ☎ and the hotline number
    Lines without content are left out.
    """
    detail = detail or ("compact" if compact else "full")
    if detail not in DETAILS:
        raise ValueError(f"unknown detail {detail!r}")
    site = config.site
    language = _language(config, lang)
    topic = config.topic(ticket.topic)
    label = topic_label(config, lang, ticket.topic) if topic else ticket.topic_label
    topic_hours = week_summary(hours, topic.schedule, language, at) if topic else ""
    hotline = site.hotline

    if detail in ("compact", "tiny", "minimal"):
        if not hotline.number:
            phone = ""
        elif detail == "compact":
            phone = f"{_label(config, lang, 'hotline')}: {hotline.number}"
        else:
            phone = f"{PHONE} {hotline.number}"
        lines = [ticket.number, "" if detail == "minimal" else topic_hours, phone]
        return "\n".join(line for line in lines if line)

    floor = localized(site.floor, lang) if site.floor and detail == "full" else ""
    address = ", ".join(part for part in (site.address, floor) if part)
    hotline_hours = week_summary(hours, hotline.schedule, language, at) if hotline.schedule else ""
    hotline_line = hotline.number + (f" ({hotline_hours})" if hotline_hours else "")
    email = hotline.email or getattr(site, "email", "")
    lines = [
        site.name if detail == "full" else "",
        f"{_label(config, lang, 'your_number')}: {ticket.number}",
        label,
        f"{_label(config, lang, 'hours')}: {topic_hours}" if topic_hours else "",
        f"{_label(config, lang, 'address')}: {address}" if address else "",
        f"{_label(config, lang, 'hotline')}: {hotline_line}" if hotline.number else "",
        f"{_label(config, lang, 'email')}: {email}" if email and detail != "medium" else "",
    ]
    return "\n".join(line for line in lines if line)


def status_url(config: Config, ticket: Ticket) -> str | None:
    """`<public_url>/t/<token>`: the ticket's live status page, when site.toml has [status]."""
    status = config.site.status
    if not status.enabled or not ticket.token:
        return None
    return status.ticket_url(ticket.token)


def take_away_notes(
    config: Config, hours: WeekHours, ticket: Ticket, lang: str, at: datetime
) -> list[str]:
    """Every candidate note, longest first (one per DETAILS). Feed them to `choose_note` or
    to the QrCode widget, which shows the longest whose code fits.

    With a status page configured the code holds only its address: the page shows the same
    note below the live state, and a short address gives a code phones read from afar.
    """
    url = status_url(config, ticket)
    if url is not None:
        return [url]
    notes = [take_away_note(config, hours, ticket, lang, at, detail=d) for d in DETAILS]
    return sorted(dict.fromkeys(notes), key=lambda n: len(n.encode("utf-8")), reverse=True)


@lru_cache(maxsize=64)
def _matrix(text: str, border: int, level: str) -> tuple[tuple[bool, ...], ...] | None:
    import qrcode
    from qrcode.exceptions import DataOverflowError

    code = qrcode.QRCode(error_correction=_qr_level(level), border=border)
    code.add_data(text)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError):
        return None
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def qr_matrix(text: str, border: int = BORDER, level: str = LEVEL) -> Matrix | None:
    """The QR code of `text` (UTF-8) as rows of modules, True = dark, quiet zone included.

    None when the text is too long for any QR version at this error-correction level.
    """
    rows = _matrix(text, border, level)
    return None if rows is None else [list(row) for row in rows]


def cells_needed(modules: int) -> tuple[int, int]:
    """(columns, rows) a code of `modules` x `modules` takes with half blocks."""
    return modules, (modules + 1) // 2


def fits(matrix: Matrix, width: int, height: int) -> bool:
    """Whether the whole code, quiet zone included, fits `width` x `height` cells."""
    columns, rows = cells_needed(len(matrix))
    return columns <= width and rows <= height


def choose_note(
    notes: Sequence[str],
    width: int,
    height: int,
    border: int = BORDER,
    level: str = LEVEL,
) -> tuple[str, Matrix] | None:
    """The longest note (in UTF-8 bytes) whose code fits `width` x `height` cells, with its matrix.

    None when none fits: the caller then shows a short message instead of a cropped code.
    """
    for note in sorted(notes, key=lambda n: len(n.encode("utf-8")), reverse=True):
        if not note:
            continue
        # Cheap test first: a note longer than the largest fitting version holds cannot fit.
        if len(note.encode("utf-8")) > max_bytes(width, height, border, level):
            continue
        matrix = qr_matrix(note, border, level)
        if matrix is not None and fits(matrix, width, height):
            return note, matrix
    return None


def max_version(width: int, height: int, border: int = BORDER) -> int:
    """The largest QR version (1-40) whose code fits the cells; 0 when not even version 1 fits."""
    best = 0
    for version in range(1, 41):
        modules = 17 + 4 * version + 2 * border
        columns, rows = cells_needed(modules)
        if columns <= width and rows <= height:
            best = version
    return best


def max_bytes(width: int, height: int, border: int = BORDER, level: str = LEVEL) -> int:
    """How many UTF-8 bytes (byte mode) the largest code fitting the cells holds."""
    version = max_version(width, height, border)
    if version == 0:
        return 0
    from qrcode import util

    bits = util.BIT_LIMIT_TABLE[_qr_level(level)][version]
    header = 4 + util.length_in_bits(util.MODE_8BIT_BYTE, version)
    return (bits - header) // 8
