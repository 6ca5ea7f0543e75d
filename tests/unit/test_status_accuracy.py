"""The wait range against a generated afternoon: what visitors were told, what followed, and
the accuracy figure `kiosk stats` reports for coordinators."""

from __future__ import annotations

import json
import random
import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.core.clock import FixedClock
from kiosk.core.config import load_config
from kiosk.core.errors import NotIssuing
from kiosk.core.store import Store
from tests.config_copy import copy_shipped

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 30, 12, 30, tzinfo=BERLIN)  # Monday: the Sprechstunde opens
DESKS = ("raum1", "raum2")  # both call kim


def afternoon(store: Store, clock: FixedClock, seed: int = 7) -> list[dict]:
    """A minute-by-minute afternoon: about one visitor every 4 minutes for kim, two desks,
    visits of 6 to 22 minutes. Returns each visitor's range told and the wait that followed."""
    rng = random.Random(seed)
    visits: dict[str, dict] = {}
    busy_until = dict.fromkeys(DESKS, START)
    serving: dict[str, str | None] = dict.fromkeys(DESKS)
    for minute in range(0, 5 * 60):
        now = START + timedelta(minutes=minute)
        clock.set(now)
        if rng.random() < 0.25:
            try:
                issued = store.issue("kim", rng.choice(["de", "uk", "ar"]))
            except NotIssuing:
                pass  # after the last-ticket time
            else:
                visits[issued.ticket.number] = {
                    "told": issued.wait_range,
                    "issued": now,
                    "ahead": issued.people_ahead,
                }
        for desk in DESKS:
            if now < busy_until[desk]:
                continue
            if serving[desk] is not None:
                store.done(desk, serving[desk])
                serving[desk] = None
            called = store.call_next(desk)
            if called is not None:
                serving[desk] = called.number
                visits[called.number]["waited"] = (
                    now - visits[called.number]["issued"]
                ).seconds / 60
                busy_until[desk] = now + timedelta(minutes=rng.randint(6, 22))
    return list(visits.values())


def miss(told: tuple[int, int], waited: float) -> float:
    low, high = told
    return low - waited if waited < low else max(0.0, waited - high)


def test_ranges_hold_up_and_stats_report_their_accuracy(tmp_path, capsys):
    config_dir = copy_shipped(tmp_path)
    config = load_config(config_dir)
    clock = FixedClock(START)
    store = Store(tmp_path / "data", config, clock)
    visits = afternoon(store, clock)

    called = [v for v in visits if "waited" in v]
    told = [v for v in called if v["told"] is not None]
    misses = [miss(v["told"], v["waited"]) for v in told]
    within = sum(1 for m in misses if m == 0)
    summary = (
        f"\ngenerated afternoon: {len(visits)} visitors, {len(called)} called, "
        f"{len(told)} told a range, {within} ({100 * within / len(told):.0f} %) within it, "
        f"median miss {statistics.median(misses):.1f} min, "
        f"{len(called) - len(told)} told 'not known yet'"
    )
    # The first visitors of the day are told "not known yet", never a made-up figure.
    first = sorted(visits, key=lambda v: v["issued"])[:3]
    assert all(v["told"] is None for v in first)
    # Ranges are whole 5-minute steps, at least one step wide.
    assert all(
        low % 5 == 0 and high % 5 == 0 and high > low for low, high in (v["told"] for v in told)
    )
    # Truthful enough to be worth telling: most waits land in the range, and the rest close by.
    assert len(told) >= 30
    assert within / len(told) >= 0.5
    assert statistics.median(misses) <= 5

    # `kiosk stats` reports the same figures, computed from the stored tickets.
    with capsys.disabled():
        print(summary)
    capsys.readouterr()
    code = main(
        ["stats", "--json", "--from", "2026-11-30", "--to", "2026-11-30"]
        + [
            "--config",
            str(config_dir),
            "--data",
            str(tmp_path / "data"),
            "--now",
            "2026-12-01T09:00",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    figure = json.loads(out)["wait_estimate"]
    assert figure == {
        "told": len(told),
        "within": within,
        "within_percent": round(100 * within / len(told)),
        "median_miss_minutes": round(statistics.median(misses), 1),
        "not_known_yet": len(called) - len(told),
    }
    code = main(
        ["stats", "--lang", "de", "--from", "2026-11-30", "--to", "2026-11-30"]
        + [
            "--config",
            str(config_dir),
            "--data",
            str(tmp_path / "data"),
            "--now",
            "2026-12-01T09:00",
        ]
    )
    table = " ".join(capsys.readouterr().out.split())
    assert f"Wartezeit-Schätzung: {len(told)} aufgerufene Nummer(n) mit Spanne" in table
