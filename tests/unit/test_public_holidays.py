"""Public holidays from the `holidays` library: closed unless a special day opens them, local
closures on top, names in check-config, and a cache that keeps the library off the first frame."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.cli import Context, main
from kiosk.core import public_holidays
from kiosk.core.config import ConfigError, PublicHolidays, load_config
from kiosk.core.hours import Hours
from tests.config_copy import SHIPPED, copy_shipped, edit
from tests.hours_factory import HOTLINE, JSL, KIM, at, closure, make_config, special

NRW = PublicHolidays("DE", "NW")


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch):
    """Every test starts without remembered years and without a cache file."""
    monkeypatch.setattr(public_holidays, "_memory", {})
    monkeypatch.setattr(public_holidays, "_cache_read", set())
    monkeypatch.setattr(public_holidays, "_cache_folder", None)


def with_holidays(config, settings=NRW):
    return dataclasses.replace(config, public_holidays=settings)


def easter(year: int) -> date:
    """Gauss/Meeus: Easter Sunday (Gregorian), computed here independently of the library."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nrw_dates(year: int) -> set[date]:
    e = easter(year)
    fixed = [(1, 1), (5, 1), (10, 3), (11, 1), (12, 25), (12, 26)]
    moving = [
        -2,
        1,
        39,
        50,
        60,
    ]  # Karfreitag, Ostermontag, Himmelfahrt, Pfingstmontag, Fronleichnam
    return {date(year, m, d) for m, d in fixed} | {e + timedelta(days=n) for n in moving}


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2031])
def test_the_shipped_config_closes_every_nrw_holiday_of_any_year(year):
    config = load_config(SHIPPED)
    assert config.public_holidays == NRW
    hours = Hours(config)
    days = nrw_dates(year)
    assert set(public_holidays.names("DE", "NW", year)) == days
    for day in days:
        assert hours.holiday(day), day
        for schedule in config.schedules:
            assert hours.intervals(schedule, day) == [], (schedule, day)
    assert hours.holiday(easter(year) + timedelta(days=1)) == "Ostermontag"
    assert hours.holiday(date(year, 12, 24)) is None  # Christmas Eve: a local closure only


def test_a_holiday_closes_every_schedule_and_the_next_opening_skips_it():
    hours = Hours(with_holidays(make_config()))
    monday = at("2026-04-06 13:00")  # Ostermontag: KIM and the hotline have Monday hours
    status = hours.topic_status("kim", monday)
    assert (status.open_now, status.issuing, status.reason) == (False, False, "closure")
    assert status.next_issue_at == at("2026-04-08 12:30")  # Wednesday
    assert not hours.hotline_open(monday)
    assert hours.hotline_next(monday) == at("2026-04-07 08:00")
    # without [public_holidays] the same Monday is an ordinary Monday
    plain = Hours(make_config())
    assert plain.topic_status("kim", monday).issuing
    assert plain.holiday(date(2026, 4, 6)) is None


def test_a_special_day_opens_the_holiday_for_its_schedule_only():
    kim = dataclasses.replace(KIM, special_days=(special("2026-05-14", "10:00-12:00"),))
    hours = Hours(with_holidays(make_config(schedules=(kim, JSL, HOTLINE))))
    thursday = date(2026, 5, 14)  # Christi Himmelfahrt: KIM, JSL and the hotline have hours
    assert hours.holiday(thursday) == "Christi Himmelfahrt"
    assert [(s.hour, e.hour) for s, e in hours.intervals("kim", thursday)] == [(10, 12)]
    assert hours.intervals("jsl", thursday) == []
    assert hours.intervals("hotline", thursday) == []
    assert hours.topic_status("kim", at("2026-05-14 10:30")).issuing


def test_local_closures_still_apply_on_an_opened_holiday():
    kim = dataclasses.replace(KIM, special_days=(special("2026-05-14", "10:00-12:00"),))
    config = make_config(
        schedules=(kim, JSL, HOTLINE), closures=(closure("2026-05-14", topics=["kim"]),)
    )
    hours = Hours(with_holidays(config))
    assert hours.intervals("kim", date(2026, 5, 14), "kim") == []
    # and a local closure on an ordinary day closes it as before
    config = make_config(closures=(closure("2026-02-16"),))  # Rosenmontag is no public holiday
    hours = Hours(with_holidays(config))
    assert hours.holiday(date(2026, 2, 16)) is None
    assert hours.intervals("kim", date(2026, 2, 16)) == []


def test_an_unknown_subdivision_never_crashes_the_kiosk(caplog):
    hours = Hours(with_holidays(make_config(), PublicHolidays("DE", "XX")))
    assert hours.topic_status("kim", at("2026-04-06 13:00")).issuing  # treated as no holidays
    assert any("public holidays" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "table, expected",
    [
        (
            '[public_holidays]\ncountry = "de"',
            'schedules.toml: public_holidays.country: "de" is not a country code like "DE"',
        ),
        (
            '[public_holidays]\ncountry = "DE"\nsubdivison = "NW"',
            'schedules.toml: public_holidays.subdivison: unknown key (did you mean "subdivision"?)',
        ),
        (
            "[public_holidays]\nsubdivision = 5",
            "schedules.toml: public_holidays.country: missing",
        ),
    ],
)
def test_a_broken_public_holidays_table_names_the_key(tmp_path, table, expected):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '[public_holidays]\ncountry = "DE"\nsubdivision = "NW"', table)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems


