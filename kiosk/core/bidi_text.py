"""Right-to-left text drawn left to right: wrap, shape and put each line in display order.

Terminals draw characters left to right, cell by cell, and so does the printed ticket (Pillow's
basic layout, glyph by glyph); neither joins Arabic letters nor reorders right-to-left text. So
for Arabic and Farsi we do it: wrap the logical text to the width (measured after shaping, by
the caller's measure: terminal cells for screens, pixels for paper), then per wrapped line
shape the letters (arabic_reshaper: presentation forms, Persian letters kept) and reorder the
line alone into visual order (python-bidi). Runs that must read left to right inside right-to-left text (phone numbers
"0214/406-3333", times "12:30–16:30", ranges "(8-16)", ticket numbers "A-001", e-mail
addresses) are wrapped in LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE before reordering,
so plain bidi cannot turn "0214/406-3333" into "3333-0214/406" or "(8-16)" into ")16-8(";
the isolate marks are removed afterwards. Brackets outside those runs are mirrored (python-bidi
does not), so "(مرحبا)" still shows its brackets the right way round.

Plain Python (no Textual, no rich): kiosk.ui.rtl measures in terminal cells on top of it.

`rtl_mode="terminal"` (site.rtl_mode) is for terminals that shape and reorder themselves: the
wrapped logical lines are returned unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from bidi.mirror import MIRRORED

REORDER = "reorder"
TERMINAL = "terminal"
RTL_MODES = (REORDER, TERMINAL)

LRI = "\u2066"
PDI = "\u2069"
# Invisible formatting that has done its job once a line is shaped and ordered: isolates and
# embeddings, the direction marks, and ZWNJ (it only stops letters from joining, which shaping
# has applied). Terminals may draw them as boxes or give them a cell.
_FORMAT_CHARS = dict.fromkeys(
    map(ord, "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u061c\u200c")
)
# Arabic combining marks (harakat, superscript alef, Quranic marks).
_ARABIC_MARKS = (
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
_MARKS_BEFORE_BASE = re.compile(rf"([{_ARABIC_MARKS}]+)([^{_ARABIC_MARKS}])")
_MIRROR = {ord(a): b for a, b in MIRRORED.items()}

# Joined ligatures (lam-alef) change the cell count, so shaping happens before measuring;
# harakat stay as combining marks (zero width) rather than being dropped.
_reshaper = ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": True, "delete_tatweel": False}
)

# A left-to-right run: Latin letters and digits joined by the punctuation of phone numbers,
# times, ranges, ticket numbers and e-mail addresses; words and digit groups separated by single
# spaces stay one run ("Mo–Fr 08:00", "0214 406 3333"); an optional leading "+" (international
# numbers); and brackets, only when the run both opens and closes them.
_WORD = r"[A-Za-z0-9\u00C0-\u024F]+"
_JOIN = r"(?:[@._/:+\-\u2010-\u2015'’,]+|\s)"
_CORE = rf"\+?{_WORD}(?:{_JOIN}{_WORD})*"
_LTR_RUN = re.compile(rf"(\()?{_CORE}(?(1)\))")
_RUN_GAP = re.compile(r"[,;.]\s?")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")

_RTL_LETTER = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")


def has_rtl(text: str) -> bool:
    """Whether the text holds any Hebrew or Arabic-script letter."""
    return bool(_RTL_LETTER.search(text))


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """Arabic-script letters in their joined presentation forms (logical order kept)."""
    if not has_rtl(text):
        return text
    return _reshaper.reshape(text)


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every left-to-right run in `text`.

    Runs with a Latin letter reach over ", " to the next run ("Wiesdorfer Platz 34a, 51373
    Leverkusen" stays one address), as the bidi algorithm does: after a Latin letter digits
    and commas count as left to right. Runs of digits only do not ("12:30–16:30, 13:00–17:00"
    in Arabic text reads right to left from run to run, as a browser shows it).
    """
    runs: list[tuple[int, int]] = []
    for match in _LTR_RUN.finditer(text):
        start, end = match.span()
        if runs:
            last_start, last_end = runs[-1]
            gap = text[last_end:start]
            if _RUN_GAP.fullmatch(gap) and _LATIN_LETTER.search(text, last_start, last_end):
                runs[-1] = (last_start, end)
                continue
        runs.append((start, end))
    return runs


def isolate_ltr_runs(text: str, mirror: bool = False) -> str:
    """Wrap every left-to-right run (numbers, times, ranges, e-mails) in LRI ... PDI.

    With `mirror`, brackets and other mirrored characters outside the runs are swapped for their
    mirror image ("(" <-> ")"). python-bidi's reordering does not apply rule L4 (mirroring), and
    in a right-to-left line every character outside an isolated run ends on a right-to-left level.
    """
    parts: list[str] = []
    end = 0
    for start, stop in ltr_runs(text):
        gap = text[end:start]
        parts.append(gap.translate(_MIRROR) if mirror else gap)
        parts.append(f"{LRI}{text[start:stop]}{PDI}")
        end = stop
    rest = text[end:]
    parts.append(rest.translate(_MIRROR) if mirror else rest)
    return "".join(parts)


