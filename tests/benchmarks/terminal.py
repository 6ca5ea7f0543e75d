"""Benchmarks in a pseudo-terminal: cold start, memory, tap-to-ticket as a terminal sees it.

Each program runs under a 100x30 pty (TERM=xterm-256color); its output goes through pyte, so a
screen counts as drawn when the terminal's cells hold its text.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import NOW, PYTHON, ROOT, bench_config, compile_sources
from tests.benchmarks.minimal_app import BARE, MARKER
from tests.benchmarks.pty_harness import PtyProcess

MINIMAL = [PYTHON, str(Path(__file__).with_name("minimal_app.py"))]
HOTLINE = "0214/406-3333"
SITE = "Service-Point Integration"
QR_ROW_MIN = 8  # rows with half blocks: the code is on screen


def kiosk_argv(data: Path) -> list[str]:
    return [
        PYTHON, "-m", "kiosk", "run", "--config", str(bench_config()),
        "--data", str(data), "--now", NOW, "--no-watch",
    ]  # fmt: skip


def language_drawn(text: str) -> bool:
    return MARKER in text and SITE in text and HOTLINE in text


def topics_drawn(text: str) -> bool:
    return "Sprechstunde Integration" in text and "Fertig" not in text


def ticket_drawn(text: str) -> bool:
    if "Fertig" not in text or "Ihre Nummer wird erstellt" in text:
        return False
    qr_rows = sum(1 for line in text.splitlines() if line.count("▀") + line.count("▄") >= 4)
    return qr_rows >= QR_ROW_MIN


def cold_start_once(argv: list[str], drawn) -> tuple[float, int]:
    """Seconds from fork to the first screen drawn, and the RSS (KiB) once drawn."""
    with PtyProcess(argv, cwd=str(ROOT)) as proc:
        at = proc.wait_for(drawn, timeout=30)
        elapsed = at - proc.started
        proc.drain(quiet=0.2)
        return elapsed, proc.rss_kib()


def cold_start(repeat: int) -> dict[str, list[float]]:
    compile_sources()
    kiosk: list[float] = []
    minimal: list[float] = []
    # One data folder for every round, as on the appliance: round 0 warms the page cache and
    # fills the data folder's public-holiday cache (a first start ever computes them); not counted.
    data = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        for round_ in range(repeat + 1):
            k, _ = cold_start_once(kiosk_argv(data), language_drawn)
            m, _ = cold_start_once(MINIMAL, lambda text: MARKER in text)
            if round_:
                kiosk.append(k)
                minimal.append(m)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return {"kiosk": kiosk, "minimal": minimal}


def kiosk_session(tickets: int) -> dict[str, object]:
    """One kiosk in a pty: RSS after start, then `tickets` visits (language 1, topic 1, Enter),
    timing each topic key to the ticket drawn; RSS after every 10 visits and at the end (a
    kiosk runs all day: memory must level off, not grow with the visitors)."""
    compile_sources()
    data = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    times: list[float] = []
    rss_by_visits: dict[int, int] = {}
    try:
        with PtyProcess(kiosk_argv(data), cwd=str(ROOT)) as proc:
            proc.wait_for(language_drawn, timeout=30)
            proc.drain(quiet=0.5)
            rss_start = proc.rss_kib()
            for visit in range(1, tickets + 1):
                proc.send("1")
                proc.wait_for(topics_drawn)
                proc.drain(quiet=0.3)
                start = proc.send("1")
                times.append(proc.wait_for(ticket_drawn) - start)
                proc.drain(quiet=0.3)
                proc.send("\r")  # "Fertig": back to the start
                proc.wait_for(lambda text: language_drawn(text) and "Fertig" not in text)
                proc.drain(quiet=0.3)
                if visit % 10 == 0 or visit == tickets:
                    rss_by_visits[visit] = proc.rss_kib()
            rss_after = proc.rss_kib()
            time.sleep(0.2)
        files = list(data.glob("tickets-*.json"))
        if not files:
            raise AssertionError("the kiosk wrote no day file")
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return {
        "rss_start_kib": rss_start,
        "rss_after_kib": rss_after,
        "rss_by_visits": rss_by_visits,
        "tap": times,
    }


def bare_switch_pty(repeat: int) -> list[float]:
    """The minimal app in a pty: key "1" to the bare screen drawn."""
    times: list[float] = []
    with PtyProcess(MINIMAL, cwd=str(ROOT)) as proc:
        proc.wait_for(lambda text: MARKER in text, timeout=30)
        proc.drain(quiet=0.3)
        for _ in range(repeat):
            start = proc.send("1")
            times.append(proc.wait_for(lambda text: BARE in text) - start)
            proc.drain(quiet=0.2)
            proc.send("2")
            proc.wait_for(lambda text: BARE not in text)
            proc.drain(quiet=0.2)
    return times
