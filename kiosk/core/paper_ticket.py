"""Paper ticket: what the printed ticket says, in the visitor's language, drawn as one image.

Receipt printers' code pages cannot shape Arabic or Farsi, so every script is drawn here with
Pillow into a one-bit image the width of the paper, and the printer only prints pixels. Text
goes through kiosk.core.bidi_text like on screen: wrapped by pixel width, shaped, each line in
display order, drawn glyph by glyph with Pillow's basic layout (raqm, when Pillow has it, would
reorder the already ordered line a second time). Right-to-left lines are right-aligned;
numbers, phone numbers and times keep their left-to-right form.

Font: DejaVu Sans (Debian package fonts-dejavu-core) draws Latin, Cyrillic, and the Arabic and
Persian presentation forms that shaping produces. It is found by path (FONT_DIRS); a box
without it gets one clear line saying which package to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.bidi_text import display_lines, visual_line
from kiosk.core.config.printer import DOTS
from kiosk.core.i18n import localized, text, topic_label
from kiosk.core.qr import WeekHours, qr_matrix, take_away_notes, week_summary

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from kiosk.core.config import Config, Language
    from kiosk.core.store import Issued

FONT_PACKAGE = "fonts-dejavu-core"
"""The Debian package with the font the paper ticket is drawn in."""
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/local/share/fonts/dejavu"),
)
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"

MARGIN = 8
"""Dots left blank at each side: the print head's outer dots are often weak."""
QR_BORDER = 4
"""Quiet zone of the printed code in modules: paper has room for the full one the standard
asks for, and a phone camera finds a code on a receipt more easily with it."""
QR_LEVEL = "M"
MIN_MODULE_DOTS = 4
"""Smallest printed QR module (4 dots = 0.5 mm at 203 dpi): phones read thermal paper less
well than a screen, so a narrow paper gets a shorter note rather than tinier modules."""
MAX_MODULE_DOTS = 6
"""Largest printed module (0.75 mm): bigger only costs paper."""


class FontMissing(Exception):
    """No font to draw the ticket with: the message names the package to install."""


@dataclass(frozen=True)
class PaperTicket:
    """The printed ticket's texts in the visitor's language, logical order (not yet shaped)."""

    site_name: str
    your_number: str
    """The label above the number ("Ihre Nummer")."""
    number: str
    topic: str
    ahead: str
    what_now: str
    hours: str
    hotline: str
    address: str
    issued_at: str
    """Date and time of issue, "07.12.2026 14:03": digits need no language."""
    notes: tuple[str, ...]
    """The take-away notes, longest first (kiosk.core.qr.take_away_notes): the code carries the
    longest one whose modules stay large enough on the paper (see printed_note)."""
    qr_hint: str
    rtl: bool


def _language(config: Config, lang: str) -> Language | None:
    for code in (lang, "en", "de"):
        if code in config.languages:
            return config.languages[code]
    return None


def paper_ticket(
    config: Config, hours: WeekHours, issued: Issued, lang: str, at: datetime
) -> PaperTicket:
    """The texts of the printed ticket for a freshly issued ticket (plain data, cheap)."""
    ticket = issued.ticket
    language = _language(config, lang)

    def t(key: str, **values: object) -> str:
        return text(config, lang, "visitor", key, **values)

    ahead = t("people_ahead", n=issued.people_ahead) if issued.people_ahead else t("nobody_ahead")
    if issued.wait_minutes is not None and issued.people_ahead:
        ahead = f"{ahead} · {t('wait_estimate', minutes=issued.wait_minutes)}"
    topic = config.topic(ticket.topic)
    site = config.site
    floor = localized(site.floor, lang) if site.floor else ""
    address = ", ".join(part for part in (site.address, floor) if part)
    topic_hours = week_summary(hours, topic.schedule, language, at) if topic else ""
    hotline = site.hotline
    hotline_hours = week_summary(hours, hotline.schedule, language, at)
    hotline_line = f"{t('hotline')}: {hotline.number}" + (
        f" ({hotline_hours})" if hotline_hours else ""
    )
    return PaperTicket(
        site_name=site.name,
        your_number=t("your_number"),
        number=ticket.number,
        topic=topic_label(config, lang, ticket.topic) if topic else ticket.topic_label,
        ahead=ahead,
        what_now=t("what_now"),
        hours=f"{t('hours')}: {topic_hours}" if topic_hours else "",
        hotline=hotline_line if hotline.number else "",
        address=f"{t('address')}: {address}" if address else "",
        issued_at=ticket.issued_at.strftime("%d.%m.%Y %H:%M"),
        notes=tuple(take_away_notes(config, hours, ticket, lang, at)),
        qr_hint=t("qr_hint"),
        rtl=bool(language and language.rtl),
    )


def find_font(name: str = REGULAR, dirs: tuple[Path, ...] = FONT_DIRS) -> Path:
    """The path of a DejaVu font file; FontMissing names the package when there is none."""
    for folder in dirs:
        path = folder / name
        if path.is_file():
            return path
    raise FontMissing(
        f"no font to print with: {name} not found in {', '.join(str(d) for d in dirs)} "
        f"(install the Debian package {FONT_PACKAGE})"
    )


@lru_cache(maxsize=32)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    # Basic layout: the line is already shaped and in display order (see the module docstring).
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


