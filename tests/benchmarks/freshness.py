"""Staff freshness: a ticket issued by another process until the staff app shows its number.

The staff app (`kiosk staff --desk raum1`) runs in a 100x30 pty. A second, long-lived process
(multiprocessing, spawn) holds a Store on the same folder and issues a ticket when told; it
reports the moment store.issue() returned (the ticket is durable). The staff screen is read
through pyte until the number appears. CLOCK_MONOTONIC is system-wide on Linux, so the two
processes' times compare. Random pauses between tickets spread the issue moments over the
staff app's polling phase.
"""

from __future__ import annotations

import multiprocessing
import random
import shutil
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import CONFIG_DIR, NOW, PYTHON, ROOT
from tests.benchmarks.pty_harness import PtyProcess


def _issuer(data: str, commands, replies) -> None:
    from kiosk.core.clock import Clock
    from kiosk.core.config import load_config
    from kiosk.core.store import Store

    config = load_config(CONFIG_DIR)
    store = Store(Path(data), config, Clock.starting_at(NOW, config.site.timezone))
    store.snapshot()
    replies.put(None)
    while commands.get() is not None:
        before = time.monotonic()
        number = store.issue("kim", "de").ticket.number
        replies.put((number, before, time.monotonic()))


def run(repeat: int) -> dict[str, list[float]]:
    data = Path(tempfile.mkdtemp(prefix="bench-staff-"))
    ctx = multiprocessing.get_context("spawn")
    commands, replies = ctx.Queue(), ctx.Queue()
    issuer = ctx.Process(target=_issuer, args=(str(data), commands, replies))
    issuer.start()
    after_issue: list[float] = []
    from_call: list[float] = []
    rng = random.Random(9)
    try:
        replies.get(timeout=60)
        argv = [PYTHON, "-m", "kiosk", "staff", "--desk", "raum1", "--data", str(data)]
        argv += ["--now", NOW, "--no-watch"]
        with PtyProcess(argv, cwd=str(ROOT)) as staff:
            staff.wait_for(lambda text: "Raum 1" in text, timeout=30)
            staff.drain(quiet=0.5)
            for _ in range(repeat):
                time.sleep(rng.uniform(0.0, 0.5))
                commands.put("issue")
                number, before, after = replies.get(timeout=30)
                seen = staff.wait_for(lambda text, n=number: n in text, timeout=10)
                after_issue.append(seen - after)
                from_call.append(seen - before)
                staff.drain(quiet=0.1)
    finally:
        commands.put(None)
        issuer.join(timeout=10)
        if issuer.is_alive():
            issuer.kill()
        shutil.rmtree(data, ignore_errors=True)
    return {"after_issue": after_issue, "from_call": from_call}


if __name__ == "__main__":
    print(run(5))
