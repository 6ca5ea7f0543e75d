"""End to end in a real terminal: a small ticket layout runs in tmux, the screen is captured with
its colours and parsed by pyte, and the QR code read from those cells is the take-away note.
The Arabic text in the cells is shaped and in display order (tmux does no bidi of its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.config import load_config
from kiosk.core.hours import Hours
from kiosk.core.qr import choose_note, take_away_notes
from kiosk.core.tickets import State, Ticket
from kiosk.ui.rtl import display_lines
from tests.qr_raster import decode_image, grid_from_ansi, rasterize, text_rows
from tests.qr_ticket_app import APP

SHIPPED = Path(__file__).resolve().parents[2] / "config"
WHAT_NOW_WIDTH = 80 - 45  # the left column beside the 45-column code


def tmux_or_skip() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tmux is required in CI for the real-terminal QR test")
        print("SKIP: tmux not installed")
        pytest.skip("tmux not installed")
    return tmux


@pytest.mark.parametrize("lang", ["ar", "de"])
def test_code_scans_from_a_real_terminal(tmp_path, lang):
    tmux = tmux_or_skip()
    script = tmp_path / "ticket_app.py"
    script.write_text(APP, encoding="utf-8")
    socket = f"kiosk-qr-test-{os.getpid()}-{lang}"
    command = f"{sys.executable} {script} {SHIPPED} {lang}"
    base = [tmux, "-L", socket]
    subprocess.run(
        [*base, "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", command],
        check=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    try:
        decoded: list[str] = []
        rows: list[str] = []
        started = time.monotonic()
        while time.monotonic() - started < 20:
            time.sleep(0.3)
            capture = subprocess.run(
                [*base, "capture-pane", "-p", "-e", "-N", "-t", "t"],
                capture_output=True,
                text=True,
            ).stdout
            grid = grid_from_ansi(capture, 80, 24)
            decoded = decode_image(rasterize(grid))
            if decoded:
                rows = text_rows(grid)
                break
        print(f"{lang}: code read after {time.monotonic() - started:.1f} s")
    finally:
        subprocess.run([*base, "kill-server"], check=False)

    config = load_config(SHIPPED)
    now = datetime(2026, 11, 30, 13, 0, tzinfo=config.site.timezone)
    ticket = Ticket(now.date(), "A", 1, "kim", "Sprechstunde", lang, State.WAITING, now)
    notes = take_away_notes(config, Hours(config), ticket, lang, now)
    chosen = choose_note(notes, 45, 24)
    assert chosen is not None
    assert decoded == [chosen[0]]
    if lang == "ar":
        what_now = config.languages["ar"].visitor["what_now"]
        lines = display_lines(what_now, WHAT_NOW_WIDTH, rtl=True)
        screen = "\n".join(rows)
        for line in lines:
            assert line in screen, f"{line!r} not on screen:\n{screen}"
