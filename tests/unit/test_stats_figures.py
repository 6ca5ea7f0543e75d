"""Statistics over days made through the real Store: hand-computed figures, retention, a month."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kiosk.core import stats
from kiosk.core.clock import FixedClock
from kiosk.core.stats import Period
from kiosk.core.store import Store
from tests.stats_data import (
    end_days,
    expected,
    generate,
    local,
    make_config,
    play,
    scripted_day,
)

MONDAY = date(2026, 11, 2)
SHIPPED = Path(__file__).resolve().parents[2] / "config"
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "chosen month")


def _store(folder, config, moment):
    clock = FixedClock(moment)
    return Store(folder, config, clock), clock


@pytest.fixture
def scripted(tmp_path):
    """The scripted Monday (see stats_data.scripted_day), ended by touching Tuesday."""
    config = make_config()
    store, clock = _store(tmp_path, config, local(MONDAY, "07:00"))
    play(store, clock, scripted_day(MONDAY))
    end_days(store, clock, MONDAY)
    return tmp_path, config, store


def _table(report):
    return {g.label: g.figures.values() for g in report.groups} | {"Total": report.total.values()}


def _fig(issued, served, no_show, cancelled, expired, unresolved, w50, w90, s50):
    return {
        "issued": issued,
        "served": served,
        "no_show": no_show,
        "cancelled": cancelled,
        "expired": expired,
        "unresolved": unresolved,
        "wait_median": w50,
        "wait_p90": w90,
        "service_median": s50,
    }


def test_scripted_day_by_topic_by_hand(scripted):
    _, config, store = scripted
    report = stats.make_report(store, config, NOVEMBER, "topic")
    # kim: waits 10, 21, 5, 10 -> sorted 5,10,10,21: median rank 2 = 10, p90 rank 4 = 21;
    #      services 15, 20 -> median rank 1 = 15
    # ba:  waits 0, 30 -> median 0, p90 30; service 45
    # total waits 0,5,7,10,10,21,30 -> median rank 4 = 10, p90 rank 7 = 30;
    #       services 12,15,20,45 -> median rank 2 = 15 (not an average of the topics' medians)
    assert _table(report) == {
        "A: Sprechstunde Integration": _fig(4, 2, 1, 0, 0, 1, 10, 21, 15),
        "B: Arbeit und Beruf (Agentur für Arbeit)": _fig(2, 1, 0, 1, 0, 0, 0, 30, 45),
        "V: Sprachkurse (VHS)": _fig(2, 0, 0, 1, 1, 0, None, None, None),
        "J: JSL offene Beratung": _fig(0, 0, 0, 0, 0, 0, None, None, None),  # closed on Mondays
        "U: Erstanlaufstelle Ukraine": _fig(1, 1, 0, 0, 0, 0, 7, 7, 12),
        "Total": _fig(9, 4, 1, 2, 1, 1, 10, 30, 15),
    }
    assert (report.live_days, report.kept_days) == (1, 0)


def test_scripted_day_by_language_hour_provider_day(scripted):
    _, config, store = scripted
    by_language = _table(stats.make_report(store, config, NOVEMBER, "language"))
    assert by_language == {
        "Deutsch (de)": _fig(2, 2, 0, 0, 0, 0, 5, 10, 15),
        "English (en)": _fig(1, 0, 0, 0, 0, 1, 10, 10, None),
        # uk: A-002 no-show (21), B-001 done (0/45), V-002 expired, U-001 done (7/12)
        "Українська (uk)": _fig(4, 2, 1, 0, 1, 0, 7, 21, 12),
        "Русский (ru)": _fig(1, 0, 0, 1, 0, 0, 30, 30, None),
        "العربية (ar)": _fig(1, 0, 0, 1, 0, 0, None, None, None),
        "Türkçe (tr)": _fig(0, 0, 0, 0, 0, 0, None, None, None),
        "فارسی (fa)": _fig(0, 0, 0, 0, 0, 0, None, None, None),
        "Total": _fig(9, 4, 1, 2, 1, 1, 10, 30, 15),
    }
    by_hour = stats.make_report(store, config, NOVEMBER, "hour")
    assert [(g.label, g.figures.issued) for g in by_hour.groups] == [
        ("12:00-12:59", 3),
        ("13:00-13:59", 2),
        ("14:00-14:59", 1),
        ("15:00-15:59", 1),
        ("16:00-16:59", 2),
    ]
    by_provider = stats.make_report(store, config, NOVEMBER, "provider")
    assert [(g.label, g.figures.issued) for g in by_provider.groups] == [
        ("KIM", 4),
        ("Bundesagentur für Arbeit", 2),
        ("Volkshochschule", 2),
        ("JOB Service Leverkusen", 0),
        ("Stadt Leverkusen", 1),
    ]
    by_day = stats.make_report(store, config, NOVEMBER, "day")
    assert [(g.label, g.figures.issued) for g in by_day.groups] == [("2026-11-02 Mo", 9)]


def test_topic_removed_from_config_keeps_its_stored_label(scripted):
    folder, _, _ = scripted
    later = make_config(with_retired_topic=False)
    store, _ = _store(folder, later, local(date(2026, 11, 3), "08:00"))
    report = stats.make_report(store, later, NOVEMBER, "topic")
    labels = [g.label for g in report.groups]
    assert labels[-1] == "U: Erstanlaufstelle Ukraine"
    assert report.total.issued == 9


def test_removed_topic_keeps_its_label_after_retention_removed_its_day(scripted):
    """Regression: kept aggregates had no label, so a retired topic read "ukr (no longer ...)"."""
    folder, _, _ = scripted
    later = make_config(with_retired_topic=False, retention_days=20)
    store, _ = _store(folder, later, local(date(2026, 12, 10), "08:00"))
    store.snapshot()  # the first touch of the day applies the retention
    assert not list(folder.glob("tickets-2026-11-02.json"))
    report = stats.make_report(store, later, NOVEMBER, "topic")
    assert report.kept_days == 1
    assert [g.label for g in report.groups][-1] == "U: Erstanlaufstelle Ukraine"


def test_today_counts_open_tickets_as_issued_only(tmp_path):
    """During the day: V-002 still waiting, A-004 still called; neither expired nor unresolved."""
    config = make_config()
    store, clock = _store(tmp_path, config, local(MONDAY, "07:00"))
    play(store, clock, scripted_day(MONDAY))
    report = stats.make_report(store, config, NOVEMBER, "topic")
    assert report.total.issued == 9
    assert (report.total.expired, report.total.unresolved, report.total.open) == (0, 0, 2)
    assert report.total.wait_median == 10  # A-004's call counts as soon as it happened


def test_empty_range_lists_every_configured_topic_with_zeros(scripted):
    """A month without visitors (closed in August) still shows each topic, provider and
    language with 0, so the coordinator's report has the same rows every month."""
    _, config, store = scripted
    august = Period(date(2026, 8, 1), date(2026, 8, 31), "chosen month")
    report = stats.make_report(store, config, august, "topic")
    assert report.empty
    assert [g.key for g in report.groups] == [t.id for t in config.topics]
    zero = _fig(0, 0, 0, 0, 0, 0, None, None, None)
    assert all(g.figures.values() == zero for g in report.groups)
    assert report.total.values() == zero
    assert (report.live_days, report.kept_days) == (0, 0)
    providers = stats.make_report(store, config, august, "provider").groups
    assert [g.key for g in providers] == list(dict.fromkeys(t.provider for t in config.topics))
    languages = stats.make_report(store, config, august, "language").groups
    assert [g.key for g in languages] == list(config.languages)
    for by in ("day", "hour"):
        assert stats.make_report(store, config, august, by).groups == []


