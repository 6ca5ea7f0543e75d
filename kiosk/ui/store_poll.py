"""Store polling for screens: re-read only when the store's change stamp moves, off the UI thread.

A screen starts `poll_store(...)` from a thread worker. The loop asks `store.change_stamp()`
(an os.stat, cheap) every `interval` seconds and calls `read()` only when the stamp changed or
`Poke.wake(force=True)` asked for it; the result goes to `deliver` on the UI thread. Errors of
the core (`KioskError`) and of the disk (`OSError`) go to `on_error` once per distinct message,
so a full disk does not flood the screen with the same notification twice a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.worker import Worker

from kiosk.core.errors import KioskError

log = logging.getLogger("kiosk.ui.poll")

T = TypeVar("T")

POLL_SECONDS = 0.35


class Poke:
    """Lets the UI thread wake the poll loop at once (after an action), optionally forcing a read."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.force = False

    def wake(self, *, force: bool = True) -> None:
        self.force = self.force or force
        self._event.set()

    def sleep(self, seconds: float) -> None:
        self._event.wait(seconds)
        self._event.clear()


def poll_store(
    worker: Worker,
    app: App,
    store: Any,
    read: Callable[[], T],
    deliver: Callable[[T], None],
    on_error: Callable[[Exception], None],
    poke: Poke,
    interval: float = POLL_SECONDS,
) -> None:
    """Run until the worker is cancelled; meant to be the body of a thread worker."""
    last_stamp: object = object()  # never equal to a real stamp: the first round reads
    last_error = ""
    while not worker.is_cancelled:
        try:
            stamp = store.change_stamp()
            if stamp != last_stamp or poke.force:
                poke.force = False
                data = read()
                last_stamp = stamp
                if worker.is_cancelled:
                    return
                app.call_from_thread(deliver, data)
            last_error = ""
        except (KioskError, OSError) as error:
            if str(error) != last_error:
                last_error = str(error)
                log.warning("store poll: %s", error)
                if worker.is_cancelled:
                    return
                try:
                    app.call_from_thread(on_error, error)
                except RuntimeError:  # the app is closing
                    return
        except RuntimeError:  # call_from_thread on an app that is closing
            return
        poke.sleep(interval)
