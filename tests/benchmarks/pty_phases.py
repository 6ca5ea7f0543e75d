"""Where tap-to-ticket goes in a pseudo-terminal: the kiosk's own clock beside the terminal's.

    python -m tests.benchmarks.pty_phases          # 20 taps, 100x30, medians per phase
    python -m tests.benchmarks.pty_phases 40

The kiosk runs in a pty as in tests/benchmarks/terminal.py, but started through this module,
which wraps a few functions with timers writing CLOCK_MONOTONIC stamps to a file (the same
clock the harness stamps its reads with, shared by both processes). Per tap, from the topic key
written to the pty:

    key read             the app dispatches the key
    issued               Store.issue returned (worker thread)
    to the UI            the worker's result reaches the UI thread (TicketScreen.deliver)
    screen built         ... until the layout of the ticket frame starts (push, compose, mount,
                         styles)
    layout               ... until the compositor starts rendering
    render               Compositor.render_update of the ticket's first frame
    to escape codes      App._display (segments to the bytes of the frame)
    to the output thread ... until Textual's output thread starts writing the frame (it waits for
                         the GIL while the UI thread goes on to the next frame)
    read by harness      ... until the harness read the chunk that completed the screen (the
                         write, the pty, the harness's reader thread)
    total                the key written to the ticket drawn (as terminal.kiosk_session measures)

A phase whose function does not exist (any more) is left out. The timers cost a few
microseconds a call; the totals come out as in terminal.kiosk_session.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

LOG_ENV = "KIOSK_BENCH_PHASE_LOG"


# -- in the kiosk process


def _instrument(log_path: str) -> None:
    """Wrap the functions whose start and end mark the phases; stamps go to `log_path`."""
    import functools

    from textual import events
    from textual._compositor import Compositor
    from textual.app import App
    from textual.drivers import _writer_thread
    from textual.message_pump import MessagePump
    from textual.screen import Screen

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life
    lock = threading.Lock()

    def note(event: str) -> None:
        with lock:
            log.write(f"{time.monotonic():.6f} {event}\n")

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            note(f"{label}-start")
            try:
                return original(*args, **kwargs)
            finally:
                note(f"{label}-end")

        setattr(owner, name, wrapper)

    display = App._display

    def timed_display(self, screen, renderable) -> None:
        if renderable is None:
            return display(self, screen, renderable)
        note(f"display-start {type(screen).__name__}")
        try:
            return display(self, screen, renderable)
        finally:
            note("display-end")

    App._display = timed_display  # type: ignore[method-assign]

    dispatch = MessagePump._dispatch_message

    async def timed_dispatch(self, message):
        if isinstance(message, events.Key) and self is self.app:
            note("key")
        return await dispatch(self, message)

    MessagePump._dispatch_message = timed_dispatch  # type: ignore[method-assign]

    def writer_run(self) -> None:  # WriterThread.run, noting when each write starts
        write, flush = self._file.write, self._file.flush
        while True:
            text = self._queue.get()
            if text is None:
                break
            note("write")
            write(text)
            if self._queue.qsize() == 0:
                flush()
        flush()

    _writer_thread.WriterThread.run = writer_run  # type: ignore[method-assign]

    from kiosk.core.store import Store

    timed(Store, "issue", "issue")
    timed(Compositor, "render_update", "render")
    timed(Screen, "_refresh_layout", "layout")
    try:
        from kiosk.ui.visitor.ticket import TicketScreen
    except ImportError:
        pass
    else:
        timed(TicketScreen, "deliver", "deliver")


def _run_kiosk(argv: list[str]) -> None:
    _instrument(os.environ[LOG_ENV])
    from kiosk.cli import entry

    sys.argv = ["kiosk", *argv]
    entry()


# -- in the harness


def _first(events: list[tuple[float, str]], name: str, after: float) -> float | None:
    return next((t for t, e in events if e == name and t >= after), None)


def phases_of(events: list[tuple[float, str]], sent: float, drawn: float) -> dict[str, float]:
    """The phases of one tap from its stamps (sorted, from the key written on)."""
    display = next((t for t, e in events if e == "display-start TicketScreen"), None)
    if display is None:
        return {}
    display_end = _first(events, "display-end", display)
    render = max((t for t, e in events if e == "render-start" and t <= display), default=None)
    layout = None
    if render is not None:
        layout = max((t for t, e in events if e == "layout-start" and t <= render), default=None)
    marks = [
        ("key read", _first(events, "key", sent)),
        ("issued", _first(events, "issue-end", sent)),
        ("to the UI", _first(events, "deliver-start", sent)),
        ("screen built", layout),
        ("layout", render),
        ("render", display),
        ("to escape codes", display_end),
        ("to the output thread", _first(events, "write", display)),
        ("read by harness", drawn),
    ]
    result: dict[str, float] = {}
    previous = sent
    for name, at in marks:
        if at is None or at < previous:
            continue
        result[name] = at - previous
        previous = at
    result["total"] = drawn - sent
    return result


def run(taps: int = 20) -> dict[str, list[float]]:
    from tests.benchmarks import terminal
    from tests.benchmarks.common import compile_sources
    from tests.benchmarks.pty_harness import PtyProcess

    compile_sources()
    work = Path(tempfile.mkdtemp(prefix="bench-phases-"))
    log_path = work / "stamps.log"
    log_path.touch()
    argv = terminal.kiosk_argv(work / "data")
    argv[1:3] = ["-m", "tests.benchmarks.pty_phases", "--kiosk"]  # instead of "-m kiosk"
    phases: dict[str, list[float]] = {}
    try:
        with PtyProcess(argv, env={LOG_ENV: str(log_path)}, cwd=str(terminal.ROOT)) as proc:
            proc.wait_for(terminal.language_drawn, timeout=30)
            proc.drain(quiet=0.5)
            for _ in range(taps):
                proc.send("1")
                proc.wait_for(terminal.topics_drawn)
                proc.drain(quiet=0.3)
                seen = log_path.stat().st_size
                sent = proc.send("1")
                drawn = proc.wait_for(terminal.ticket_drawn)
                proc.drain(quiet=0.3)
                with log_path.open() as stamps:
                    stamps.seek(seen)
                    events = sorted(
                        (float(t), e.strip()) for t, e in (ln.split(" ", 1) for ln in stamps)
                    )
                for name, value in phases_of(events, sent, drawn).items():
                    phases.setdefault(name, []).append(value)
                proc.send("\r")
                proc.wait_for(lambda text: terminal.language_drawn(text) and "Fertig" not in text)
                proc.drain(quiet=0.3)
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return phases


def main(argv: list[str]) -> int:
    if argv[:1] == ["--kiosk"]:
        _run_kiosk(argv[1:])
        return 0
    taps = int(argv[0]) if argv else 20
    phases = run(taps)
    width = max(len(name) for name in phases)
    for name, values in phases.items():
        print(
            f"{name:<{width}}  median {statistics.median(values) * 1000:6.1f} ms"
            f"  max {max(values) * 1000:6.1f} ms  ({len(values)} taps)"
        )
    print(f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
