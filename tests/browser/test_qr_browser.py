"""In a browser (textual-serve + xterm.js + Chromium): the code in the page's pixels scans.

Browser fonts and line heights differ from terminals; this reads the code from a real
screenshot of the page, pixels and all, not from the cells.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.core.config import load_config
from kiosk.core.hours import Hours
from kiosk.core.qr import take_away_notes
from kiosk.core.tickets import State, Ticket
from tests.qr_raster import decode_image
from tests.qr_ticket_app import APP

SHIPPED = Path(__file__).resolve().parents[2] / "config"

SERVE = """
import sys
from textual_serve.server import Server
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2])).serve()
"""

pytestmark = pytest.mark.browser


def chromium_or_skip() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI for the browser QR test")
        print("SKIP: no chromium on PATH")
        pytest.skip("no chromium on PATH")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_code_scans_from_a_browser_screenshot(tmp_path):
    chromium = chromium_or_skip()
    from PIL import Image
    from playwright.async_api import async_playwright

    app_script = tmp_path / "ticket_app.py"
    app_script.write_text(APP, encoding="utf-8")
    serve_script = tmp_path / "serve.py"
    serve_script.write_text(SERVE, encoding="utf-8")
    port = free_port()
    command = f"{sys.executable} {app_script} {SHIPPED} fa"
    server = subprocess.Popen(
        [sys.executable, str(serve_script), command, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    decoded: list[str] = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox"]
            )
            page = await browser.new_page(viewport={"width": 1000, "height": 640})
            started = time.monotonic()
            while time.monotonic() - started < 30 and not decoded:
                try:
                    await page.goto(f"http://127.0.0.1:{port}")
                except Exception:  # server still starting
                    await page.wait_for_timeout(300)
                    continue
                for _ in range(30):
                    await page.wait_for_timeout(300)
                    image = Image.open(io.BytesIO(await page.screenshot()))
                    decoded = decode_image(image.convert("L"))
                    if decoded:
                        break
            print(f"code read after {time.monotonic() - started:.1f} s")
            await browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    config = load_config(SHIPPED)
    now = datetime(2026, 11, 30, 13, 0, tzinfo=config.site.timezone)
    ticket = Ticket(now.date(), "A", 1, "kim", "Sprechstunde", "fa", State.WAITING, now)
    notes = take_away_notes(config, Hours(config), ticket, "fa", now)
    assert len(decoded) == 1 and decoded[0] in notes
