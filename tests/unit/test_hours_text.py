"""Opening hours as text: the week's lines and "when" in German and English."""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.config import Schedule
from kiosk.core.hours import Hours, format_when
from tests.hours_factory import HOTLINE, JSL, KIM, at, language, make_config, period, utc

DE, EN = language("de"), language("en")
NOW = at("2026-11-30 10:00")  # Monday


def test_week_lines_join_days_with_equal_hours():
    hours = Hours(make_config())
    assert hours.week_lines("kim", DE, NOW) == ["Mo, Mi 12:30\u201316:30", "Do 13:00\u201317:00"]
    assert hours.week_lines("kim", EN, NOW) == ["Mon, Wed 12:30–16:30", "Thu 13:00–17:00"]
    assert hours.week_lines("jsl", DE, NOW) == ["Di, Do 13:00–16:30", "Fr 11:00–13:00"]
    assert hours.week_lines("hotline", DE, NOW) == ["Mo, Di, Mi, Do, Fr 08:00–16:00"]


def test_week_lines_several_slots_and_periods():
    changing = Schedule(
        "c",
        "x",
        (
            period("2022-10-05", thu=("09:00-12:00", "13:00-17:00"), sat="10:00-12:00"),
            period("2026-12-02", tue="09:00-11:00"),
        ),
    )
    hours = Hours(make_config(schedules=(changing, KIM, JSL, HOTLINE)))
    assert hours.week_lines("c", DE, at("2026-12-01 23:59")) == [
        "Do 09:00–12:00, 13:00–17:00",
        "Sa 10:00–12:00",
    ]
    assert hours.week_lines("c", DE, at("2026-12-02 00:00")) == ["Di 09:00–11:00"]
    # Before the first period: the upcoming one.
    assert hours.week_lines("c", DE, at("2020-01-01 12:00"))[0].startswith("Do 09:00")


def test_week_lines_without_weekday_names_fall_back():
    hours = Hours(make_config())
    bare = replace(DE, weekdays=())
    assert hours.week_lines("kim", bare, NOW) == ["Mo, We 12:30–16:30", "Th 13:00–17:00"]


def test_week_lines_right_to_left_use_the_arabic_comma():
    hours = Hours(make_config())
    arabic = replace(
        DE,
        code="ar",
        direction="rtl",
        weekdays=("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    )
    assert hours.week_lines("kim", arabic, NOW) == [
        "الاثنين\u060c الأربعاء 12:30–16:30",
        "الخميس 13:00–17:00",
    ]


def test_format_when_german():
    assert format_when(at("2026-11-30 13:00"), NOW, DE) == "heute 13:00"
    assert format_when(at("2026-12-01 13:00"), NOW, DE) == "morgen 13:00"
    assert format_when(at("2026-12-03 13:00"), NOW, DE) == "Donnerstag 13:00"
    assert format_when(at("2026-12-06 12:00"), NOW, DE) == "Sonntag 12:00"  # 6 days ahead
    assert format_when(at("2026-12-07 12:30"), NOW, DE) == "Mo 07.12. 12:30"  # 7 days ahead
    # Another year: the year is added.
    assert format_when(at("2027-01-04 12:30"), at("2026-12-23 17:00"), DE) == "Mo 04.01.2027 12:30"
    # Same year, far away.
    assert format_when(at("2027-01-04 12:30"), at("2027-01-01 09:00"), DE) == "Montag 12:30"
    assert format_when(at("2027-03-01 09:05"), at("2027-01-01 09:00"), DE) == "Mo 01.03. 09:05"


def test_format_when_english():
    assert format_when(at("2026-11-30 13:00"), NOW, EN) == "today 13:00"
    assert format_when(at("2026-12-01 13:00"), NOW, EN) == "tomorrow 13:00"
    assert format_when(at("2026-12-03 13:00"), NOW, EN) == "Thursday 13:00"
    assert format_when(at("2026-12-07 12:30"), NOW, EN) == "Mon 07.12. 12:30"


def test_format_when_uses_local_days_and_times():
    late = at("2026-11-30 23:59")
    assert format_when(at("2026-12-01 00:30"), late, DE) == "morgen 00:30"
    # An instant given in UTC is shown in the site's time.
    assert format_when(utc("2026-11-30 12:00"), NOW, DE) == "heute 13:00"


def test_format_when_never_raises_on_missing_words():
    bare = replace(DE, visitor={}, weekdays_long=(), weekdays=())
    assert format_when(at("2026-11-30 13:00"), NOW, bare) == "Mo 30.11. 13:00"
    assert format_when(at("2026-12-03 13:00"), NOW, bare) == "Th 03.12. 13:00"
    partial = replace(DE, visitor={"today": "heute"})
    assert format_when(at("2026-12-01 13:00"), NOW, partial) == "Di 01.12. 13:00"
    # In the past: the date.
    assert format_when(at("2026-11-29 13:00"), NOW, DE) == "So 29.11. 13:00"
