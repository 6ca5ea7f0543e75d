"""Staff see what the store knows (issue 14, findings 1 and 2): a damaged day file salvaged, and
a clock behind the stored tickets. Bug: the queue emptied, or issuing refused, and the staff app
showed nothing; the reason was only in the log."""

from __future__ import annotations

import json
from datetime import timedelta

from kiosk.core.notices import staff_notices
from kiosk.ui.staff.status_line import StatusLine
from tests.staff_support import clock_at, make_store, queue_ready, screen_text, staff_app, wait_for

DAY = "tickets-2026-11-30.json"


def six_tickets(store):
    numbers = []
    for _ in range(6):
        numbers.append(store.issue("kim", "de").ticket.number)
        store.clock.advance(seconds=30)
    return numbers


def status(app) -> str:
    line = app.screen.query_one(StatusLine)
    return " · ".join(line.warnings.values()) if line.display else ""


async def test_damaged_day_file_staff_read_what_came_back_and_whom_to_ask(tmp_path):
    writer = make_store(tmp_path)
    numbers = six_tickets(writer)
    path = writer.data_dir / DAY
    raw = path.read_bytes()
    third = raw.index(f'"number":"{numbers[2]}"'.encode())
    end = raw.index(b"}", raw.index(b'"transferred_from"', third)) + 1
    path.write_bytes(raw[:third] + b"\x00" * (end - third) + raw[end:])
    store = make_store(tmp_path, clock=writer.clock)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await wait_for(pilot, lambda: "Tagesdatei" in status(app))
        assert status(app) == (
            f"Tagesdatei beschädigt: 5 von 6 Nummern wiederhergestellt, {numbers[2]} fehlt – "
            "bitte im Wartebereich nachfragen."
        )
        text = screen_text(app)
        assert "5 von 6 Nummern wiederhergestellt" in text
        for number in numbers[:2] + numbers[3:]:
            assert number in text  # back in the queue


async def test_ticket_with_unreadable_field_is_marked_for_staff(tmp_path):
    writer = make_store(tmp_path)
    numbers = six_tickets(writer)
    path = writer.data_dir / DAY
    data = json.loads(path.read_bytes())
    doc = next(d for d in data["tickets"].values() if d["number"] == numbers[3])
    doc["state"] = "wartend"
    path.write_text(json.dumps(data))
    app = staff_app(make_store(tmp_path, clock=writer.clock), "raum1")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await wait_for(pilot, lambda: "Tagesdatei" in status(app))
        assert "alle 6 Nummern wiederhergestellt" in status(app)
        assert f"Prüfen: {numbers[3]} (Angaben unlesbar, Platz in der Reihe behalten)." in (
            status(app)
        )
        assert f"{numbers[3]}!" in screen_text(app)  # its row is marked
        assert f"{numbers[2]}!" not in screen_text(app)


async def test_clock_behind_the_stored_tickets_staff_read_reason_and_what_to_do(tmp_path):
    writer = make_store(tmp_path, clock=clock_at("2026-11-30T15:00"))
    six_tickets(writer)
    clock = clock_at("2026-11-30T13:00")
    store = make_store(tmp_path, clock=clock)
    app = staff_app(store, "raum1")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await wait_for(pilot, lambda: "Uhr" in status(app))
        assert status(app).startswith(
            "Uhr geht nach: bitte die Computeruhr stellen lassen (Verwaltung); "
            "bis dahin keine neuen Nummern. Sie zeigt 13:00, gespeichert ist schon 15:02."
        )
        clock.set(clock.now() + timedelta(hours=2, minutes=5))  # someone set the clock right
        await wait_for(pilot, lambda: status(app) == "", timeout=3)


def test_clock_notice_names_the_day_when_it_differs(tmp_path):
    writer = make_store(tmp_path, clock=clock_at("2026-11-30T15:00"))
    six_tickets(writer)
    store = make_store(tmp_path, clock=clock_at("2026-11-29T09:00"))
    notices = staff_notices(store.config, "en", store.snapshot(), store.clock.now())
    assert notices["clock"] == (
        "Clock behind: have this computer's clock set (administrator); no new numbers until "
        "then. It shows 29.11.2026 09:00, but 30.11.2026 15:02 is already stored."
    )
    assert notices["salvaged"] is None


def test_clock_notice_in_the_repeated_autumn_hour_compares_real_time():
    """02:40 (summer time) was before 02:10 (winter time, an hour later in real time): a clock
    that is right is not behind (regression: compared by wall clock)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.core.store import clock_behind

    berlin = ZoneInfo("Europe/Berlin")
    stored = datetime(2026, 10, 25, 2, 40, tzinfo=berlin, fold=0)
    now = datetime(2026, 10, 25, 2, 10, tzinfo=berlin, fold=1)
    assert not clock_behind(stored, now)
    assert clock_behind(now, stored)
