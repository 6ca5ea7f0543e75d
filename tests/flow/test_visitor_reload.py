"""Config hot reload in the visitor kiosk: a changed config shows within seconds; a broken edit
is logged and the last good config stays."""

from __future__ import annotations

import logging
import os
import time

from kiosk.core.config import load_config
from kiosk.ui.config_watch import folder_signature
from tests.config_copy import copy_shipped, edit
from tests.visitor_support import clock_at, ready, wait_for


def _app(tmp_path):
    from kiosk.ui.visitor import make_visitor_app

    folder = copy_shipped(tmp_path)
    config = load_config(folder)
    app = make_visitor_app(
        folder,
        tmp_path / "data",
        clock=clock_at("2026-11-30T13:00"),
        config=config,
        watch_interval=0.1,
    )
    return folder, app


def _touch_later(path):
    # mtime resolution: make sure the edit is seen as a change even within the same tick.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_signature_changes_with_an_edit(tmp_path):
    folder = copy_shipped(tmp_path)
    before = folder_signature(folder)
    edit(folder, "site.toml", 'name = "Service-Point Integration"', 'name = "SP"')
    _touch_later(folder / "site.toml")
    assert folder_signature(folder) != before


async def test_changed_config_is_shown_and_broken_one_is_refused(tmp_path, caplog):
    folder, app = _app(tmp_path)
    caplog.set_level(logging.INFO, logger="kiosk")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        started = time.monotonic()
        edit(folder, "site.toml", 'name = "Service-Point Integration"', 'name = "Servicepunkt"')
        _touch_later(folder / "site.toml")
        await wait_for(pilot, lambda: app.config.site.name == "Servicepunkt", timeout=10)
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "LanguageScreen"
                and str(app.screen.query_one("#site-name").render()) == "Servicepunkt"
            ),
        )
        print(f"reload seen after {time.monotonic() - started:.2f}s")
        assert app.hours.config is app.config  # rules rebuilt for the new config
        assert app.store.config is app.config

        good = app.config
        (folder / "topics.toml").write_text('[[topics]]\nid = "x"\nletter = "ZZ"\n')
        _touch_later(folder / "topics.toml")
        await wait_for(pilot, lambda: app.config_rejections == 1, timeout=10)
        assert app.config is good
        assert any(r.name == "kiosk.config" and r.levelno == logging.ERROR for r in caplog.records)
        # The kiosk still issues with the last good config.
        await pilot.press("1", "1")
        await wait_for(pilot, lambda: getattr(app.screen, "issued", None) is not None)
        assert app.screen.issued.ticket.number == "A-001"
