"""Right-to-left display: shaped letters, words right to left, numbers and ranges left to right.

Judged by the characters that end up in the cells (left to right), never by how a browser shows
them: a browser applies its own bidi on top.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from kiosk.core.config import load_config
from kiosk.ui.rtl import display_lines, shape, visual_line, wrap

SHIPPED = Path(__file__).resolve().parents[2] / "config"

AR = "يرجى الاتصال بالرقم 0214/406-3333 من 12:30–16:30 (8-16) شكرا."
FA = "لطفاً با شماره 0214/406-3333 تماس بگیرید، ساعت کاری 12:30–16:30 (8-16) یک گپ چژ."
LTR_RUNS = ("0214/406-3333", "12:30–16:30", "(8-16)")
BROKEN_BY_PLAIN_BIDI = ("3333-0214/406", "16:30–12:30", ")16-8(", ")8-16(")

# Arabic-script letters in their logical (unshaped) code points.
BASE_LETTERS = {chr(c) for c in range(0x0620, 0x064B)} | {chr(c) for c in range(0x0671, 0x06D4)}

PERSIAN_FORMS = {
    "ی": range(0xFBFC, 0xFC00),
    "ک": range(0xFB8E, 0xFB92),
    "گ": range(0xFB92, 0xFB96),
    "پ": range(0xFB56, 0xFB5A),
    "چ": range(0xFB7A, 0xFB7E),
    "ژ": range(0xFB8A, 0xFB8C),
}


def words_in_right_to_left_order(logical: str, visual: str) -> None:
    """Each Arabic-script word appears shaped and mirrored, and later words stand further left."""
    positions = []
    for word in logical.split():
        if not set(word) & BASE_LETTERS:
            continue
        core = word.strip(".،؛,:")  # sentence punctuation moves to the word's left side
        drawn = visual_line(core, rtl=True)  # shaped, reversed, marks after their letter
        index = visual.find(drawn)
        assert index >= 0, f"{core!r} not found shaped and reversed in {visual!r}"
        positions.append(index)
    assert positions == sorted(positions, reverse=True), positions


@pytest.mark.parametrize("logical", [AR, FA], ids=["ar", "fa"])
def test_sentence_with_phone_time_and_range(logical):
    [line] = display_lines(logical, 200, rtl=True)
    print(line)
    for run in LTR_RUNS:
        assert run in line
    for broken in BROKEN_BY_PLAIN_BIDI:
        assert broken not in line
    # Letters are shaped: no logical Arabic letter is left, only presentation forms.
    assert not (set(line) & BASE_LETTERS)
    words_in_right_to_left_order(logical, line)
    # Runs in right-to-left order too: the phone number (said first) stands right of the range.
    assert line.index("0214/406-3333") > line.index("12:30–16:30") > line.index("(8-16)")
    # The sentence's full stop ends it on the left.
    assert line.startswith(".")


def test_persian_letters_survive_shaping():
    [line] = display_lines(FA, 200, rtl=True)
    for letter, forms in PERSIAN_FORMS.items():
        assert any(ord(ch) in forms for ch in line), f"no shaped form of {letter} in {line!r}"
    # Not replaced by the Arabic yeh / kaf (U+064A, U+0643) or their forms.
    arabic_yeh_kaf = set(range(0xFEF1, 0xFEF5)) | set(range(0xFED9, 0xFEDD)) | {0x064A, 0x0643}
    assert not any(ord(ch) in arabic_yeh_kaf for ch in line)


def test_ticket_number_email_and_international_phone_stay_left_to_right():
    logical = "رقمك A-001. البريد: ukraine-levhilft@stadt.leverkusen.de أو +49 214 406-3333"
    [line] = display_lines(logical, 200, rtl=True)
    assert "A-001" in line and "001-A" not in line
    assert "ukraine-levhilft@stadt.leverkusen.de" in line
    assert "+49 214 406-3333" in line


def test_weekday_hours_line_from_the_language_file():
    logical = "الاثنين، الأربعاء 12:30–16:30؛ الخميس 13:00–17:00"
    [line] = display_lines(logical, 80, rtl=True)
    assert "12:30–16:30" in line and "13:00–17:00" in line
    # Monday's hours (first in logical order) stand right of Thursday's.
    assert line.index("12:30–16:30") > line.index("13:00–17:00")
    words_in_right_to_left_order(logical, line)


def test_brackets_around_arabic_words_look_right():
    # Logical "(مرحبا)": drawn left to right the cells must read "(" ... ")" again.
    [line] = display_lines("(مرحبا) نص", 40, rtl=True)
    assert line.endswith(")") and "(" + shape("مرحبا")[::-1] + ")" in line


def test_marks_follow_their_letter():
    # "لطفاً" ends in alef with fathatan: in the cells the mark must come right after the alef
    # it belongs to, not before it (a terminal attaches a mark to the cell on its left).
    line = visual_line("لطفاً", rtl=True)
    assert line[0] in "\ufe8d\ufe8e"  # alef, isolated or final form
    assert line[1] == "\u064b"
    assert unicodedata.combining(line[0]) == 0


def test_zwnj_is_gone_after_shaping():
    line = visual_line("سه‌شنبه", rtl=True)
    assert "\u200c" not in line
    assert cell_len(line) == len(line)


def test_wrapping_measures_after_shaping_and_keeps_words():
    lines = display_lines(AR, 22, rtl=True)
    print("\n".join(lines))
    assert len(lines) > 1
    for line in lines:
        assert cell_len(line) <= 22
    assert " ".join(wrap(AR, 22)).split() == AR.split()
    for run in LTR_RUNS:
        assert any(run in line for line in lines)
    # Lam-alef becomes one cell: "الاتصال" is 7 letters but 6 cells once shaped.
    assert cell_len(shape("الاتصال")) == 6
    assert wrap("الاتصال", 6) == ["الاتصال"]


def test_each_wrapped_line_is_reordered_alone():
    lines = display_lines(AR, 22, rtl=True)
    logical = wrap(AR, 22)
    assert lines == [visual_line(line, rtl=True) for line in logical]
    # The first logical words are on the first line, at its right end.
    first = shape(AR.split()[0])[::-1]
    assert lines[0].endswith(first)


def test_terminal_mode_leaves_text_alone():
    lines = display_lines(FA, 24, "terminal", rtl=True)
    assert " ".join(lines).split() == FA.split()
    assert all(line in FA for line in lines)
    assert not any("\ufb50" <= ch <= "\ufeff" for line in lines for ch in line)
    for line in lines:
        assert cell_len(line) <= 24


def test_left_to_right_text_is_only_wrapped():
    text = "Bitte rufen Sie 0214/406-3333 an (8-16), Mo–Fr 08:00–16:00."
    assert display_lines(text, 200) == [text]
    assert display_lines(text, 200, rtl=False) == [text]
    assert " ".join(display_lines(text, 14)).split() == text.split()


def test_paragraphs_and_long_words():
    assert display_lines("سطر\nsecond", 20, rtl=True)[1] == "second"
    assert display_lines("", 20) == [""]
    long = "ukraine-levhilft@stadt.leverkusen.de"
    pieces = display_lines(long, 10)
    assert "".join(pieces) == long and all(cell_len(p) <= 10 for p in pieces)


def test_every_visitor_text_of_the_shipped_rtl_languages_fits_and_is_shaped():
    config = load_config(SHIPPED)
    # Every placeholder gets a value, also those of texts added later ("12" by default).
    values = defaultdict(
        lambda: "12",
        {"n": 3, "minutes": 15, "when": "الخميس 13:00", "time": "16:30", "desk": "Raum 1"},
    )
    for code in ("ar", "fa"):
        language = config.languages[code]
        texts = list(language.visitor.values()) + [t.label for t in language.topics.values()]
        for template in texts:
            logical = template.format_map(values)
            for width in (30, 38, 76):
                lines = display_lines(logical, width, rtl=True)
                for line in lines:
                    assert cell_len(line) <= width, (code, logical, width, line)
                    assert not (set(line) & BASE_LETTERS), (code, line)
                assert " ".join(wrap(logical, width)).split() == logical.split()


# Property: whatever the mix, wrapping keeps every word, never overflows, and each drawn line
# holds exactly the characters of its shaped logical line (only order and mirroring change).
WORDS = st.sampled_from(
    [
        "يرجى",
        "الاتصال",
        "بالرقم",
        "شكرا",
        "لطفاً",
        "گپ",
        "چژ",
        "یک",
        "سه‌شنبه",
        "0214/406-3333",
        "12:30–16:30",
        "(8-16)",
        "A-001",
        "Luminaden",
        "(مرحبا)",
        "،",
        "؛",
        "x@y.de",
    ]
)

# Mirroring swaps a bracket for its partner: compare brackets as one character per pair.
_PAIRS = str.maketrans(")]}>»", "([{<«")


@settings(max_examples=150, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=14), width=st.integers(6, 50))
def test_wrap_and_reorder_property(words, width):
    logical = " ".join(words)
    wrapped = wrap(logical, width)
    if all(cell_len(shape(word)) <= width for word in words):
        assert " ".join(wrapped).split() == words
    else:  # a word wider than the line is broken, nothing is lost
        assert "".join(" ".join(wrapped).split()) == "".join(words)
    drawn = display_lines(logical, width, rtl=True)
    assert len(drawn) == len(wrapped)
    for line, source in zip(drawn, wrapped, strict=True):
        assert cell_len(line) <= width
        expected = sorted(shape(source).replace("\u200c", "").translate(_PAIRS))
        assert sorted(line.translate(_PAIRS)) == expected


# Fuzz: any mix of Arabic-script letters and marks, Latin, digits, punctuation and brackets.
ALPHABET = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةىیکگپچژ")
    + ["\u064b", "\u064e", "\u0651", "\u200c", "\u0640"]
    + list("AZaz09-/:.,;()[]«»+@–،؛ ")
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(ALPHABET, max_size=80), width=st.integers(1, 40))
def test_fuzz_never_overflows_and_loses_nothing(text, width):
    for rtl in (True, False, None):
        drawn = display_lines(text, width, rtl=rtl)
        wrapped = wrap(text, width)
        assert len(drawn) == len(wrapped)
        for line, source in zip(drawn, wrapped, strict=True):
            assert cell_len(line) <= width
            expected = sorted(shape(source).replace("\u200c", "").translate(_PAIRS))
            assert sorted(line.replace("\u200c", "").translate(_PAIRS)) == expected
    assert "".join(text.split()) == "".join("".join(wrap(text, width)).split())


def test_latin_address_with_comma_stays_one_left_to_right_run():
    logical = "العنوان: Wiesdorfer Platz 34a, 51373 Leverkusen، الطابق العلوي"
    [line] = display_lines(logical, 200, rtl=True)
    assert "Wiesdorfer Platz 34a, 51373 Leverkusen" in line
    # Digits-only runs after a comma keep right-to-left order between them, as bidi does.
    [times] = display_lines("الاثنين 12:30–16:30, 13:00–17:00", 200, rtl=True)
    assert times.index("13:00–17:00") < times.index("12:30–16:30")
    # Digit groups split by a space are one phone number: "116 117", not "117 116".
    assert "116 117" in display_lines("رقم 116 117 للطبيب", 200, rtl=True)[0]


def test_run_broken_by_a_line_end_keeps_its_punctuation():
    """Regression: runs were found per wrapped line, so "Wiesdorfer Platz 34a," ending a line
    lost its comma to the far (left) end: ",Wiesdorfer Platz 34a :العنوان". Bidi resolves the
    comma inside the paragraph's run "Wiesdorfer Platz 34a, 51373 Leverkusen"."""
    logical = "العنوان: Wiesdorfer Platz 34a, 51373 Leverkusen، الطابق العلوي"
    first, second = display_lines(logical, 35, rtl=True)
    assert first.startswith("Wiesdorfer Platz 34a,")
    assert first.endswith(visual_line("العنوان:", rtl=True))
    assert second.endswith("51373 Leverkusen")
    # Both parts still read left to right, and nothing was lost or added.
    assert sorted("".join([first, second]).replace(" ", "")) == sorted(
        "".join(visual_line(line, rtl=True) for line in wrap(logical, 35)).replace(" ", "")
    )


def test_hotline_with_hours_broken_over_lines_keeps_its_forms():
    logical = "هاتف الاستعلامات: 0214/406-3333 (الاثنين–الجمعة 08:00–16:00)"
    for width in range(14, 60):
        lines = display_lines(logical, width, rtl=True)
        assert any("0214/406-3333" in line for line in lines)
        assert any("08:00–16:00" in line for line in lines)
        assert all(cell_len(line) <= width for line in lines)
