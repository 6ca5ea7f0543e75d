"""Take-away note and QR code: content per language, size choice, and decoding what is drawn."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.config import load_config
from kiosk.core.hours import Hours
from kiosk.core.qr import (
    DETAILS,
    PHONE,
    cells_needed,
    choose_note,
    max_bytes,
    max_version,
    qr_matrix,
    take_away_note,
    take_away_notes,
)
from kiosk.core.tickets import State, Ticket
from kiosk.ui.widgets.qr_code import matrix_lines
from tests.qr_raster import decode_lines, matrix_from_lines

SHIPPED = Path(__file__).resolve().parents[2] / "config"
LANGS = ("de", "en", "uk", "ru", "ar", "tr", "fa")

# Regions the code gets: a whole 80x24 / 120x40 terminal, and beside the big number on the
# 80x24 ticket screen (the tightest place the visitor screen uses: 45 x 23 holds version 6).
REGIONS = [(80, 24), (120, 40), (45, 23)]


@pytest.fixture(scope="module")
def config():
    return load_config(SHIPPED)


@pytest.fixture(scope="module")
def hours(config):
    return Hours(config)


@pytest.fixture(scope="module")
def now(config):
    return datetime(2026, 11, 30, 13, 0, tzinfo=config.site.timezone)  # a Monday, open


def ticket(config, now, topic_id="kim", seq=1, lang="de") -> Ticket:
    topic = config.topic(topic_id)
    assert topic is not None
    return Ticket(
        day=now.date(),
        letter=topic.letter,
        seq=seq,
        topic=topic.id,
        topic_label="Sprechstunde",
        lang=lang,
        state=State.WAITING,
        issued_at=now,
    )


def test_full_note_german_has_every_part_in_order(config, hours, now):
    t = ticket(config, now)
    note = take_away_note(config, hours, t, "de", now)
    lines = note.split("\n")
    print(note)
    assert lines[0] == config.site.name
    assert lines[1] == f"Ihre Nummer: {t.number}"
    assert lines[2] == config.languages["de"].topics["kim"].label
    assert lines[3].startswith("Öffnungszeiten: ")
    for line in hours.week_lines("sprechstunde", config.languages["de"], now):
        assert line in lines[3]
    assert lines[4].startswith("Adresse: " + config.site.address)
    assert config.site.floor["de"] in lines[4]
    assert lines[5].startswith("Info-Telefon: 0214/406-3333 (")
    # The hotline's five weekdays are written as a range.
    assert "Mo–Fr 08:00–16:00" in lines[5]
    assert lines[6] == "E-Mail: ukraine-levhilft@stadt.leverkusen.de"


def test_compact_note_is_number_hours_hotline(config, hours, now):
    t = ticket(config, now)
    note = take_away_note(config, hours, t, "de", now, compact=True)
    assert note.split("\n") == [
        "A-001",
        "Mo, Mi 12:30–16:30; Do 13:00–17:00",
        "Info-Telefon: 0214/406-3333",
    ]


def test_every_detail_keeps_number_and_hotline_and_shrinks(config, hours, now):
    t = ticket(config, now)
    for lang in LANGS:
        sizes = []
        for detail in DETAILS:
            note = take_away_note(config, hours, t, lang, now, detail=detail)
            assert t.number in note
            assert "0214/406-3333" in note
            sizes.append(len(note.encode("utf-8")))
        assert sizes == sorted(sizes, reverse=True), (lang, sizes)
    minimal = take_away_note(config, hours, t, "ar", now, detail="minimal")
    assert minimal == f"A-001\n{PHONE} 0214/406-3333"


def test_rtl_note_stays_in_logical_order(config, hours, now):
    t = ticket(config, now)
    ar = take_away_note(config, hours, t, "ar", now, detail="short").split("\n")
    # Logical order: the label comes first in memory, then the number (the phone lays it out).
    assert ar[0] == "رقمك: A-001"
    assert ar[2].startswith("أوقات العمل: الاثنين، الأربعاء 12:30–16:30؛ الخميس 13:00–17:00")
    fa = take_away_note(config, hours, t, "fa", now)
    assert "شماره شما: A-001" in fa
    # Persian letters are written as Persian letters, not shaped or replaced by Arabic ones.
    assert "پنجشنبه" in fa and "ی" in fa and "ک" in fa
    assert not any("\ufb50" <= ch <= "\ufeff" for ch in fa)


def test_removed_topic_keeps_the_label_stored_on_the_ticket(config, hours, now):
    gone = ticket(config, now).evolve(topic="removed", topic_label="Alte Beratung")
    note = take_away_note(config, hours, gone, "de", now)
    assert "Alte Beratung" in note
    assert "Öffnungszeiten" not in note  # no schedule to show


def test_capacity_figures():
    # Half blocks: N modules take N columns and ceil(N/2) rows; border 2, level M.
    assert cells_needed(45) == (45, 23)
    assert (max_version(80, 24), max_bytes(80, 24)) == (6, 106)
    assert (max_version(45, 23), max_bytes(45, 23)) == (6, 106)
    assert (max_version(120, 40), max_bytes(120, 40)) == (14, 362)
    assert max_version(20, 10) == 0 and max_bytes(20, 10) == 0
    for width, height in [(80, 24), (120, 40), (60, 30)]:
        print(
            f"{width}x{height}: version {max_version(width, height)}, {max_bytes(width, height)} bytes"
        )


def test_qr_matrix_shape_and_overflow():
    matrix = qr_matrix("A-001")
    assert matrix is not None
    assert len(matrix) == 21 + 4 and all(len(row) == 25 for row in matrix)
    # Quiet zone: two light modules on every side.
    assert not any(matrix[0]) and not any(matrix[1]) and not any(matrix[-1]) and not any(matrix[-2])
    assert not any(row[0] or row[1] or row[-1] or row[-2] for row in matrix)
    assert qr_matrix("x" * 3000) is None  # beyond version 40


def test_choose_note_prefers_the_longest_that_fits(config, hours, now):
    t = ticket(config, now)
    notes = take_away_notes(config, hours, t, "de", now)
    assert len(notes) == len(DETAILS)
    chosen = choose_note(notes, 120, 40)
    assert chosen is not None and chosen[0] == take_away_note(config, hours, t, "de", now)
    chosen = choose_note(notes, 45, 23)
    assert chosen is not None
    assert chosen[0] == take_away_note(config, hours, t, "de", now, compact=True)
    assert choose_note(notes, 29, 15) is not None  # version 2 (26 bytes) holds "A-001 ☎ ..."
    assert choose_note(notes, 28, 15) is None  # nothing fits: the widget shows a message
    assert choose_note([], 120, 40) is None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("region", REGIONS, ids=lambda r: f"{r[0]}x{r[1]}")
def test_code_decodes_to_the_note_in_every_language(config, hours, now, lang, region):
    width, height = region
    t = ticket(config, now, lang=lang)
    notes = take_away_notes(config, hours, t, lang, now)
    chosen = choose_note(notes, width, height)
    assert chosen is not None, f"no code for {lang} at {width}x{height}"
    note, matrix = chosen
    lines = matrix_lines(matrix)
    assert len(lines) <= height and all(len(line) <= width for line in lines)
    # What is drawn is exactly the matrix (quiet zone included), and a phone reads the note.
    assert matrix_from_lines(lines)[: len(matrix)] == matrix
    assert decode_lines(lines) == [note]
    # Beside the number at 80x24 every language still gets hours and hotline, not just the number.
    if region == (45, 23):
        assert note.count("\n") == 2, note
    print(lang, region, len(note.encode("utf-8")), "bytes", len(matrix), "modules")


def test_full_or_nearly_full_note_at_120x40(config, hours, now):
    t = ticket(config, now)
    for lang in LANGS:
        notes = take_away_notes(config, hours, t, lang, now)
        chosen = choose_note(notes, 120, 40)
        assert chosen is not None
        # At least address and e-mail or address and hotline hours make it at 120x40.
        assert config.site.address in chosen[0], lang


def test_compress_days(config):
    from kiosk.core.qr import compress_days

    de, ar = config.languages["de"], config.languages["ar"]
    assert compress_days("Mo, Di, Mi, Do, Fr 08:00–16:00", de) == "Mo–Fr 08:00–16:00"
    assert compress_days("Mo, Di, Mi, Fr 08:00–16:00", de) == "Mo–Mi, Fr 08:00–16:00"
    assert compress_days("Mo, Mi 12:30–16:30", de) == "Mo, Mi 12:30–16:30"
    assert compress_days("Mo, Di 12:30–16:30", de) == "Mo, Di 12:30–16:30"  # two days: a list
    assert compress_days("nonsense", de) == "nonsense"
    days = "، ".join(ar.weekdays[:5])
    assert (
        compress_days(f"{days} 08:00–16:00", ar) == f"{ar.weekdays[0]}–{ar.weekdays[4]} 08:00–16:00"
    )
