"""The browser kiosk: large text with capitals >= 7.3 mm on the configured screen (EN 301 549
5.1.4), by URL parameter and by the kiosk's toggle, and the page playing the speech the app
process makes (kiosk serve hands it over as audio/wav, nothing else).

Needs Debian's chromium; skipped with the reason when it is missing, failed under CI=true.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-11-30T13:00"
SCREEN_WIDTH_MM = 300  # a small screen, so large text is larger than the usual size
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
VIEWPORT = {"width": 1000, "height": 720}


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def _port() -> int:
    for port in range(8940, 8990):  # this project's test range
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8940-8989")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    config = tmp_path_factory.mktemp("config")
    shutil.copytree(REPO / "config", config, dirs_exist_ok=True)
    site = config / "site.toml"
    site.write_text(
        site.read_text().replace("screen_width_mm = 0", f"screen_width_mm = {SCREEN_WIDTH_MM}")
    )
    data = tmp_path_factory.mktemp("data")
    log = data.parent / "serve.log"
    port = _port()
    command = [
        *(sys.executable, "-m", "kiosk", "--config", str(config), "--data", str(data)),
        *("--now", NOW, "serve", "kiosk", "--port", str(port)),
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"kiosk serve did not start: {log.read_text()}")
                time.sleep(0.1)
        yield {"url": f"http://127.0.0.1:{port}/", "log": data / "logs"}
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _missing("no chromium on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright for Python is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser, url: str):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body.-first-byte", timeout=20_000)
    return context, page


def font_size(page) -> int:
    return int(page.evaluate("document.getElementById('terminal').dataset.fontSize"))


def capital_mm(page, size: int) -> float:
    """The drawn height of a capital H at `size` px in the terminal's font, in millimetres on
    the configured screen."""
    pixels = page.evaluate(
        """(size) => {
            const context = document.createElement("canvas").getContext("2d");
            context.font = size + "px 'Roboto Mono'";
            return context.measureText("H").actualBoundingBoxAscent;
        }""",
        size,
    )
    per_pixel = SCREEN_WIDTH_MM / page.evaluate("window.screen.width")
    return pixels * per_pixel


def test_large_text_capitals_are_at_least_7_3_mm_on_the_configured_screen(server, browser):
    context, page = open_page(browser, server["url"])
    usual = font_size(page)
    context.close()
    context, page = open_page(browser, server["url"] + "?large=1")
    try:
        large = font_size(page)
        assert page.evaluate("document.body.classList.contains('-large-text')")
        assert capital_mm(page, usual) < 7.3 <= capital_mm(page, large), (usual, large)
        assert math.isclose(capital_mm(page, large), 7.3, abs_tol=0.5)  # large, not huge
    finally:
        context.close()


def test_the_kiosk_toggle_switches_large_text_and_keeps_it(server, browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        sizes = []
        for address in ("", "?large=toggle", "", "?large=toggle"):
            page.goto(server["url"] + address)
            page.wait_for_selector("body.-first-byte", timeout=20_000)
            sizes.append(font_size(page))
            assert "large=" not in page.url  # the toggle is not left in the address
        usual, large, kept, back = sizes
        assert large > usual and kept == large and back == usual
    finally:
        context.close()


def test_the_page_plays_the_speech_the_app_makes(server, browser):
    context, page = open_page(browser, server["url"])
    sounds = []
    page.on(
        "response",
        lambda r: (
            sounds.append((r.status, r.headers.get("content-type")))
            if "/download/" in r.url
            else None
        ),
    )
    try:
        page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        page.keyboard.press("0")  # speech mode: the start screen is spoken
        deadline = time.monotonic() + 20
        while not sounds or page.evaluate("window.kioskSound.played") < 1:
            assert time.monotonic() < deadline, f"no sound reached the page: {sounds}"
            page.wait_for_timeout(100)
        assert sounds[0] == (200, "audio/wav")
    finally:
        context.close()
    logs = "".join(path.read_text() for path in server["log"].glob("*.log"))
    assert "speech[uk]: Українською — натисніть 3." in logs  # what the page played


def test_the_server_hands_out_sound_only(server):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server["url"] + "download/not-a-key", timeout=5)
    assert refused.value.code == 404
