"""The shipped Leverkusen config loads, says what the service point publishes, and warns about the PIN."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from kiosk.core.config import Slot, load_config
from kiosk.core.pin import DEFAULT_PIN, verify_pin
from tests.config_copy import SHIPPED, copy_shipped, edit

LANGS = ("de", "en", "uk", "ru", "ar", "tr", "fa")


@pytest.fixture(scope="module")
def config():
    return load_config(SHIPPED)


def easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def test_shipped_config_loads_with_only_the_default_pin_warning(config):
    assert len(config.warnings) == 1
    assert "site.pin_hash" in config.warnings[0] and "default PIN" in config.warnings[0]
    assert verify_pin(DEFAULT_PIN, config.site.pin_hash)


def test_site_facts(config):
    site = config.site
    assert site.name == "Service-Point Integration"
    assert site.address == "Wiesdorfer Platz 34a, 51373 Leverkusen"
    assert site.floor["de"] == "Obergeschoss der Luminaden-Passage (ehemaliger Infopoint Ukraine)"
    assert site.floor["en"] == "Upper floor of the Luminaden passage (former Infopoint Ukraine)"
    assert set(site.floor) == set(LANGS)
    assert str(site.timezone) == "Europe/Berlin"
    assert site.hotline.number == "0214/406-3333"
    assert site.hotline.schedule == "hotline"
    assert site.email == site.hotline.email == "ukraine-levhilft@stadt.leverkusen.de"
    assert site.languages == LANGS
    assert site.staff_languages == ("de", "en")
    assert site.rtl_mode == "reorder"
    assert site.retention_days >= 366
    numbers = [u.number for u in site.urgent]
    assert numbers[:3] == ["112", "110", "116 117"]
    for contact in site.urgent:
        assert set(contact.labels) >= set(LANGS)
    assert list(config.languages) == list(LANGS)


def test_published_hours(config):
    def week(schedule_id):
        (period,) = config.schedules[schedule_id].periods
        return period.valid_from, {d: s for d, s in period.week.items() if s}

    valid_from, days = week("sprechstunde")
    assert valid_from == date(2022, 10, 5)
    assert days == {
        0: (Slot(time(12, 30), time(16, 30)),),
        2: (Slot(time(12, 30), time(16, 30)),),
        3: (Slot(time(13), time(17)),),
    }
    _, days = week("jsl")
    assert days == {
        1: (Slot(time(13), time(16, 30)),),
        3: (Slot(time(13), time(16, 30)),),
        4: (Slot(time(11), time(13)),),
    }
    _, days = week("hotline")
    assert days == {d: (Slot(time(8), time(16)),) for d in range(5)}


@pytest.mark.parametrize("year", [2026, 2027])
def test_christmas_week_is_closed_and_no_holiday_is_typed_by_hand(config, year):
    # The public holidays come from [public_holidays] (tests/unit/test_public_holidays.py); the
    # [[closed]] blocks hold only local closures, so none of them is a single holiday date.
    e = easter(year)
    holidays = {date(year, 1, 1), e - timedelta(days=2), e + timedelta(days=1), date(year, 5, 1)}
    assert not [c for c in config.closures if c.first == c.last and c.first in holidays]
    ranges = [c for c in config.closures if c.first == date(year, 12, 24)]
    assert [(c.last, c.topics, c.schedules) for c in ranges] == [(date(year, 12, 31), (), ())]
    assert all(c.reason for c in config.closures)


def test_easter_dates_as_published():
    assert easter(2026) == date(2026, 4, 5)
    assert easter(2027) == date(2027, 3, 28)


def test_topics_and_desks(config):
    assert [(t.id, t.letter, t.schedule) for t in config.topics] == [
        ("kim", "A", "sprechstunde"),
        ("jsl_language", "B", "jsl"),
        ("jsl_work", "C", "jsl"),
        ("jsl_help", "D", "jsl"),
        ("ba", "E", "sprechstunde"),
        ("vhs", "F", "sprechstunde"),
        ("diakonie_work", "G", "sprechstunde"),
        ("ukraine", "U", "sprechstunde"),
    ]
    assert config.topic("kim").last_ticket_minutes == 30
    assert config.topic("ba").provider == "Bundesagentur für Arbeit"
    served = {t for d in config.desks for t in d.topics}
    assert served == {t.id for t in config.topics}
    assert config.desk("jsl").name == "Raum 5"
    for language in config.visitor_languages:
        assert set(language.topics) == {t.id for t in config.topics}


def test_string_dates_ranges_and_german_weekdays_are_accepted(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(
        folder,
        "schedules.toml",
        'slots = ["mon-fri 08:00-16:00"]',
        'slots = ["Mo-Do 08:00–16:00", "fr 8:00-12:00"]',
    )
    edit(folder, "schedules.toml", "valid_from = 2022-10-05", 'valid_from = "2022-10-05"')
    edit(folder, "schedules.toml", "from = 2026-12-24", 'from = "2026-12-24"')
    config = load_config(folder)
    assert config.schedules["sprechstunde"].periods[0].valid_from == date(2022, 10, 5)
    week = config.schedules["hotline"].periods[0].week
    assert week[3] == (Slot(time(8), time(16)),)
    assert week[4] == (Slot(time(8), time(12)),)
    assert week[5] == ()


def test_special_day_and_topic_closure_examples_in_the_file_work(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(
        folder,
        "schedules.toml",
        "# [[schedules.special]]\n# date = 2026-12-23\n# slots",
        "[[schedules.special]]\ndate = 2026-12-23\nslots",
    )
    edit(
        folder,
        "schedules.toml",
        '# note = "Weihnachtsfeier am Nachmittag"',
        'note = "Weihnachtsfeier am Nachmittag"',
    )
    text = (folder / "schedules.toml").read_text(encoding="utf-8")
    start = text.index("# Example: one topic closed")
    tail = "\n".join(
        line[2:] if line.startswith("# ") and "=" in line or line.startswith("# [[") else line
        for line in text[start:].splitlines()
    )
    (folder / "schedules.toml").write_text(text[:start] + tail + "\n", encoding="utf-8")
    config = load_config(folder)
    (special,) = config.schedules["sprechstunde"].special_days
    assert special.day == date(2026, 12, 23) and special.slots == (Slot(time(10), time(12)),)
    assert any(c.topics == ("vhs",) for c in config.closures)
    assert any(c.schedules == ("hotline",) for c in config.closures)


def test_config_is_frozen_all_the_way_down(config):
    with pytest.raises(AttributeError):
        config.site.name = "x"  # type: ignore[misc]
    # The tables inside are read-only too: a screen cannot change what another one reads.
    mappings = [
        config.schedules,
        config.languages,
        config.site.floor,
        config.site.urgent[0].labels,
        config.schedules["jsl"].periods[0].week,
        config.languages["de"].visitor,
        config.languages["de"].staff,
        config.languages["de"].topics,
    ]
    for mapping in mappings:
        key = next(iter(mapping))
        with pytest.raises(TypeError):
            mapping[key] = mapping[key]  # type: ignore[index]
    assert config.languages["de"].visitor["back"] == "Zurück"
