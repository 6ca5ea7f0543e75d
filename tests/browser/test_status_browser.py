"""The status page in a real headless Chromium at phone size (390x844): `kiosk serve status`.

A ticket's page shows waiting, then "your turn" with its desk after a staff call (the page
follows by itself), in German, Ukrainian and Arabic (right to left); a wrong token is a plain
404; the overview names no ticket; the visitor's cancel reaches the staff's store. Every
request the pages make is recorded: nothing may leave the box.

Screenshots go to $STATUS_SHOTS (a folder) when it is set, to look at them.
Needs Debian's chromium; skipped with the reason when it is missing, failed under CI=true.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_serve_browser import Recorder, _free_port, _wait_listening, browser  # noqa: F401

from kiosk.core.clock import Clock
from kiosk.core.config import load_config
from kiosk.core.i18n import text
from kiosk.core.store import Store
from kiosk.core.tickets import State
from tests.config_copy import copy_shipped

pytestmark = pytest.mark.browser

NOW = "2026-11-30T13:00"  # a Monday: the Sprechstunde (kim, desk "Raum 1") is open
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Config with [status], a data folder, a store, and `kiosk serve status` running."""
    root = tmp_path_factory.mktemp("status")
    port = _free_port()
    config_dir = copy_shipped(root)
    with (config_dir / "site.toml").open("a", encoding="utf-8") as file:
        file.write(f'\n[status]\npublic_url = "http://127.0.0.1:{port}"\n')
    config = load_config(config_dir)
    data = root / "data"
    store = Store(data, config, Clock.starting_at(NOW, config.site.timezone))
    log = root / "serve.log"
    command = [
        *(sys.executable, "-m", "kiosk"),
        *("--config", str(config_dir), "--data", str(data), "--now", NOW),
        *("serve", "status", "--port", str(port)),
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_listening(port, process, log)
        yield {
            "config": config,
            "store": store,
            "url": f"http://127.0.0.1:{port}",
            "netloc": f"127.0.0.1:{port}",
            "log": log,
        }
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def shot(page, name: str) -> None:
    folder = os.environ.get("STATUS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def open_phone(browser, site, path: str):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    recorder = Recorder(site["netloc"])
    recorder.attach(context)
    page = context.new_page()
    response = page.goto(site["url"] + path)
    return context, page, recorder, response


@pytest.mark.parametrize("lang", ["de", "uk", "ar"])
def test_ticket_page_follows_the_queue_until_called(browser, site, lang):  # noqa: F811
    config, store = site["config"], site["store"]
    issued = store.issue("kim", lang)
    ticket = issued.ticket
    url = config.site.status.ticket_url(ticket.token)
    assert url.startswith(site["url"] + "/t/")
    context, page, recorder, response = open_phone(browser, site, url[len(site["url"]) :])
    try:
        assert response.status == 200
        assert response.headers["referrer-policy"] == "same-origin"
        assert "set-cookie" not in response.headers
        page.wait_for_selector("body.state-waiting")
        assert page.inner_text("#number") == ticket.number
        waiting = text(config, lang, "visitor", "status_waiting")
        assert page.inner_text("#headline") == waiting
        ahead = issued.people_ahead
        expected = (
            text(config, lang, "visitor", "people_ahead", n=ahead)
            if ahead
            else text(config, lang, "visitor", "nobody_ahead")
        )
        assert page.inner_text("#ahead") == expected
        rtl = lang == "ar"
        assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")
        assert page.evaluate("document.documentElement.lang") == lang
        # Right to left: a note line starts at the right edge of its column (and the page
        # does not scroll sideways at phone width).
        edges = page.evaluate(
            """() => {
                const li = document.querySelector('.note li');
                const range = document.createRange();
                range.selectNodeContents(li);
                const text = range.getClientRects()[0];
                const box = li.getBoundingClientRect();
                return {left: text.left - box.left, right: box.right - text.right,
                        wide: document.documentElement.scrollWidth};
            }"""
        )
        assert edges["wide"] <= PHONE["width"]
        if rtl:
            assert edges["right"] < 2 and edges["left"] > 2, edges
        else:
            assert edges["left"] < 2, edges
        shot(page, f"{lang}-waiting")

        store.call("raum1", ticket.number)  # staff call it at "Raum 1"
        page.wait_for_selector("body.state-called", timeout=10_000)
        called = text(config, lang, "visitor", "status_called", desk="Raum 1")
        assert page.inner_text("#headline") == called
        assert "Raum 1" in page.title()
        colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert colour == "rgb(10, 122, 47)"  # the page turns green: unmistakable
        shot(page, f"{lang}-called")
        store.done("raum1", ticket.number)
        page.wait_for_selector("body.state-done", timeout=10_000)
        assert page.inner_text("#headline") == text(config, lang, "visitor", "status_done")
        assert recorder.foreign() == []
    finally:
        context.close()


def test_wrong_token_is_a_plain_404(site):
    config, store = site["config"], site["store"]
    real = store.issue("kim", "de").ticket.token
    for path in ("/t/" + real[:-1] + "x", "/t/x", "/t/" + real + "/x", "/t/", "/static/"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(site["url"] + path, timeout=5)
        assert caught.value.code == 404
        body = caught.value.read().decode()
        assert body == "404: Not Found"  # no hint whether the token was close, or whose
    with urllib.request.urlopen(site["url"] + "/t/" + real, timeout=5) as answer:
        assert answer.status == 200
        assert config.site.name in answer.read().decode()


def test_overview_names_no_ticket_and_loads_nothing_from_elsewhere(browser, site):  # noqa: F811
    config, store = site["config"], site["store"]
    mine = store.issue("kim", "en")
    store.call("raum2", mine.ticket.number)
    # The server looks at the store every half second: wait until it has seen the call.
    deadline = time.monotonic() + 10
    while (
        mine.ticket.number
        not in urllib.request.urlopen(site["url"] + "/status.json").read().decode()
    ):
        assert time.monotonic() < deadline, "the call never reached the overview"
        time.sleep(0.1)
    context, page, recorder, response = open_phone(browser, site, "/?lang=en")
    try:
        assert response.status == 200
        page.wait_for_selector("#topics li")
        body = page.inner_text("body")
        assert text(config, "en", "visitor", "status_overview_title") in body
        assert "Integration advice" in body  # the topics, in the chosen language
        assert mine.ticket.number in body  # numbers being called, like the public display
        html = page.content()
        assert mine.ticket.token not in html and "/t/" not in html
        page.wait_for_timeout(300)
        shot(page, "overview-en")
        page.click("a[hreflang=ar]")
        page.wait_for_selector("html[dir=rtl]")
        shot(page, "overview-ar")
        assert recorder.foreign() == []
    finally:
        context.close()


def test_visitor_cancel_reaches_the_staff(browser, site):  # noqa: F811
    config, store = site["config"], site["store"]
    issued = store.issue("kim", "uk")
    path = "/t/" + issued.ticket.token
    context, page, recorder, _ = open_phone(browser, site, path)
    try:
        page.click("#cancel summary")
        assert page.is_visible("#cancel-yes")
        page.click("#cancel-no")  # changes their mind: nothing happens
        assert not page.is_visible("#cancel-yes")
        assert store.snapshot().tickets[-1].state is State.WAITING
        page.click("#cancel summary")
        page.click("#cancel-yes")
        page.wait_for_selector("body.state-cancelled")
        assert page.inner_text("#headline") == text(config, "uk", "visitor", "status_cancelled")
        assert not page.is_visible("#cancel")
        stored = next(t for t in store.snapshot().tickets if t.number == issued.ticket.number)
        assert stored.state is State.CANCELLED and stored.cancelled_by == "visitor"
        shot(page, "uk-cancelled")
    finally:
        context.close()