class _Sheet:
    """Blocks of drawn lines stacked top to bottom, then pasted onto one white image."""

    def __init__(self, width: int, regular: Path, bold: Path, rtl: bool) -> None:
        self.width = width
        self.inner = width - 2 * MARGIN
        self.regular = regular
        self.bold = bold
        self.rtl = rtl
        self.parts: list[tuple[Image.Image, str]] = []  # (image, "left" | "right" | "center")

    def gap(self, height: int) -> None:
        from PIL import Image

        self.parts.append((Image.new("1", (1, height), 1), "center"))

    def rule(self) -> None:
        from PIL import Image, ImageDraw

        line = Image.new("1", (self.inner, 9), 1)
        ImageDraw.Draw(line).line([(0, 4), (self.inner, 4)], fill=0, width=2)
        self.parts.append((line, "center"))

    def text(self, content: str, size: int, bold: bool = False, center: bool = False) -> None:
        """A paragraph wrapped to the paper's width, in display order, each line one part."""
        if not content:
            return
        from PIL import Image, ImageDraw

        font = _font(self.bold if bold else self.regular, size)

        def measure(piece: str) -> int:
            return int(font.getlength(piece))

        lines = display_lines(content, self.inner, measure, rtl=True if self.rtl else None)
        ascent, descent = font.getmetrics()
        align = "center" if center else ("right" if self.rtl else "left")
        for line in lines:
            width = max(1, min(self.inner, int(font.getlength(line)) + 1))
            image = Image.new("1", (width, ascent + descent + size // 5), 1)
            ImageDraw.Draw(image).text((0, 0), line, font=font, fill=0)
            self.parts.append((image, align))

    def number(self, number: str) -> None:
        """The ticket number as large as fits the paper, bold, always left to right."""
        from PIL import Image, ImageDraw

        line = visual_line(number, rtl=False)
        size = 150
        font = _font(self.bold, size)
        while size > 24 and font.getlength(line) > self.inner:
            size -= 6
            font = _font(self.bold, size)
        left, top, right, bottom = font.getbbox(line)
        image = Image.new("1", (right - left + 2, bottom - top + 2), 1)
        ImageDraw.Draw(image).text((-left + 1, -top + 1), line, font=font, fill=0)
        self.parts.append((image, "center"))

    def qr(self, note: str) -> bool:
        """The take-away code, as large as fits; False when the note fits no code."""
        from PIL import Image

        matrix = qr_matrix(note, border=QR_BORDER, level=QR_LEVEL)
        if matrix is None:
            return False
        modules = len(matrix)
        scale = max(1, min(MAX_MODULE_DOTS, self.inner // modules))
        code = Image.new("1", (modules, modules), 1)
        code.putdata([0 if dark else 1 for row in matrix for dark in row])
        self.parts.append((code.resize((modules * scale,) * 2, Image.Resampling.NEAREST), "center"))
        return True

    def image(self) -> Image.Image:
        from PIL import Image

        height = sum(part.height for part, _ in self.parts)
        sheet = Image.new("1", (self.width, height), 1)
        y = 0
        for part, align in self.parts:
            if align == "center":
                x = (self.width - part.width) // 2
            elif align == "right":
                x = self.width - MARGIN - part.width
            else:
                x = MARGIN
            sheet.paste(part, (x, y))
            y += part.height
        return sheet


def printed_note(paper: PaperTicket, dots: int = DOTS[80]) -> str:
    """The note the printed code carries: the longest whose modules are at least
    MIN_MODULE_DOTS wide on this paper, else the shortest."""
    inner = dots - dots % 8 - 2 * MARGIN
    for note in paper.notes:
        matrix = qr_matrix(note, border=QR_BORDER, level=QR_LEVEL)
        if matrix is not None and inner // len(matrix) >= MIN_MODULE_DOTS:
            return note
    return paper.notes[-1]


def render(
    paper: PaperTicket, dots: int = DOTS[80], font_dirs: tuple[Path, ...] = FONT_DIRS
) -> Image.Image:
    """The printed ticket as a one-bit image `dots` wide (black = 0), ready for the printer.

    Raises FontMissing when the font is not installed.
    """
    regular, bold = find_font(REGULAR, font_dirs), find_font(BOLD, font_dirs)
    sheet = _Sheet(dots - dots % 8, regular, bold, paper.rtl)
    small = 22 if dots >= 512 else 18
    body = 26 if dots >= 512 else 21
    sheet.text(paper.site_name, small, bold=True, center=True)
    sheet.gap(10)
    sheet.text(paper.your_number, body, center=True)
    sheet.number(paper.number)
    sheet.gap(6)
    sheet.text(paper.topic, body + 4, bold=True, center=True)
    sheet.gap(8)
    sheet.text(paper.ahead, body)
    sheet.text(paper.what_now, body)
    sheet.gap(6)
    sheet.rule()
    for line in (paper.hours, paper.hotline, paper.address):
        sheet.text(line, small)
        sheet.gap(4)
    sheet.gap(6)
    if paper.notes and sheet.qr(printed_note(paper, dots)):
        sheet.text(paper.qr_hint, small, center=True)
    sheet.gap(6)
    sheet.text(paper.issued_at, small, center=True)
    sheet.gap(24)
    return sheet.image()