def test_check_config_refuses_a_subdivision_the_library_does_not_know(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", 'subdivision = "NW"', 'subdivision = "NRW"')
    assert main(["check-config", "--config", str(folder), "--now", "2026-11-30T13:00"]) == 2
    err = capsys.readouterr().err
    assert 'schedules.toml: public_holidays.subdivision: "NRW" is not a subdivision of DE' in err
    assert "NW" in err  # the known codes are listed


def test_check_config_lists_2028_holidays_by_name(capsys):
    argv = ["check-config", "--config", str(SHIPPED), "--now", "2027-12-20T10:00"]
    assert main([*argv, "--holidays", "2028"]) == 0
    out = capsys.readouterr().out
    assert "Holidays:   public holidays of DE-NW (holidays " in out
    coming = out[out.index("Coming up") :].split("\n\n")[0]
    assert "2028-01-01: closed: public holiday (Neujahr)" in coming
    assert "2027-12-24 to 2027-12-31: closed: everything (Weihnachten und Jahreswechsel)" in coming
    year = out[out.index("in 2028:") :].split("\n\n")[0].splitlines()[1:]
    assert len(year) == 11
    assert "  2028-04-14: closed: public holiday (Karfreitag)" in year
    assert "  2028-06-15: closed: public holiday (Fronleichnam)" in year


def test_check_config_json_and_special_day_on_a_holiday(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    edit(
        folder,
        "schedules.toml",
        '[[schedules]]\nid = "jsl"',
        '[[schedules.special]]\ndate = 2026-04-06\nslots = ["10:00-12:00"]\n\n'
        '[[schedules]]\nid = "jsl"',
    )
    argv = ["check-config", "--json", "--config", str(folder), "--now", "2026-04-06T10:30"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    kim = data["today"]["topics"][0]
    assert kim["slots"] and kim["issuing_now"]
    assert data["today"]["hotline"]["closed_because"] == "Ostermontag"
    assert {
        "from": "2026-04-06",
        "to": "2026-04-06",
        "what": "closed: public holiday (special day: sprechstunde)",
        "reason": "Ostermontag",
    } in data["coming"]
    assert data["public_holidays"]["country"] == "DE"


PROBE = """
import json, sys
from datetime import date
from pathlib import Path
from kiosk.core import public_holidays
from kiosk.core.config import load_config
from kiosk.core.hours import Hours
public_holidays.keep_cache_in(Path(sys.argv[2]))
hours = Hours(load_config(sys.argv[1]))
name = hours.holiday(date(2026, 4, 6))
print(json.dumps({"name": name, "imported": "holidays" in sys.modules}))
"""


def _probe(cache: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(SHIPPED), str(cache)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_kiosk_with_the_cache_never_imports_the_library(tmp_path):
    cache = tmp_path / "data" / "cache"
    (tmp_path / "data").mkdir()
    first = _probe(cache)
    assert first == {"name": "Ostermontag", "imported": True}  # first start: computed, kept
    kept = json.loads((cache / public_holidays.CACHE_NAME).read_text(encoding="utf-8"))
    assert {e["year"] for e in kept["years"]} == {2025, 2026, 2027, 2028}
    assert _probe(cache) == {"name": "Ostermontag", "imported": False}  # every later start
    # a library upgrade may correct dates: the cache of another version is not trusted
    kept["library"] = "0.0"
    (cache / public_holidays.CACHE_NAME).write_text(json.dumps(kept), encoding="utf-8")
    assert _probe(cache) == {"name": "Ostermontag", "imported": True}


def test_a_damaged_cache_is_computed_anew(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / public_holidays.CACHE_NAME).write_text("{not json", encoding="utf-8")
    public_holidays.keep_cache_in(cache)
    assert public_holidays.names("DE", "NW", 2026)[date(2026, 1, 1)] == "Neujahr"
    assert json.loads((cache / public_holidays.CACHE_NAME).read_text(encoding="utf-8"))["years"]


def test_the_commands_keep_the_cache_in_the_data_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    config = Context(SHIPPED, data, None).load_config()
    assert Hours(config).holiday(date(2026, 12, 25)) == "Erster Weihnachtstag"
    kept = data / "cache" / public_holidays.CACHE_NAME
    assert kept.is_file()
    # the data folder's modes: nothing in it is for other users of the box
    assert (kept.stat().st_mode & 0o777, kept.parent.stat().st_mode & 0o777) == (0o640, 0o750)
    # no data folder yet: nothing is created just for the cache
    public_holidays._memory.clear()
    config = Context(SHIPPED, tmp_path / "absent", None).load_config()
    assert Hours(config).holiday(date(2026, 12, 25))
    assert not (tmp_path / "absent").exists()


def test_schedules_without_the_table_have_no_public_holidays(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '[public_holidays]\ncountry = "DE"\nsubdivision = "NW"\n', "")
    config = load_config(folder)
    assert config.public_holidays is None
    assert Hours(config).intervals("sprechstunde", date(2026, 4, 6))  # an ordinary Monday
