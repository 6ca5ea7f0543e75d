"""`kiosk serve status` without a browser: tokens, 404s, slowed misses, Host check, headers,
the overview's content, the visitor's cancel, and the command line."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from kiosk.cli import main
from kiosk.core.clock import FixedClock
from kiosk.core.config import load_config
from kiosk.core.store import Store
from kiosk.core.tickets import State
from kiosk.web.status import server
from kiosk.web.status.server import FREE_MISSES, MissThrottle, build, host_policy
from tests.config_copy import copy_shipped
from tests.serve_support import free_port
from tests.store_factory import at

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

PUBLIC = "https://warten.example.org"


@pytest.fixture
def site(tmp_path):
    folder = copy_shipped(tmp_path)
    with (folder / "site.toml").open("a", encoding="utf-8") as file:
        file.write(f'\n[status]\npublic_url = "{PUBLIC}"\n')
    config = load_config(folder)
    store = Store(tmp_path / "data", config, FixedClock(at("2026-11-30 13:00")))
    return config, store


async def client_for(config, store, config_dir=None):
    port = free_port()
    app = build(config, store, store.clock, config_dir=config_dir)
    client = TestClient(TestServer(app, host="127.0.0.1", port=port))
    await client.start_server()
    return client


async def test_ticket_state_by_token_and_plain_404_otherwise(site):
    config, store = site
    ahead = store.issue("kim", "de")
    mine = store.issue("kim", "uk")
    client = await client_for(config, store)
    try:
        answer = await client.get(f"/t/{mine.ticket.token}/state")
        assert answer.status == 200
        view = await answer.json()
        assert view["number"] == mine.ticket.number and view["state"] == "waiting"
        assert view["ahead"] == "Перед вами в черзі: 1"
        assert view["wait"] == "Очікування: поки невідомо"
        assert "Set-Cookie" not in answer.headers
        assert answer.headers["Cache-Control"] == "no-store"
        for path in (f"/t/{mine.ticket.token[:-2]}/state", "/t/A-002", "/t/", "/static/x.js"):
            missed = await client.get(path)
            assert missed.status == 404, path
            assert await missed.text() == "404: Not Found"
        # The queue moves: the page follows within the refresh interval.
        store.call("raum1", ahead.ticket.number)
        store.call("raum2", mine.ticket.number)
        await server_caught_up(client, mine.ticket.token, "called")
        view = await (await client.get(f"/t/{mine.ticket.token}/state")).json()
        assert view["headline"] == "Ваша черга: будь ласка, пройдіть до Raum 2."
    finally:
        await client.close()


async def server_caught_up(client, token, state):
    import asyncio

    for _ in range(50):
        view = await (await client.get(f"/t/{token}/state")).json()
        if view["state"] == state:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never {state}")


async def test_pages_load_nothing_from_elsewhere_and_keep_the_token_to_themselves(site):
    config, store = site
    mine = store.issue("kim", "ar")
    client = await client_for(config, store)
    try:
        answer = await client.get(f"/t/{mine.ticket.token}")
        html = await answer.text()
        assert '<html lang="ar" dir="rtl">' in html
        assert "http:" not in html and "https:" not in html and "//" not in html  # no other site
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert answer.headers["Referrer-Policy"] == "same-origin"
        for name in ("status.css", "status.js"):
            static = await client.get(f"/static/{name}")
            assert static.status == 200
            assert "http:" not in await static.text() and "https:" not in await static.text()
        overview = await (await client.get("/?lang=de")).text()
        assert mine.ticket.token not in overview and "/t/" not in overview
        assert "Sprechstunde Integration" in overview
        data = await (await client.get("/status.json?lang=de")).json()
        assert mine.ticket.token not in str(data)
        kim = data["topics"][0]
        assert kim["waiting"] == "Wartende: 1" and kim["open"] is True
    finally:
        await client.close()


async def test_a_foreign_host_header_is_refused(site):
    config, store = site
    client = await client_for(config, store)
    try:
        refused = await client.get("/", headers={"Host": "evil.example.com"})
        assert refused.status == 403
        for host in ("warten.example.org", f"127.0.0.1:{client.port}", f"localhost:{client.port}"):
            assert (await client.get("/", headers={"Host": host})).status == 200, host
    finally:
        await client.close()
    policy = host_policy(PUBLIC, "0.0.0.0", ["warten.leverkusen.de"])
    assert policy.allows_name("warten.example.org") and policy.allows_name("warten.leverkusen.de")
    assert not policy.allows_name("evil.example.com")


async def test_visitor_cancel_by_post_and_what_staff_see(site):
    config, store = site
    mine = store.issue("kim", "de")
    client = await client_for(config, store)
    try:
        foreign = await client.post(
            f"/t/{mine.ticket.token}/cancel", headers={"Origin": "https://evil.example.com"}
        )
        assert foreign.status == 403
        assert store.snapshot().tickets[0].state is State.WAITING
        answer = await client.post(f"/t/{mine.ticket.token}/cancel", allow_redirects=False)
        assert answer.status == 303
        assert answer.headers["Location"] == f"/t/{mine.ticket.token}"
        stored = store.snapshot().tickets[0]
        assert stored.state is State.CANCELLED and stored.cancelled_by == "visitor"
        view = await (
            await client.post(
                f"/t/{mine.ticket.token}/cancel", headers={"Accept": "application/json"}
            )
        ).json()  # a second tap: nothing more happens
        assert view["state"] == "cancelled" and view["can_cancel"] is False
        wrong = await client.post("/t/nope/cancel")
        assert wrong.status == 404
    finally:
        await client.close()


def test_misses_from_one_address_are_slowed_after_a_few():
    now = [0.0]
    throttle = MissThrottle(clock=lambda: now[0])
    delays = [throttle.delay_for("203.0.113.9") for _ in range(FREE_MISSES + 4)]
    assert delays[:FREE_MISSES] == [0.0] * FREE_MISSES
    assert delays[FREE_MISSES:] == [0.25, 0.5, 1.0, 2.0]
    assert throttle.delay_for("198.51.100.7") == 0.0  # another address is not slowed
    now[0] += server.MISS_WINDOW + 1
    assert throttle.delay_for("203.0.113.9") == 0.0  # forgiven after the window


def test_serve_status_without_status_section_says_so(tmp_path, capsys):
    config = copy_shipped(tmp_path)
    code = main(["serve", "status", "--config", str(config), "--data", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no [status] public_url" in err and len(err.strip().splitlines()) == 1


async def test_staff_see_that_the_visitor_cancelled(tmp_path):
    from tests.staff_support import make_store, queue_ready, screen_text, settle, staff_app

    store = make_store(tmp_path)
    by_visitor = store.issue("kim", "de").ticket
    by_staff = store.issue("kim", "de").ticket
    store.cancel_by_visitor(by_visitor.token)
    store.cancel("raum1", by_staff.number)
    app = staff_app(store, "raum1", lang="de")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await queue_ready(pilot)
        await settle(pilot, screen)
        rows = {line.split()[0]: line for line in screen_text(app).splitlines() if "A-00" in line}
        assert "selbst storniert" in rows.get("A-001", screen_text(app))
        assert "selbst" not in rows["A-002"] and "storniert" in rows["A-002"]


async def test_a_changed_config_is_read_again_and_a_broken_one_ignored(site, monkeypatch):
    config, store = site
    monkeypatch.setattr(server, "CONFIG_CHECK_SECONDS", 0.05)
    folder = config.path
    client = await client_for(config, store, config_dir=folder)
    try:
        assert "Service-Point Integration" in await (await client.get("/")).text()
        site_toml = folder / "site.toml"
        site_toml.write_text(
            site_toml.read_text(encoding="utf-8").replace(
                'name = "Service-Point Integration"', 'name = "Servicepunkt Wiesdorf"'
            ),
            encoding="utf-8",
        )
        await until(client, "Servicepunkt Wiesdorf")
        site_toml.write_text(site_toml.read_text(encoding="utf-8") + "\n[broken\n")
        import asyncio

        await asyncio.sleep(0.3)  # several checks: the broken file is seen and refused
        assert "Servicepunkt Wiesdorf" in await (await client.get("/")).text()
    finally:
        await client.close()


async def until(client, text: str) -> None:
    """Wait until the page shows `text`: a re-read config reaches the page within a few
    checks, but on a loaded test machine loading the config alone can take seconds."""
    import asyncio
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if text in await (await client.get("/")).text():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} never shown")
