"""Issue 12, findings 4-9: honest hours, a closed screen that helps, plurals, no-break texts,
a dominant number, instructions at every size. Each test names the regression it pins."""

from __future__ import annotations

import pytest

from kiosk.core.i18n import text
from kiosk.ui.rtl import wrap
from kiosk.ui.widgets.bidi_label import BidiLabel
from tests.visitor_support import (
    lang_digit,
    make_app,
    ready,
    screen_lines,
    screen_text,
    shipped_config,
    to_ticket,
    to_topics,
    wait_for,
)

MONDAY_1605 = "2026-11-30T16:05"  # KIM stopped issuing at 16:00, the rest issue until 16:10
MONDAY_1358 = "2026-11-30T13:58"
MONDAY_1620 = "2026-11-30T16:20"  # open until 16:30, no numbers any more
MONDAY_1700 = "2026-11-30T17:00"
TUESDAY_1100 = "2026-12-01T11:00"  # JOB Service opens at 13:00
SUNDAY = "2026-11-29T13:00"
CHRISTMAS = "2026-12-28T11:00"  # closed 24.12.-31.12. (Weihnachten und Jahreswechsel)


def t(lang: str, key: str, **values) -> str:
    return text(shipped_config(), lang, "visitor", key, **values)


# ---- finding 4: the start screen's hours ---------------------------------------------------


@pytest.mark.parametrize("when", [MONDAY_1605, MONDAY_1358])
async def test_start_screen_shows_todays_hours_and_until_when_numbers_are_given(tmp_path, when):
    """Regression: "● 16:05 – 16:30 / Geöffnet bis 16:30": the current time shown as the
    opening time, and no word that numbers end at 16:10."""
    app = make_app(tmp_path, when=when)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        symbols = str(app.screen.query_one("#status-symbols").render())
        assert symbols == "● 12:30 – 16:30"
        assert when[-5:] not in symbols
        words = str(app.screen.query_one("#status-de").render())
        assert words == f"{t('de', 'open_today', hours='12:30–16:30')} · " + t(
            "de", "numbers_until", time="16:10"
        )
        assert "Nummern bis 16:10" in screen_text(app)


async def test_start_screen_after_the_last_number_says_so(tmp_path):
    app = make_app(tmp_path, when=MONDAY_1620)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert str(app.screen.query_one("#status-de").render()).startswith(t("de", "full_today"))


# ---- finding 5: the topic list at 80x24 and when nothing issues any more ---------------------


@pytest.mark.parametrize("lang", ["de", "uk", "ar", "fa"])
async def test_every_topic_fits_80x24_whatever_is_closed(tmp_path, lang):
    """Regression: at 80x24 the ✕ lines pushed topics out of view (a scrollbar appeared)."""
    app = make_app(tmp_path, when=MONDAY_1605)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        grid = app.screen.query_one("#topics")
        assert grid.max_scroll_y == 0
        controls = app.screen.query_one("#controls").region
        for choice in app.screen.query(".topic"):
            region = choice.region
            assert region.height > 0 and region.bottom <= controls.y, choice.id
        assert app.screen.query_one("#touch-hint").region.height > 0
        assert "✕" in screen_text(app)


async def test_topic_list_turns_into_the_closed_screen_when_nothing_issues(tmp_path):
    """Regression: Monday 16:09:52 -> 16:10, the list showed eight ✕ and stayed."""
    app = make_app(tmp_path, when="2026-11-30T16:09:52")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        app.clock.advance(seconds=10)
        rounds = app.availability_rounds
        app.refresh_availability()
        await wait_for(pilot, lambda: app.availability_rounds > rounds)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        assert app.screen.query_one("#closed-heading").text == t("de", "full_today")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")


