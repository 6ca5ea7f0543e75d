"""Where the time goes, for the goals the table may miss.

    python -m tests.benchmarks.profile tap      # tap-to-ticket split into phases (medians)
    python -m tests.benchmarks.profile issue    # pyinstrument over 100 issues, 300 tickets today
    python -m tests.benchmarks.profile start    # pyinstrument over the kiosk's start (import to
                                                # first frame, headless)

`tap` wraps a few functions of the visitor app with timers (the pilot harness of tap.py) and
prints, per phase, the median over the tickets: from the key to the store call, the store call
(thread), the take-away notes and QR code (same thread), the hand-over to the UI thread, then
pushing the ticket screen composed with the ticket, its layout and the frame. `issue` and `start` need pyinstrument (pip install pyinstrument; a dev
tool, not a dependency of the kiosk).
"""

from __future__ import annotations

import asyncio
import functools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _wrap(owner, name: str, log: list, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            log.append((label, start, time.perf_counter()))

    setattr(owner, name, timed)


def profile_tap(repeat: int = 15) -> None:
    import qrcode.main
    from textual._compositor import Compositor

    import kiosk.ui.visitor.issuing as issuing_module
    import kiosk.ui.visitor.ticket as ticket_module
    from kiosk.core.store import Store
    from tests.benchmarks import tap

    log: list[tuple[str, float, float]] = []
    _wrap(Store, "issue", log, "issue")
    _wrap(issuing_module, "prepare_ticket", log, "prepare")
    _wrap(ticket_module.TicketScreen, "deliver", log, "deliver")
    _wrap(qrcode.main.QRCode, "make", log, "qr")
    _wrap(Compositor, "render_update", log, "render")
    phases: dict[str, list[float]] = {}
    starts: list[float] = []
    original_arm = tap.DrawWatch.arm

    def arm(self, predicate):
        if predicate.__name__ == "ticket_drawn":
            log.clear()
            starts.append(time.perf_counter())
        original_arm(self, predicate)

    original_wait = tap.DrawWatch.wait

    async def wait(self, timeout: float = 10.0):
        armed_for_ticket = self.predicate is not None and self.predicate.__name__ == "ticket_drawn"
        drawn = await original_wait(self, timeout)
        if armed_for_ticket:
            t0 = starts[-1]
            issue = next(e for e in log if e[0] == "issue")
            prepare = next(e for e in log if e[0] == "prepare")
            deliver = next(e for e in log if e[0] == "deliver")
            qr = sum(e[2] - e[1] for e in log if e[0] == "qr" and prepare[1] <= e[1] <= prepare[2])
            renders = [e for e in log if e[0] == "render" and e[2] <= drawn + 1e-6]
            last_render = renders[-1][2] - renders[-1][1] if renders else 0.0
            for name, value in (
                ("key to store call (worker started)", issue[1] - t0),
                ("store.issue (worker thread)", issue[2] - issue[1]),
                ("notes + QR code (same worker)", prepare[2] - issue[2]),
                ("  of it: QR encoding (qrcode make)", qr),
                ("result to the UI thread", deliver[1] - prepare[2]),
                ("ticket screen pushed, composed, laid out, drawn", drawn - deliver[1]),
                ("  of it: the final compositor render", last_render),
                ("total", drawn - t0),
            ):
                phases.setdefault(name, []).append(value)
        return drawn

    tap.DrawWatch.arm = arm
    tap.DrawWatch.wait = wait
    asyncio.run(tap.measure_visitor(repeat))
    width = max(len(name) for name in phases)
    for name, values in phases.items():
        print(f"{name:<{width}}  {statistics.median(values) * 1000:7.1f} ms")


def profile_issue(count: int = 100) -> None:
    from pyinstrument import Profiler

    from tests.benchmarks import store_cost

    root = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        folders = store_cost.build_templates(root)
        data = root / "work"
        shutil.copytree(folders["300+0"], data)
        store, clock = store_cost._store(data)
        store.snapshot()
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(count):
            store.issue("kim", "de")
            clock.advance(seconds=1)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def profile_start() -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    from kiosk.core.clock import Clock
    from kiosk.ui.visitor import make_visitor_app
    from tests.benchmarks.common import CONFIG_DIR, NOW, SIZE

    async def first_frame() -> None:
        data = Path(tempfile.mkdtemp(prefix="bench-profile-"))
        app = make_visitor_app(CONFIG_DIR, data, clock=Clock.starting_at(NOW, "Europe/Berlin"))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
        shutil.rmtree(data, ignore_errors=True)

    asyncio.run(first_frame())
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "tap"
    {"tap": profile_tap, "issue": profile_issue, "start": profile_start}[what]()
