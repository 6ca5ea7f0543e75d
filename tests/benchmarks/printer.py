"""Paper ticket costs: drawing and building the ESC/POS job per language, the job's size and
paper length, and how long `submit` holds the caller (the kiosk's UI thread) while the printer
is busy.

    python -m tests.benchmarks.printer          # from the repository root, about 10 s
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `tests.benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import CONFIG_DIR, median, ms  # noqa: E402

LANGS = ("de", "uk", "ar", "fa")
DPI = 203


def main() -> int:
    from kiosk.core.clock import Clock
    from kiosk.core.config import Printer, load_config
    from kiosk.core.paper_ticket import paper_ticket, render
    from kiosk.core.printer import PrintService, job_bytes
    from kiosk.core.store import Store

    config = load_config(CONFIG_DIR)
    clock = Clock.starting_at("2026-12-09T13:05", config.site.timezone)
    store = Store(Path(tempfile.mkdtemp()), config, clock)
    print("| language | paper | draw | ESC/POS job | job size | paper length |")
    print("|---|---|---|---|---|---|")
    for dots, width in ((576, 80), (384, 58)):
        for lang in LANGS:
            issued = store.issue("kim", lang)
            paper = paper_ticket(config, store.hours, issued, lang, clock.now())
            draws, jobs = [], []
            for _ in range(7):
                start = time.perf_counter()
                image = render(paper, dots)
                draws.append(time.perf_counter() - start)
                start = time.perf_counter()
                data = job_bytes(image, dots)
                jobs.append(time.perf_counter() - start)
            length = image.height / DPI * 25.4
            print(
                f"| {lang} | {width} mm | {ms(median(draws))} | {ms(median(jobs))} "
                f"| {len(data) / 1024:.0f} KiB | {length:.0f} mm |"
            )

    release = threading.Event()
    service = PrintService(
        Printer(kind="file", path="/dev/null"), sender=lambda *_: release.wait(30)
    )
    waits = []
    for _ in range(50):
        start = time.perf_counter()
        service.submit("A-001", paper)
        waits.append(time.perf_counter() - start)
    release.set()
    service.close()
    print(
        f"\nsubmit() while the printer hangs: median {median(waits) * 1e6:.0f} µs, "
        f"max {max(waits) * 1e6:.0f} µs over {len(waits)} jobs (the UI thread never waits)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
