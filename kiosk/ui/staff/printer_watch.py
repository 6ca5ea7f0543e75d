"""Printer warning for staff: the kiosk's last print outcome (data/printer.json) on the status line.

The kiosk prints in another process; after each job it replaces data/printer.json (see
kiosk.core.printer). A thread worker here looks at the file's stat every POLL_SECONDS, reads it
only when it changed, and sets the status line's "printer" warning while the last print failed;
a successful print clears it. Without a [printer] in the config nothing is shown (a file left
from an earlier set-up says nothing about today).
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual.worker import get_current_worker

from kiosk.core.printer import STATUS_FILE, read_state

POLL_SECONDS = 1.0
WARNING_KEY = "printer"


def watch_printer(app, data_dir: Path) -> None:
    """Start the watcher as a thread worker of `app` (a StaffApp)."""
    app.run_worker(
        lambda: _watch(app, Path(data_dir)),
        thread=True,
        exclusive=True,
        group="printer-watch",
        exit_on_error=False,
    )


def warning_text(app, data_dir: Path) -> str | None:
    """The staff warning for the last print, or None (printed fine, no printer, no print yet)."""
    if app.config.site.printer is None:
        return None
    state = read_state(data_dir)
    if state is None or state.ok:
        return None
    return app.t("printer_failed", problem=state.problem)


def _watch(app, data_dir: Path) -> None:
    worker = get_current_worker()
    pause = threading.Event()
    seen: object = None
    shown: object = object()  # never equal: the first round always tells the app
    while not worker.is_cancelled:
        try:
            stat = (data_dir / STATUS_FILE).stat()
            stamp: object = (stat.st_mtime_ns, stat.st_size, app.config.site.printer)
        except OSError:
            stamp = (None, app.config.site.printer)
        if stamp != seen:
            seen = stamp
            message = warning_text(app, data_dir)
            if message != shown:
                shown = message
                try:
                    app.call_from_thread(app.set_warning, WARNING_KEY, message)
                except RuntimeError:  # the app is closing
                    return
        pause.wait(POLL_SECONDS)
