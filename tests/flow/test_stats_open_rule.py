"""One rule for open tickets in every statistics view (issue 13, finding 10): a ticket still
waiting or called counts as issued and in no end state; the wait of a called one counts from its
call (its wait is over). The staff `s` view, `kiosk stats` and the README said different things;
the afternoon below is recounted by hand."""

from __future__ import annotations

import json

from kiosk.cli import main
from kiosk.core import stats
from kiosk.core.tickets import State
from tests.staff_support import (
    SHIPPED,
    clock_at,
    make_store,
    queue_ready,
    screen_text,
    staff_app,
    wait_for,
)


def afternoon(tmp_path):
    """Monday 13:00. By hand (whole minutes, nearest-rank median of N = the ceil(N/2)-th):
    A-001 issued 13:00, called 13:02, done 13:10     wait 2, service 8
    A-002 issued 13:01, called 13:05, no-show 13:07  wait 4
    A-003 issued 13:03, called 13:12, done 13:20     wait 9, service 8
    A-004 issued 13:20, called 13:20, still called   open: issued, wait 0 (over at the call)
    A-005 issued 13:20, waiting                      open: issued, no wait yet
    waits 0, 2, 4, 9 -> median 2 (without the open call it would be 4); service 8, 8 -> 8
    """
    clock = clock_at("2026-11-30T13:00")
    store = make_store(tmp_path, clock)

    def at(hhmm: str) -> None:
        hours, minutes = map(int, hhmm.split(":"))
        now = clock.now()
        clock.advance(minutes=(hours * 60 + minutes) - (now.hour * 60 + now.minute))

    a1 = store.issue("kim", "de").ticket.number
    at("13:01")
    a2 = store.issue("kim", "uk").ticket.number
    at("13:02")
    store.call("raum1", a1)
    at("13:03")
    a3 = store.issue("kim", "ar").ticket.number
    at("13:05")
    store.call("raum2", a2)
    at("13:07")
    store.no_show("raum2", a2)
    at("13:10")
    store.done("raum1", a1)
    at("13:12")
    store.call("raum1", a3)
    at("13:20")
    store.done("raum1", a3)
    a4 = store.issue("kim", "de").ticket.number
    store.issue("kim", "fa")
    store.call("raum2", a4)
    states = {t.number: t.state for t in store.snapshot().tickets}
    assert states[a4] is State.CALLED
    return store


def test_today_figures_count_an_open_call_as_issued_and_its_wait(tmp_path):
    store = afternoon(tmp_path)
    today = stats.today_figures(store.config, store.clock.now().date(), store.snapshot().tickets)
    total = today.total
    assert (total.issued, total.open, total.served, total.no_show) == (5, 2, 2, 1)
    assert total.wait_median == 2
    assert total.service_median == 8


def test_kiosk_stats_says_the_same(tmp_path, capsys, monkeypatch):
    store = afternoon(tmp_path)
    monkeypatch.delenv("KIOSK_NOW", raising=False)
    code = main(
        [
            "stats",
            "--config",
            str(SHIPPED),
            "--data",
            str(store.data_dir),
            "--now",
            "2026-11-30T13:20",
            "--from",
            "2026-11-30",
            "--to",
            "2026-11-30",
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    total = json.loads(out)["total"]
    assert total["issued"] == 5 and total["wait_median"] == 2 and total["service_median"] == 8
    # the table's footer says the rule the figures follow (it said "counted as issued only")
    code = main(
        ["stats", "--config", str(SHIPPED), "--data", str(store.data_dir)]
        + [
            "--now",
            "2026-11-30T13:20",
            "--from",
            "2026-11-30",
            "--to",
            "2026-11-30",
            "--lang",
            "de",
        ]
    )
    words = " ".join(capsys.readouterr().out.split())
    assert code == 0
    assert "2 Nummer(n) von heute sind noch offen" in words
    assert "die Wartezeit einer aufgerufenen zählt ab dem Aufruf" in words


async def test_staff_s_view_says_the_same(tmp_path):
    store = afternoon(tmp_path)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(100, 40)) as pilot:
        await queue_ready(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: "Gesamt" in screen_text(app))
        text = screen_text(app)
        total = next(line for line in text.splitlines() if line.strip().startswith("Gesamt"))
        assert total.split()[1:] == ["5", "2", "2", "1", "0", "2", "8"]
        words = " ".join(text.split())  # the note may wrap
        assert "die Wartezeit zählt ab dem Aufruf, auch wenn die Nummer noch aufgerufen" in words
