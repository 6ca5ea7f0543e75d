"""The config watcher never blocks the app or its shutdown (issue 14, finding 3).

Bug: a named pipe in place of a config file blocked the watcher's read for good: later fixes
were never applied and the app could not end (SIGTERM did nothing)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from textual.app import App

from kiosk.core.config import load_config
from kiosk.ui.config_watch import ConfigRejected, ConfigReloaded, watch_config
from tests.config_copy import copy_shipped


class WatchingApp(App[None]):
    def __init__(self, folder, loader=load_config):
        super().__init__()
        self.folder = folder
        self.loader = loader
        self.seen: list[object] = []

    def on_mount(self) -> None:
        watch_config(self, self.folder, interval=0.05, loader=self.loader)

    def on_config_reloaded(self, message: ConfigReloaded) -> None:
        self.seen.append(message)

    def on_config_rejected(self, message: ConfigRejected) -> None:
        self.seen.append(message)


async def wait_until(pilot, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_a_fifo_in_place_of_a_file_is_rejected_and_a_later_fix_applied(tmp_path):
    folder = copy_shipped(tmp_path)
    good = (folder / "desks.toml").read_bytes()
    app = WatchingApp(folder)
    async with app.run_test() as pilot:
        (folder / "desks.toml").unlink()
        os.mkfifo(folder / "desks.toml")
        await wait_until(pilot, lambda: app.seen)
        assert isinstance(app.seen[0], ConfigRejected)
        assert any("named pipe" in p for p in app.seen[0].problems)
        (folder / "desks.toml").unlink()
        (folder / "desks.toml").write_bytes(good)
        await wait_until(pilot, lambda: len(app.seen) > 1)
        assert isinstance(app.seen[-1], ConfigReloaded)  # the fix is applied


HANGING_APP = """
import sys, threading, time
from pathlib import Path
from textual.app import App
from kiosk.ui.config_watch import watch_config

folder = Path(sys.argv[1])
forever = threading.Event()

def hanging_loader(path):  # a read that never answers (a FIFO, a share that stopped)
    print("loading", flush=True)
    forever.wait()

class Watching(App):
    def on_mount(self):
        watch_config(self, folder, interval=0.05, loader=hanging_loader)
        (folder / "site.toml").write_bytes((folder / "site.toml").read_bytes() + b"\\n")
        self.set_interval(0.05, self.check)
        self.begun = time.monotonic()

    def check(self):
        if time.monotonic() - self.begun > 1.0:
            self.exit()

Watching().run(headless=True)
print("ended", flush=True)
"""


def test_a_hanging_read_does_not_hold_up_the_apps_end(tmp_path):
    folder = copy_shipped(tmp_path)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", HANGING_APP, str(folder)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "loading" in result.stdout, result.stderr
    assert "ended" in result.stdout
    assert result.returncode == 0
    assert time.monotonic() - started < 30  # asyncio waits up to 300 s for executor threads
