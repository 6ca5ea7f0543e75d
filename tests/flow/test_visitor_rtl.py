"""Right-to-left on the visitor screens, judged by the characters in the terminal cells:
Arabic and Farsi are shaped and in display order per line, right-aligned; the hotline number,
times and the ticket number keep their left-to-right form."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from arabic_reshaper import reshape

from kiosk.core.i18n import text, topic_label
from kiosk.ui.rtl import has_rtl
from tests.visitor_support import (
    make_app,
    region_rows,
    screen_lines,
    shipped_config,
    to_ticket,
    to_topics,
)

RTL = ["ar", "fa"]
# Letters in their logical (unshaped) code points; shaping turns each into a presentation form.
ARABIC_LETTERS = re.compile(r"[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC]")
TIME_RANGE = re.compile(r"\d\d:\d\d–\d\d:\d\d")


def rows_of(app, widget) -> list[str]:
    """The cells of a widget's content region, one string per row."""
    return region_rows(app, widget.content_region)


def bare(text: str) -> str:
    """Without combining marks (bidi may keep a mark after its letter or before it) and
    zero-width format characters (ZWNJ takes no cell)."""
    return "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def first_word_shaped(logical: str) -> str:
    """The first logical word as it must appear on screen: shaped, letters reversed."""
    word = logical.split()[0]
    return bare(reshape(word))[::-1]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", RTL)
async def test_ticket_screen_reads_right_to_left(tmp_path, lang, size):
    config = shipped_config()
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await to_ticket(pilot, lang, "kim")
        screen = app.screen
        all_rows = screen_lines(app)
        # No logical (unshaped) Arabic letters reach the cells: everything is shaped.
        assert not any(ARABIC_LETTERS.search(row) for row in all_rows)

        # The hotline line: number intact (not "3333-406/0214"), times intact.
        hotline = screen.query_one("#hotline")
        rows = rows_of(app, hotline)
        joined = " ".join(rows)
        assert "0214/406-3333" in joined
        assert "3333-406/0214" not in joined
        assert TIME_RANGE.search(joined), joined
        # Right-aligned: every row of the label ends at the right edge of its region.
        for row in rows:
            if row.strip():
                assert not row.endswith(" "), row

        # The label in front of the number reads first, so it stands at the right end.
        label = text(config, lang, "visitor", "hotline")
        first_row = bare(rows[0]).rstrip()
        assert first_row.split()[-1].strip(":") == first_word_shaped(label).strip(":"), first_row

        # "What now" is a sentence: its first word is the rightmost word of the first row.
        what = screen.query_one("#what-now")
        what_rows = [r for r in rows_of(app, what) if r.strip()]
        logical = text(config, lang, "visitor", "what_now")
        assert bare(what_rows[0].split()[-1]).strip(".،") == first_word_shaped(logical).strip(".،")

        # The topic label line and the ticket number stay readable.
        topic = screen.query_one("#topic")
        assert "".join(rows_of(app, topic)).strip()
        assert screen.query_one("#number").number == "A-001"
        # The code sits left of the text for right-to-left readers.
        assert screen.query_one("#qr-side").region.x < screen.query_one("#info").region.x


@pytest.mark.parametrize("lang", RTL)
async def test_topic_choices_have_their_digit_at_the_right(tmp_path, lang):
    config = shipped_config()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        for n, topic in enumerate(config.topics, start=1):
            choice = app.screen.query_one(f"#topic-{topic.id}")
            # Choice content is vertically centred in its cell: find the row with the digit.
            rows = [r for r in rows_of(app, choice) if r.strip()]
            title_row = rows[0]
            assert title_row.rstrip().endswith(f" {n}"), (topic.id, title_row)
            label = topic_label(config, lang, topic.id)
            assert first_word_shaped(label).strip("()") in bare(title_row)
        # Topic 1 is in the right-hand column.
        one = app.screen.query_one(f"#topic-{config.topics[0].id}").region
        two = app.screen.query_one(f"#topic-{config.topics[1].id}").region
        assert one.x > two.x and one.y == two.y


@pytest.mark.parametrize("lang", RTL)
async def test_unavailable_times_keep_their_form(tmp_path, lang):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_topics(pilot, lang)
        choice = app.screen.query_one("#topic-jsl_language")
        assert not choice.available
        rows = " ".join(rows_of(app, choice))
        assert "13:00" in rows and "00:13" not in rows


async def test_terminal_mode_leaves_reordering_to_the_terminal(tmp_path):
    base = shipped_config()
    config = replace(base, site=replace(base.site, rtl_mode="terminal"))
    app = make_app(tmp_path, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_ticket(pilot, "ar", "kim")
        rows = " ".join(rows_of(app, app.screen.query_one("#what-now")))
        logical = text(config, "ar", "visitor", "what_now")
        # Logical order, unshaped letters: the terminal shapes and orders them itself.
        assert logical.split()[0] in rows
        assert ARABIC_LETTERS.search(rows)
        assert has_rtl(rows)
