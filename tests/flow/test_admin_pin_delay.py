"""Wrong admin PINs cost a growing, capped wait (issue 12, finding 10).

Regression: no delay and no lockout (100 tries in 16 s at the terminal, 50 in 5 s through the
browser page). Now 5 wrong in a row lock the PIN dialog for 1 min, each further one doubles the
wait up to 15 min; the wait is shared through the data folder (the browser page starts a process
per connection), every wrong PIN is logged, and visitors keep using the kiosk meanwhile.
"""

from __future__ import annotations

import logging

from kiosk.core.pin_throttle import PinThrottle, lock_seconds
from kiosk.ui.lockdown import ADMIN_CHORD
from tests.visitor_support import make_app, ready, wait_for


def test_the_wait_grows_and_is_capped():
    assert [lock_seconds(n) for n in range(1, 11)] == [0, 0, 0, 0, 60, 120, 240, 480, 900, 900]


def test_the_wait_is_shared_through_the_data_folder_and_cleared_by_the_right_pin(tmp_path):
    now = [1000.0]
    terminal = PinThrottle(tmp_path, clock=lambda: now[0])
    browser = PinThrottle(tmp_path, clock=lambda: now[0])  # another process, same folder
    for _ in range(4):
        terminal.failed()
    assert browser.wait_left() == 0
    browser.failed()  # the fifth, through the browser page
    assert terminal.wait_left() == 60
    now[0] += 61
    assert terminal.wait_left() == 0
    assert terminal.failed().locked_until == now[0] + 120  # the sixth in a row
    terminal.succeeded()
    assert browser.wait_left() == 0 and browser.failed().failures == 1
    assert oct((tmp_path / "admin-pin.json").stat().st_mode & 0o777) == "0o640"


async def enter_pin(pilot, pin: str) -> str:
    app = pilot.app
    if type(app.screen).__name__ != "AdminExitScreen":
        await pilot.press(*ADMIN_CHORD)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AdminExitScreen")
    message = app.screen.query_one("#admin-message")
    message.update("")
    await pilot.press(*pin, "enter")
    await wait_for(pilot, lambda: not app.is_running or str(message.render()), timeout=10)
    return str(message.render()) if app.is_running else ""


async def test_five_wrong_pins_lock_the_dialog_and_visitors_carry_on(tmp_path, caplog):
    now = [5000.0]
    app = make_app(tmp_path)  # shipped PIN 2468
    app._pin_throttle = PinThrottle(tmp_path, clock=lambda: now[0])
    caplog.set_level(logging.WARNING, logger="kiosk.visitor")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for _ in range(4):
            assert "Locked" not in await enter_pin(pilot, "1111")
        assert "Locked: 1:00 min" in await enter_pin(pilot, "1112")
        # Locked: even the right PIN is refused, unchecked.
        assert "Locked" in await enter_pin(pilot, "2468")
        assert app.is_running
        wrong = [r for r in caplog.records if "wrong PIN" in r.getMessage()]
        assert len(wrong) == 5 and "(5 in a row); PIN dialog locked for 60s" in wrong[-1].message
        # Visitors keep using the kiosk meanwhile.
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        await pilot.press("1")
        await wait_for(pilot, lambda: type(app.screen).__name__ in ("TopicScreen", "ClosedScreen"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LanguageScreen")
        now[0] += 61
        await enter_pin(pilot, "2468")
        await wait_for(pilot, lambda: not app.is_running, timeout=10)
