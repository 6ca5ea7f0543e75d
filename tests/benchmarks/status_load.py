"""The status page under load: 300 phones follow their tickets while the kiosk issues more.

    python -m tests.benchmarks.status_load                 # about 2 minutes
    python -m tests.benchmarks.status_load --phones 300 --seconds 40 --port 8850

One `kiosk serve status` process on 127.0.0.1 (the port given, default 8850); 300 tickets issued
before; a load process runs 300 phones, each opening its page once (HTML, CSS, script) and then
polling its state every 3 s, as the page's script does, for a bounded time; a staff loop calls
and finishes tickets meanwhile so the queue moves and the server re-reads the day. Every answer
is timed from request to last byte; the figures are the median, 95th and 99th percentile and the
worst, with the number of errors (anything but 200).

Tap-to-ticket of the kiosk (the same measurement as tap.py, against the same data folder as the
server) is measured alone first, then while the phones poll: the goal is that it stays the same.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `tests.benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import CONFIG_DIR, NOW, PYTHON, ROOT, SIZE, compile_sources  # noqa: E402

POLL_SECONDS = 3.0  # what status.js does
TOPICS = ("kim", "ba", "vhs", "diakonie_work", "ukraine")  # open on the benchmark's Monday
LANGS = ("de", "uk", "ar", "ru", "tr", "fa", "en")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# --------------------------------------------------------------------------- the phones


async def phones(base: str, tokens: list[str], seconds: float) -> dict:
    """Each token's phone: the page once, then its state every POLL_SECONDS, until `seconds`."""
    import aiohttp

    times: list[float] = []
    page_times: list[float] = []
    errors: dict[str, int] = {}
    stop = time.monotonic() + seconds
    limit = aiohttp.TCPConnector(limit=0)  # one connection per phone, as real phones have

    async with aiohttp.ClientSession(connector=limit) as session:

        async def get(url: str, into: list[float]) -> None:
            start = time.perf_counter()
            try:
                async with session.get(url) as answer:
                    await answer.read()
                    status = answer.status
            except Exception as error:  # a refused or reset connection counts as an error
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                return
            into.append(time.perf_counter() - start)
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1

        async def phone(index: int, token: str) -> None:
            # Phones scan their codes over the first poll interval, not all in one instant.
            await asyncio.sleep(POLL_SECONDS * index / len(tokens))
            await get(f"{base}/t/{token}", page_times)
            await get(f"{base}/static/status.css", page_times)
            await get(f"{base}/static/status.js", page_times)
            while time.monotonic() < stop:
                await asyncio.sleep(POLL_SECONDS)
                await get(f"{base}/t/{token}/state", times)

        await asyncio.gather(*(phone(i, t) for i, t in enumerate(tokens)))
    return {"state": times, "page": page_times, "errors": errors}


# --------------------------------------------------------------------------- the kiosk


async def tap_to_ticket(config_dir: Path, data: Path, repeat: int) -> list[float]:
    """tap.py's measurement (key press to the ticket drawn with its QR code), on `data`."""
    from textual.screen import Screen

    from kiosk.core.clock import Clock
    from kiosk.ui.visitor import make_visitor_app
    from kiosk.ui.visitor.language import LanguageScreen
    from kiosk.ui.visitor.ticket import TicketScreen
    from kiosk.ui.visitor.topics import TopicScreen
    from tests.benchmarks.tap import DrawWatch, visible

    app = make_visitor_app(
        config_dir, data, clock=Clock.starting_at(NOW, "Europe/Berlin"), watch=False
    )
    times: list[float] = []

    def ticket_drawn(screen: Screen) -> bool:
        if not isinstance(screen, TicketScreen) or screen.issued is None:
            return False
        if not (visible(screen, "#number") and visible(screen, "#qr")):
            return False
        return screen.query_one("#qr").matrix is not None

    async with app.run_test(size=SIZE) as pilot:
        watch = DrawWatch(app)
        watch.arm(lambda s: isinstance(s, LanguageScreen) and visible(s, "#lang-uk"))
        await watch.wait()
        while app.availability is None:
            await asyncio.sleep(0.01)
        for _ in range(repeat + 1):  # the first is a warm-up (imports, caches): dropped
            watch.arm(lambda s: isinstance(s, TopicScreen) and visible(s, "#topic-kim"))
            await pilot.press("1")
            await watch.wait()
            await pilot.pause(0.05)
            watch.arm(ticket_drawn)
            start = time.perf_counter()
            await pilot.press("1")
            times.append(await watch.wait() - start)
            watch.arm(lambda s: isinstance(s, LanguageScreen) and visible(s, "#lang-uk"))
            # The ticket stays a few seconds whatever is pressed: wait for the way back.
            deadline = time.monotonic() + 15
            while not isinstance(app.screen, LanguageScreen) and time.monotonic() < deadline:
                await pilot.press("enter")
                await pilot.pause(0.2)
            await pilot.pause(0.05)
    return times[1:]


# --------------------------------------------------------------------------- set-up