# ---- finding 6: the closed screen ----------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "heading"),
    [
        (SUNDAY, "closed_all_day"),
        (TUESDAY_1100, "closed_now"),
        (MONDAY_1620, "full_today"),
        (MONDAY_1700, "closed_today"),
    ],
)
async def test_closed_screen_heading_tells_the_cases_apart(tmp_path, when, heading):
    """Regression: "Heute keine Beratung mehr." on a Sunday and during a closure."""
    app = make_app(tmp_path, when=when)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(lang_digit("de"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        assert app.screen.query_one("#closed-heading").text == t("de", heading)


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_closed_screen_during_a_closure_helps(tmp_path, lang):
    app = make_app(tmp_path, when=CHRISTMAS)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(lang_digit(lang))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        await pilot.pause(0.1)
        screen = app.screen
        assert screen.query_one("#closed-heading").text == t(lang, "closed_until", date="31.12.")
        assert screen.query_one("#closure-reason").text == "Weihnachten und Jahreswechsel"
        assert "04.01" in screen.query_one("#next-opening").text  # Monday after Neujahr
        hours = [label.text for label in screen.query(".hours")]
        assert any("12:30–16:30" in line for line in hours)
        assert any("11:00–13:00" in line for line in hours)
        assert "Wiesdorfer Platz 34a" in screen.query_one("#address").text
        # The hotline is closed for the holidays too: when can one call?
        hotline_now = screen.query_one("#hotline-now").text
        assert t(lang, "hotline_reachable_from", when="").rstrip()[:4] in hotline_now
        assert "08:00" in hotline_now
        assert len(list(screen.query(".urgent"))) == len(shipped_config().site.urgent)
        qr = screen.query_one("#qr")
        assert qr.note is not None and "0214/406-3333" in qr.note
        # The screen's space is used: the code beside the text, little left empty.
        assert qr.region.width >= 30
        blank = sum(1 for line in screen_lines(app) if not line.strip())
        assert blank <= 12


# ---- finding 7: plurals and no-break -------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "minutes", "word"),
    [
        ("de", 1, "Minute"),
        ("de", 5, "Minuten"),
        ("en", 1, "minute"),
        ("en", 2, "minutes"),
        ("uk", 1, "хвилина"),
        ("uk", 3, "хвилини"),
        ("uk", 5, "хвилин"),
        ("uk", 21, "хвилина"),
        ("uk", 12, "хвилин"),
        ("ru", 22, "минуты"),
        ("ar", 2, "دقيقتين"),
        ("ar", 5, "دقائق"),
        ("ar", 11, "دقيقة"),
    ],
)
def test_wait_estimate_takes_the_numbers_plural_form(lang, minutes, word):
    """Regression: "etwa 1 Minuten", "about 1 minutes"."""
    shown = t(lang, "wait_estimate", minutes=minutes)
    assert shown.endswith(f"{minutes}\u00a0{word}"), shown


def test_number_and_unit_stay_on_one_line():
    """Regression: "5" at a line end, "Minuten" on the next."""
    label = BidiLabel(t("de", "wait_estimate", minutes=15))
    for width in range(12, 40):
        lines = label.display_lines(width)
        assert any("15\u00a0Minuten" in line for line in lines), (width, lines)


@pytest.mark.parametrize("lang", ["de", "en", "uk", "ar"])
async def test_day_ranges_keep_their_times_and_phone_numbers_stay_whole(tmp_path, lang):
    """Regression: "(Mo–Fr" / "08:00–16:00)" and "…; Thu" / "13:00–17:00" at some sizes."""
    app = make_app(tmp_path, when=SUNDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(lang_digit(lang))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        for width in (30, 36, 44, 60):
            for label in app.screen.query(BidiLabel):
                for line in wrap(label.text, width):  # logical order: days before times
                    words = line.split(" ")
                    # a time range never starts a line without its days before it
                    assert not (words[0][:1].isdigit() and "–" in words[0] and ":" in words[0])
                    assert not line.rstrip().endswith(("116", "Mo–Fr", "(Mo–Fr"))


# ---- finding 8: the ticket number is the dominant element ----------------------------------


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_ticket_number_is_large_at_120x40_with_a_wide_text_column(tmp_path, lang):
    """Regression: a 4-row number and a 42-column text column beside a 77-column code."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_ticket(pilot, lang, "kim")
        number = app.screen.query_one("#number")
        assert len(number.rendered_lines()) >= 7
        assert app.screen.query_one("#info").region.width >= 40
        assert app.screen.query_one("#qr").note is not None


# ---- finding 9: instructions ---------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_language_screen_says_what_to_do_without_one_language(tmp_path, size):
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        line = str(app.screen.query_one("#instruction").render())
        assert line.startswith("\u261d 1–7")
        assert t("de", "pick_language") in line and t("en", "pick_language") in line
        assert app.screen.query_one("#instruction").region.height == 1


@pytest.mark.parametrize("lang", ["de", "uk", "fa"])
async def test_ticket_tells_visitors_without_a_phone_to_note_the_number(tmp_path, lang):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_ticket(pilot, lang, "kim")
        note = app.screen.query_one("#note-number")
        assert note.text == t(lang, "note_number")
        region = note.region
        assert region.height > 0 and region.bottom <= 24