def test_a_topic_without_tickets_has_a_zero_row_among_the_others(scripted):
    _, config, store = scripted
    report = stats.make_report(store, config, NOVEMBER, "topic")
    rows = {g.key: g.figures for g in report.groups}
    assert list(rows) == ["kim", "ba", "vhs", "jsl", "ukr"]  # config order
    assert rows["jsl"].values() == _fig(0, 0, 0, 0, 0, 0, None, None, None)  # closed on Mondays
    assert rows["kim"].issued == 4 and report.total.issued == 9


def test_a_range_of_centuries_reads_only_the_days_that_have_files(scripted, monkeypatch):
    """Regression: `--from 0001-01-01 --to 9998-12-31` looked up every day of the range one by
    one (about 3.6 million file checks, minutes): now only the days that have a day file."""
    _, config, store = scripted
    read = []
    read_day = Store._read_day_unlocked

    def recording(self, path, day):
        read.append(day)
        return read_day(self, path, day)

    monkeypatch.setattr(Store, "_read_day_unlocked", recording)
    huge = Period(date(1, 1, 1), date(9998, 12, 31), "chosen range")
    report = stats.make_report(store, config, huge, "topic")
    assert read == [MONDAY]
    assert report.total.issued == 9 and report.live_days == 1

    # Not one lookup per date of the range either (a century: 36,524 dates).
    looked_up = []
    day_path = Store.day_path
    monkeypatch.setattr(
        Store, "day_path", lambda self, day: looked_up.append(day) or day_path(self, day)
    )
    century = Period(date(2000, 1, 1), date(2099, 12, 31), "chosen range")
    assert stats.make_report(store, config, century, "topic").total.issued == 9
    assert len(looked_up) < 20

    read.clear()
    august = Period(date(2026, 8, 1), date(2026, 8, 31), "chosen month")
    assert stats.make_report(store, config, august, "topic").empty
    assert read == []  # no day file in the period: nothing to look up