def prepare(root: Path, port: int, tickets: int) -> tuple[Path, Path, list[str]]:
    """A config copy with [status], a data folder with `tickets` issued, and their tokens."""
    import shutil

    from kiosk.core.clock import Clock
    from kiosk.core.config import load_config
    from kiosk.core.store import Store

    config_dir = root / "config"
    shutil.copytree(CONFIG_DIR, config_dir)
    with (config_dir / "site.toml").open("a", encoding="utf-8") as file:
        file.write(f'\n[status]\npublic_url = "http://127.0.0.1:{port}"\n')
    config = load_config(config_dir)
    data = root / "data"
    store = Store(data, config, Clock.starting_at(NOW, config.site.timezone))
    tokens = [
        store.issue(TOPICS[i % len(TOPICS)], LANGS[i % len(LANGS)]).ticket.token
        for i in range(tickets)
    ]
    return config_dir, data, tokens  # type: ignore[return-value]


def wait_listening(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"kiosk serve status ended with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"kiosk serve status did not listen on {port} within {seconds} s")


def staff_loop(config_dir: Path, data: Path, seconds: float) -> subprocess.Popen:
    """Desks call and finish tickets every 2 s in their own process (the queue moves)."""
    code = f"""
import time
from pathlib import Path
from kiosk.core.clock import Clock
from kiosk.core.config import load_config
from kiosk.core.store import Store
config = load_config(Path({str(config_dir)!r}))
store = Store(Path({str(data)!r}), config, Clock.starting_at({NOW!r}, config.site.timezone))
stop = time.monotonic() + {seconds}
called = {{}}
while time.monotonic() < stop:
    for desk in ("raum1", "raum2", "tisch_ba", "tisch_vhs"):
        if desk in called:
            store.done(desk, called.pop(desk))
        ticket = store.call_next(desk)
        if ticket is not None:
            called[desk] = ticket.number
    time.sleep(2)
"""
    return subprocess.Popen([PYTHON, "-c", code], cwd=ROOT)


def run(phone_count: int, seconds: float, port: int, repeat: int) -> dict:
    compile_sources()
    root = Path(tempfile.mkdtemp(prefix="bench-status-"))
    config_dir, data, tokens = prepare(root, port, phone_count)
    alone = asyncio.run(tap_to_ticket(config_dir, data, repeat))

    log = open(root / "serve.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [PYTHON, "-m", "kiosk", "--config", str(config_dir), "--data", str(data), "--now", NOW]
        + ["serve", "status", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_listening(port, server)
        tokens_file = root / "tokens.json"
        tokens_file.write_text(json.dumps(tokens))
        load = subprocess.Popen(
            [PYTHON, "-m", "tests.benchmarks.status_load", "--phones-only", str(tokens_file)]
            + ["--seconds", str(seconds), "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        staff = staff_loop(config_dir, data, seconds)
        time.sleep(POLL_SECONDS + 1)  # every phone has opened its page: full load
        under_load = asyncio.run(tap_to_ticket(config_dir, data, repeat))
        out, _ = load.communicate(timeout=seconds + 120)
        staff.wait(timeout=30)
        result = json.loads(out)
        rss_kib = _rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(10)
        log.close()
    # Alone again after the load, so that drift of the machine hits both sides alike.
    alone += asyncio.run(tap_to_ticket(config_dir, data, repeat))
    return {
        "phones": phone_count,
        "seconds": seconds,
        "state": result["state"],
        "page": result["page"],
        "errors": result["errors"],
        "tap_alone": alone,
        "tap_under_load": under_load,
        "server_rss_kib": rss_kib,
    }


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def report(result: dict) -> str:
    state = result["state"]
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    p95 = percentile(state, 95)
    alone = statistics.median(result["tap_alone"])
    loaded = statistics.median(result["tap_under_load"])
    lines = [
        f"{result['phones']} phones polling every {POLL_SECONDS:g} s for {result['seconds']:g} s "
        f"on 127.0.0.1 ({os.cpu_count()} CPUs), desks calling every 2 s:",
        f"  state answers: {len(state)} ({len(state) / result['seconds']:.0f}/s), median "
        f"{ms(statistics.median(state))}, p95 {ms(p95)}, p99 {ms(percentile(state, 99))}, "
        f"max {ms(max(state))}; errors {result['errors'] or 'none'}",
        f"  page loads (HTML, CSS, script): {len(result['page'])}, median "
        f"{ms(statistics.median(result['page']))}, p95 {ms(percentile(result['page'], 95))}",
        f"  goal p95 < 100 ms: {'yes' if p95 < 0.1 else 'NO'}",
        f"  kiosk tap-to-ticket: alone {ms(alone)} (median of {len(result['tap_alone'])}, before "
        f"and after), while the phones poll {ms(loaded)} (median of "
        f"{len(result['tap_under_load'])}; {loaded / alone:.2f}x)",
        f"  server memory after the run: {result['server_rss_kib'] or '?'} KiB RSS",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--port", type=int, default=8850)
    parser.add_argument("--repeat", type=int, default=8, help="tap-to-ticket measurements")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures")
    parser.add_argument("--phones-only", metavar="TOKENS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phones_only:  # the load process: print raw figures as JSON
        tokens = json.loads(Path(args.phones_only).read_text())
        base = f"http://127.0.0.1:{args.port}"
        print(json.dumps(asyncio.run(phones(base, tokens, args.seconds))))
        return 0
    result = run(args.phones, args.seconds, args.port, args.repeat)
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
