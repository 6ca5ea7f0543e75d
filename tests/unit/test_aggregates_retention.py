"""Aggregates and retention: old day files go, their figures stay the same."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

from kiosk.core.aggregates import (
    AGGREGATES_FILE,
    AggregateRow,
    aggregate_day,
    load_aggregates,
    merge_histograms,
    percentile,
)
from kiosk.core.tickets import State, Ticket
from tests.store_factory import at, make_config, make_store

D = date(2026, 11, 2)


def busy_day(store) -> None:
    """Issue 8 tickets and finish them in every way; two are left for the end of day."""
    for i in range(8):
        store.issue("kim" if i % 3 else "jsl", ["de", "en", "ar"][i % 3])
        store.clock.advance(minutes=7)
    for desk in ("d1", "d1", "d3"):
        store.call_next(desk)
        store.clock.advance(minutes=3)
    snapshot = store.snapshot()
    called = [t.number for t in snapshot.tickets if t.state is State.CALLED]
    store.clock.advance(minutes=11)
    store.done("d1", called[0])
    store.no_show("d1", called[1])
    waiting = [t.number for t in store.snapshot().tickets if t.state is State.WAITING]
    store.cancel("d1", waiting[0])
    store.call("d1", waiting[1])
    store.clock.advance(minutes=25, seconds=40)
    store.done("d1", waiting[1])
    store.clock.set(at("2026-11-02 16:40"))  # after 15:00: another hour of issue
    store.issue("kim", "de")


def rows_json(rows):
    return [row.to_json() for row in rows]


def test_aggregate_day_counts_and_whole_minute_histograms():
    config = make_config()
    t0 = at("2026-11-02 13:05")

    def t(seq, state, wait=None, service=None, lang="de", minute=0):
        issued = t0 + timedelta(minutes=minute)
        called = issued + timedelta(minutes=wait) if wait is not None else None
        finished = called + timedelta(minutes=service) if service is not None else None
        return Ticket(D, "K", seq, "kim", "x", lang, state, issued, called, finished, "d1")

    tickets = [
        t(1, State.DONE, 4.5, 10.9),
        t(2, State.DONE, 4.0, 12.0),
        t(3, State.NO_SHOW, 20.2),
        t(4, State.CANCELLED),
        t(5, State.EXPIRED, minute=60),
        t(6, State.UNRESOLVED, 1, lang="en"),
    ]
    rows = aggregate_day(D, tickets, config)
    assert [r.key for r in rows] == [
        (D, "kim", "KIM", "de", 13),
        (D, "kim", "KIM", "de", 14),
        (D, "kim", "KIM", "en", 13),
    ]
    de13 = rows[0]
    assert (de13.issued, de13.served, de13.no_show, de13.cancelled) == (4, 2, 1, 1)
    assert de13.wait == {4: 2, 20: 1}
    assert de13.service == {10: 1, 12: 1}
    assert (rows[1].expired, rows[2].unresolved) == (1, 1)
    assert AggregateRow.from_json(json.loads(json.dumps(de13.to_json()))) == de13


def test_histogram_percentiles():
    histogram = merge_histograms([{4: 2, 20: 1}, {10: 1}])
    assert histogram == {4: 2, 10: 1, 20: 1}
    assert percentile(histogram, 0.5) == 4
    assert percentile(histogram, 0.75) == 10
    assert percentile(histogram, 0.9) == 20
    assert percentile({}, 0.5) is None


def test_dst_night_minutes_are_real_minutes():
    config = make_config()
    issued = at("2026-10-25 02:50", fold=0)  # CEST
    called = at("2026-10-25 02:10", fold=1)  # CET, 20 minutes later
    ticket = Ticket(D, "K", 1, "kim", "x", "de", State.NO_SHOW, issued, called, called)
    assert aggregate_day(D, [ticket], config)[0].wait == {20: 1}


def test_retention_removes_old_days_and_keeps_the_same_figures(tmp_path):
    config = make_config(retention_days=30)
    store = make_store(tmp_path, "2026-11-02 13:00", config=config)
    busy_day(store)
    # the next day: the old day is resolved (waiting -> expired, called -> unresolved) and live
    store.clock.set(at("2026-11-03 09:00"))
    live = next(store.days(D, D))
    assert {t.state for t in live.tickets} >= {State.EXPIRED, State.UNRESOLVED, State.DONE}
    live_rows = rows_json(aggregate_day(D, live.tickets, config))
    # 31 days later the file is removed and the aggregates are kept
    store.clock.set(at("2026-12-03 09:00"))
    store.issue("kim", "de")
    assert not (tmp_path / "tickets-2026-11-02.json").exists()
    assert not (tmp_path / "seq-2026-11-02.json").exists()
    assert list(store.days(D, D)) == []
    assert rows_json(load_aggregates(tmp_path)[D]) == live_rows
    assert rows_json(store.kept_aggregates()[D]) == live_rows
    print(f"\nkept rows of {D}: {len(live_rows)}")


def test_stats_of_a_removed_day_equal_stats_of_the_live_day(tmp_path):
    from kiosk.core.stats import Period, collect_rows

    config = make_config(retention_days=30)
    store = make_store(tmp_path, "2026-11-02 13:00", config=config)
    busy_day(store)
    store.clock.set(at("2026-11-03 09:00"))
    period = Period(D, D, "test")
    before, live_days, kept_days, _names = collect_rows(store, config, period)
    assert (live_days, kept_days) == (1, 0)
    store.clock.set(at("2026-12-03 09:00"))
    after, live_days, kept_days, _names = collect_rows(store, config, period)
    assert (live_days, kept_days) == (0, 1)
    assert rows_json(after) == rows_json(before)


def test_retention_is_idempotent_after_a_crash_before_the_unlink(tmp_path):
    config = make_config(retention_days=30)
    store = make_store(tmp_path, "2026-11-02 13:00", config=config)
    busy_day(store)
    saved = tmp_path / "saved.json"
    shutil.copy(tmp_path / "tickets-2026-11-02.json", saved)
    store.clock.set(at("2026-12-03 09:00"))
    store.snapshot()
    kept = rows_json(load_aggregates(tmp_path)[D])
    # as if the process died after writing aggregates.json, before removing the day file
    shutil.copy(saved, tmp_path / "tickets-2026-11-02.json")
    saved.unlink()
    (tmp_path / ".rollover.json").unlink()
    make_store(tmp_path, "2026-12-03 09:30", config=config).snapshot()
    assert rows_json(load_aggregates(tmp_path)[D]) == kept
    assert not (tmp_path / "tickets-2026-11-02.json").exists()


def test_retention_keeps_days_inside_the_window_and_damaged_aggregates_are_kept(tmp_path):
    config = make_config(retention_days=30)
    store = make_store(tmp_path, "2026-11-02 13:00", config=config)
    store.issue("kim", "de")
    store.clock.set(at("2026-11-20 13:00"))
    store.issue("kim", "de")
    (tmp_path / AGGREGATES_FILE).write_text("{broken")
    (tmp_path / "tickets-2026-11-02.damaged-x.json").write_text("{")
    store.clock.set(at("2026-12-10 09:00"))
    store.snapshot()
    assert not (tmp_path / "tickets-2026-11-02.json").exists()
    assert not (tmp_path / "tickets-2026-11-02.damaged-x.json").exists()
    assert (tmp_path / "tickets-2026-11-20.json").exists()
    assert list(tmp_path.glob("aggregates.damaged-*.json"))  # the broken one moved aside, kept
    assert set(load_aggregates(tmp_path)) == {D}