def visual_line(line: str, rtl: bool | None = None) -> str:
    """One already wrapped logical line, shaped and in visual (left-to-right cell) order.

    Args:
        line: logical text without line breaks.
        rtl: the paragraph direction; None decides by whether the line holds RTL letters.
    """
    if rtl is None:
        rtl = has_rtl(line)
    if not rtl and not has_rtl(line):
        return line
    shaped = shape(line)
    ordered = get_display(isolate_ltr_runs(shaped, mirror=rtl), base_dir="R" if rtl else "L")
    # Reversal puts a letter's marks before it; a terminal attaches a mark to the cell before,
    # so put them back after their letter (UAX #9 rule L3).
    ordered = _MARKS_BEFORE_BASE.sub(lambda m: m.group(2) + m.group(1)[::-1], ordered)
    return ordered.translate(_FORMAT_CHARS)


def _mirror_outside_isolates(text: str) -> str:
    """Mirror brackets outside LRI ... PDI (see isolate_ltr_runs); runs inside stay as they are."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == LRI:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            char = char.translate(_MIRROR)
        out.append(char)
    return "".join(out)


def _close_isolates_per_line(lines: list[str]) -> list[str]:
    """Each wrapped line closes the run it ends in and reopens the run it starts in, so a
    left-to-right run broken over two lines is isolated on both."""
    closed: list[str] = []
    inside = False
    for line in lines:
        prefix = LRI if inside else ""
        for char in line:
            if char == LRI:
                inside = True
            elif char == PDI:
                inside = False
        closed.append(prefix + line + (PDI if inside else ""))
    return closed


def _visual_marked_rtl_line(line: str) -> str:
    """A right-to-left line whose left-to-right runs are already isolated, in visual order."""
    shaped = shape(line)
    ordered = get_display(_mirror_outside_isolates(shaped), base_dir="R")
    ordered = _MARKS_BEFORE_BASE.sub(lambda m: m.group(2) + m.group(1)[::-1], ordered)
    return ordered.translate(_FORMAT_CHARS)


Measure = Callable[[str], int]
"""How wide a piece of text is drawn (terminal cells, pixels), given the characters drawn."""


def _measure(text: str, shaped: bool, measure: Measure) -> int:
    return measure(shape(text) if shaped else text)


def _hard_break(word: str, width: int, shaped: bool, measure: Measure) -> list[str]:
    """Split one word too wide for the line into pieces of at most `width` (after shaping).

    Never splits a base letter from its combining marks.
    """
    pieces: list[str] = []
    current = ""
    for char in word:
        if (
            current
            and unicodedata.combining(char) == 0
            and _measure(current + char, shaped, measure) > width
        ):
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces


BREAKING_SPACE = re.compile(r"[ \t\r\f\v]+")


def wrap(text: str, width: int, measure: Measure, shaped: bool = True) -> list[str]:
    """Word-wrap logical text to `width` (in `measure`'s unit), measured after shaping; keeps
    every word.

    Explicit line breaks are kept; runs of spaces collapse to one; a word wider than the line is
    broken by characters. `shaped=False` measures the logical characters instead (for terminals
    that shape themselves and may not form the lam-alef ligature, which saves a cell).
    """
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        # Only ordinary spaces break: a no-break space (U+00A0) holds a number to its unit, a
        # day range to its times and a phone number together ("5\u00a0Minuten").
        words = BREAKING_SPACE.split(paragraph.strip(" \t\r\f\v"))
        if not words or words == [""]:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if _measure(candidate, shaped, measure) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            if _measure(word, shaped, measure) <= width:
                current = word
            else:
                *full, current = _hard_break(word, width, shaped, measure)
                lines.extend(full)
        lines.append(current)
    return lines


def display_lines(
    text: str,
    width: int,
    measure: Measure,
    rtl_mode: str = REORDER,
    rtl: bool | None = None,
) -> list[str]:
    """Logical `text` wrapped to `width`, each line ready to be drawn left to right.

    Args:
        text: logical text; "\n" starts a new paragraph.
        width: room per line, in the unit of `measure`.
        measure: the drawn width of a piece of text (cells, pixels).
        rtl_mode: "reorder" shapes and reorders right-to-left lines here; "terminal" returns
            the wrapped logical lines unchanged, for terminals that do it themselves.
        rtl: paragraph direction; None decides per line by whether it holds RTL letters.

    Lines are not padded: the widget aligns them (right for right-to-left text).
    """
    if rtl_mode == TERMINAL:
        return wrap(text, width, measure, shaped=False)
    if rtl is not True:
        return [visual_line(line, rtl) for line in wrap(text, width, measure)]
    # A right-to-left paragraph: its left-to-right runs are found in the whole paragraph before
    # wrapping, as bidi resolves levels per paragraph, so punctuation inside a run that a line
    # break splits stays with it ("Wiesdorfer Platz 34a," at a line end keeps its comma after
    # "34a" instead of at the far end of the line). Each line is then reordered alone.
    marked = "\n".join(isolate_ltr_runs(paragraph) for paragraph in text.split("\n"))
    return [
        _visual_marked_rtl_line(line)
        for line in _close_isolates_per_line(wrap(marked, width, measure))
    ]
