"""Speech mode, Pilot: a whole visit by keys alone, every screen spoken in the visitor's language
(asserted from the log), 0 repeats, the next key interrupts, volume and speech end with the
visit, a missing sound card changes nothing on screen; the touch screen's corner button."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from kiosk.audio.sound import silence, to_wav
from kiosk.audio.speech import DEFAULT_VOLUME, Speaker
from kiosk.core.i18n import text, topic_label
from kiosk.ui.visitor.spoken import sentence, spoken_week
from tests.visitor_support import (
    lang_digit,
    make_app,
    ready,
    screen_text,
    shipped_config,
    topic_digit,
    unlock_ticket,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("kiosk_logs_propagate")

CONFIG = shipped_config()


def t(lang: str, key: str, **values) -> str:
    return text(CONFIG, lang, "visitor", key, **values)


def spoken(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("speech[")]


async def heard(pilot, caplog, count: int) -> list[str]:
    """Wait until `count` more utterances than now... are logged; returns the new ones."""
    await wait_for(pilot, lambda: len(spoken(caplog)) >= count)
    await pilot.pause(0.1)
    return spoken(caplog)


def language_screen_speech() -> list[str]:
    return [
        f"speech[{language.code}]: " + t(language.code, "speech_choose_language", digit=n)
        for n, language in enumerate(CONFIG.visitor_languages, start=1)
    ] + [
        # Monday 13:00: today's hours and until when numbers are given out (issue 12, finding 4)
        *(
            f"speech[{code}]: {t(code, 'open_today', hours='12:30–16:30')} · "
            f"{t(code, 'numbers_until', time='16:10')}"
            for code in ("de", "en")
        ),
    ]


def topic_screen_speech(lang: str) -> list[str]:
    said = [t(lang, "choose_topic")]
    for n, topic in enumerate(CONFIG.topics, start=1):
        line = sentence(
            f"{t(lang, 'speech_press', digit=n)}: {topic_label(CONFIG, lang, topic.id)}"
        )
        if topic.id.startswith("jsl"):  # Monday 13:00: the JOB Service opens on Tuesday
            when = text(CONFIG, lang, "visitor", "tomorrow") + " 13:00"
            line += f" {sentence(t(lang, 'opens_at', when=when))}"
        said.append(line)
    said += [t(lang, "speech_keys"), t(lang, "speech_volume")]
    return [f"speech[{lang}]: {line}" for line in said]


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
async def test_a_whole_visit_by_keys_is_spoken_in_the_visitors_language(tmp_path, caplog, lang):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert spoken(caplog) == []  # nothing is said before the visitor asks
        await pilot.press("0")
        start = language_screen_speech()
        assert await heard(pilot, caplog, len(start)) == start

        await pilot.press(lang_digit(lang))
        topics = topic_screen_speech(lang)
        said = await heard(pilot, caplog, len(start) + len(topics))
        assert said[len(start) :] == topics
        # a label ending in a question mark gets no full stop ("إلى أين أتوجه؟." read oddly)
        assert not any(mark in line for line in said for mark in ("?.", "\u061f."))

        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        before = len(start) + len(topics)
        said = await heard(pilot, caplog, before + 9)
        ticket = [line.split(": ", 1)[1] for line in said[before:]]
        number = app.screen.issued.ticket.number
        assert number == "A-001"
        hotline_hours = spoken_week(app, "hotline", lang)
        assert ticket == [
            f"{t(lang, 'your_number')}: A, 0, 0, 1.",  # spelled: no "A minus seven"
            topic_label(CONFIG, lang, "kim"),
            t(lang, "nobody_ahead"),
            t(lang, "what_now"),
            f"{t(lang, 'hours')}: {spoken_week(app, 'sprechstunde', lang)}.",
            f"{t(lang, 'hotline')}: 0 2 1 4, 4 0 6, 3 3 3 3. {hotline_hours}",
            t(lang, "hotline_reachable_now"),
            f"{t(lang, 'address')}: Wiesdorfer Platz 34a, 51373 Leverkusen, "
            f"{CONFIG.site.floor[lang]}.",
            t(lang, "speech_keys"),
        ]
        assert all(line.startswith(f"speech[{lang}]: ") for line in said[before:])
        # the hours are said in full words, in the visitor's language
        assert CONFIG.languages[lang].weekdays_long[0] in ticket[4]
        assert t(lang, "speech_range", start="12:30", end="16:30") in ticket[4]

        # 0 says the ticket again; the visit then ends and the next visitor hears nothing
        await pilot.press("0")
        again = await heard(pilot, caplog, before + 18)
        assert again[before + 9 :] == said[before:]
        await unlock_ticket(pilot)
        app.screen.query_one("#done").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await pilot.pause(0.2)
        assert not app.speech_mode and len(spoken(caplog)) == before + 18


def schedule_ids() -> set[str]:
    return set(CONFIG.schedules)


async def test_closed_screen_is_spoken_with_the_hotline_and_urgent_numbers(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    app = make_app(tmp_path, when="2026-11-29T11:00", speaker=Speaker(engine=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(lang_digit("uk"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ClosedScreen")
        await pilot.press("0")  # speech mode can start on any screen
        said = await heard(pilot, caplog, 6)
        lines = [line.split(": ", 1)[1] for line in said]
        assert lines[0] == t("uk", "closed_today")
        assert lines[1].startswith(t("uk", "next_opening", when="")[:5])
        assert lines[2].startswith(f"{t('uk', 'hotline')}: 0 2 1 4, 4 0 6, 3 3 3 3.")
        assert t("uk", "hotline_not_reachable_now") in lines
        assert f"{CONFIG.site.urgent[0].labels['uk']}: 1 1 2" in lines


def blocking_player(tmp_path: Path) -> tuple[list[str], Path]:
    """A player that never ends by itself (a long announcement) and records its process ids."""
    record = tmp_path / "played"
    player = tmp_path / "player"
    player.write_text(f"#!/bin/sh\necho $$ >> {record}\nexec sleep 60\n")
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    return [str(player), "{file}"], record


def fake_engine(tmp_path: Path) -> str:
    fixture = tmp_path / "fixture.wav"
    fixture.write_bytes(to_wav(silence(0.05)))
    engine = tmp_path / "engine"
    engine.write_text(
        '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = "-w" ] && out="$2"; shift; done\n'
        f'cp {fixture} "$out"\n'
    )
    engine.chmod(engine.stat().st_mode | stat.S_IEXEC)
    return str(engine)


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


async def test_the_next_key_interrupts_speech_and_a_stuck_player_blocks_nothing(tmp_path):
    player, record = blocking_player(tmp_path)
    speaker = Speaker(engine=fake_engine(tmp_path), player=player)
    app = make_app(tmp_path, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("0")
        await wait_for(pilot, lambda: record.exists() and len(record.read_text().split()) == 1)
        first = int(record.read_text().split()[0])
        await pilot.press(lang_digit("de"))  # the next key: the start screen's speech stops
        await wait_for(pilot, lambda: not running(first))
        await wait_for(pilot, lambda: len(record.read_text().split()) == 2)
        # the player of the topic list still "plays": the visitor goes on regardless
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert app.screen.issued.ticket.number == "A-001"
        assert t("de", "your_number") in screen_text(app)
        await wait_for(pilot, lambda: len(record.read_text().split()) == 3)


async def test_a_missing_sound_card_is_logged_once_and_the_visit_goes_on(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    player = tmp_path / "player"
    player.write_text("#!/bin/sh\necho 'audio open error: No such file or directory' >&2\nexit 1\n")
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    speaker = Speaker(engine=fake_engine(tmp_path), player=[str(player), "{file}"])
    app = make_app(tmp_path, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("0")
        await wait_for(pilot, lambda: speaker.spoken >= 1)
        await pilot.press(lang_digit("ar"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        await wait_for(pilot, lambda: speaker.spoken >= 3)
    problems = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(problems) == 1 and "No such file" in problems[0]


async def test_volume_keys_and_escape_keep_the_visit_and_done_resets_them(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    speaker = Speaker(engine=None)
    app = make_app(tmp_path, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("plus")  # not in speech mode: nothing
        assert speaker.volume == DEFAULT_VOLUME
        await pilot.press("0", "plus", "plus")
        assert speaker.volume == DEFAULT_VOLUME + 2
        await pilot.press(lang_digit("tr"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.press("escape")  # back to the languages: the same visitor, still spoken
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert app.speech_mode and speaker.volume == DEFAULT_VOLUME + 2
        await pilot.press(lang_digit("tr"))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        await pilot.pause(0.1)
        assert spoken(caplog)[-9].startswith(f"speech[tr]: {t('tr', 'your_number')}: A, 0, 0, 1")
        await unlock_ticket(pilot)
        app.screen.query_one("#done").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        assert not app.speech_mode and speaker.volume == DEFAULT_VOLUME and speaker.last == ()


async def test_speech_mode_can_be_turned_off_in_the_config(tmp_path, caplog):
    import dataclasses

    caplog.set_level(logging.INFO, logger="kiosk.speech")
    access = dataclasses.replace(CONFIG.site.accessibility, speech=False)
    config = dataclasses.replace(
        CONFIG, site=dataclasses.replace(CONFIG.site, accessibility=access)
    )
    app = make_app(tmp_path, config=config, speaker=Speaker(engine=None))
    app.touch = True
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("0")
        await pilot.pause(0.1)
        assert spoken(caplog) == [] and not app.screen.query("#speech-button")


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_touch_screens_get_a_corner_button_that_never_covers_the_code(tmp_path, caplog, lang):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    app.touch = True
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        button = app.screen.query_one("#speech-button")
        await pilot.pause(0.05)
        assert "Vorlesen/Read aloud" in screen_text(app).splitlines()[0]
        await pilot.click("#speech-button")
        await wait_for(pilot, lambda: len(spoken(caplog)) >= 9)
        await pilot.press(lang_digit(lang))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TopicScreen")
        await pilot.pause(0.05)
        assert button is not app.screen.query_one("#speech-button")  # each screen has its own
        await pilot.press(topic_digit("kim"))
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        await pilot.pause(0.1)
        corner = app.screen.query_one("#speech-button").region
        code = app.screen.query_one("#qr").region
        assert corner.height == 1 and not corner.overlaps(code)
        assert t(lang, "read_aloud") in app.screen.query_one("#speech-button").label.plain or (
            lang == "ar"
        )


async def test_keyboard_kiosks_have_no_corner_button(tmp_path):
    app = make_app(tmp_path, speaker=Speaker(engine=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert not app.screen.query("#speech-button")