def test_a_damaged_day_file_is_reported_not_quietly_left_out(scripted, capsys):
    """Regression: a day file that could not be read was skipped by `Store.days`, and the
    month's figures came out too low without a word: the report now names the day."""
    folder, config, store = scripted
    day_file = folder / f"tickets-{MONDAY.isoformat()}.json"
    day_file.write_text('{"tickets": {"1": {"number": "A-0', encoding="utf-8")
    report = stats.make_report(store, config, NOVEMBER, "topic")
    assert report.damaged_days == (MONDAY,)
    assert report.total.issued == 0  # nothing could be read back of it
    assert report.to_json()["damaged_days"] == ["2026-11-02"]

    # Moved aside by the store (and the day started afresh): still named, figures incomplete.
    day_file.rename(folder / f"tickets-{MONDAY.isoformat()}.damaged-20261102T130000000000.json")
    report = stats.make_report(store, config, NOVEMBER, "topic")
    assert report.damaged_days == (MONDAY,)
    assert (
        stats.make_report(
            store, config, Period(date(2026, 11, 3), date(2026, 11, 30), ""), "topic"
        ).damaged_days
        == ()
    )

    from kiosk.cli import main

    code = main(
        [
            "stats",
            "--config",
            str(SHIPPED),
            "--data",
            str(folder),
            "--month",
            "2026-11",
            "--lang",
            "en",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Warning: damaged day file; figures of these days are missing or incomplete: " in out
    assert "2026-11-02" in out


def test_a_clean_month_names_no_damaged_day(scripted):
    _, config, store = scripted
    report = stats.make_report(store, config, NOVEMBER, "topic")
    assert report.damaged_days == () and report.to_json()["damaged_days"] == []


# --------------------------------------------------------------------------- a generated month


@pytest.fixture(scope="module")
def november(tmp_path_factory):
    """November 2026 generated through the store (about 500 visits), ended on 1 December."""
    folder = tmp_path_factory.mktemp("november")
    config = make_config()
    store, clock = _store(folder, config, local(date(2026, 11, 1), "07:00"))
    visits = generate(store, clock, config, date(2026, 11, 1), date(2026, 11, 30), seed=11)
    return folder, config, visits


def _expected_by(visits, key):
    groups = {}
    for visit in visits:
        groups.setdefault(key(visit), []).append(visit)
    return {k: expected(v) for k, v in groups.items()}


def _check(report, want):
    got = {g.key: g.figures for g in report.groups}
    assert set(want) <= set(got)
    assert all(got[key].issued == 0 for key in set(got) - set(want))  # configured, no tickets
    got = {key: figures for key, figures in got.items() if key in want}
    for key, figures in got.items():
        truth = want[key]
        assert {n: getattr(figures, n) for n in stats.COUNTS} == truth.counts(), key
        assert figures.wait == truth.wait, key
        assert figures.service == truth.service, key


def test_month_of_generated_days_matches_the_plan(november):
    folder, config, visits = november
    outcomes = {v.outcome for v in visits}
    assert outcomes == {
        "done",
        "no_show",
        "cancel_waiting",
        "cancel_called",
        "expired",
        "unresolved",
    }
    assert len({v.topic for v in visits}) >= 4 and len({v.lang for v in visits}) >= 6
    store, _ = _store(folder, config, local(date(2026, 12, 2), "10:00"))
    for by, key in [
        ("topic", lambda v: v.topic),
        ("language", lambda v: v.lang),
        ("hour", lambda v: f"{v.arrive.hour:02d}"),
        ("day", lambda v: v.day.isoformat()),
    ]:
        report = stats.make_report(store, config, NOVEMBER, by)
        _check(report, _expected_by(visits, key))
        total = expected(visits)
        assert report.total.issued == total.issued == len(visits)
        assert report.total.wait_median == stats.percentile(total.wait, 50)
        assert report.total.wait_p90 == stats.percentile(total.wait, 90)
        assert report.total.service_median == stats.percentile(total.service, 50)
    print(f"\nNovember: {len(visits)} visits, total {report.total.values()}")


def test_retention_keeps_the_same_figures(november, tmp_path):
    folder, config, visits = november
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    store, _ = _store(copy, config, local(date(2026, 12, 2), "10:00"))
    before = {by: stats.make_report(store, config, NOVEMBER, by) for by in stats.DIMENSIONS}
    assert before["topic"].kept_days == 0

    # Two weeks later with a retention of 20 days: 1-15 November lose their files.
    short = make_config(retention_days=20)
    store, _ = _store(copy, short, local(date(2026, 12, 6), "10:00"))
    store.snapshot()  # the first touch of the day applies the retention
    remaining = sorted(p.name for p in copy.glob("tickets-2026-11-*.json"))
    assert remaining and remaining[0] >= "tickets-2026-11-16.json"
    after = {by: stats.make_report(store, short, NOVEMBER, by) for by in stats.DIMENSIONS}
    assert after["topic"].kept_days > 0 and after["topic"].live_days > 0
    assert after["topic"].kept_days + after["topic"].live_days == before["topic"].live_days
    for by in stats.DIMENSIONS:
        assert _table(after[by]) == _table(before[by]), by
        assert stats.csv_text(after[by]) == stats.csv_text(before[by]), by

    # All of November removed: still the same figures, now only from kept aggregates.
    store, _ = _store(copy, short, local(date(2027, 1, 15), "10:00"))
    store.snapshot()
    assert not list(copy.glob("tickets-2026-11-*.json"))
    gone = {by: stats.make_report(store, short, NOVEMBER, by) for by in stats.DIMENSIONS}
    assert gone["topic"].live_days == 0
    for by in stats.DIMENSIONS:
        assert _table(gone[by]) == _table(before[by]), by
