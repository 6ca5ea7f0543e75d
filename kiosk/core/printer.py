"""Printer: ticket images as ESC/POS jobs (python-escpos), sent one at a time off the UI thread.

A job is built whole first (python-escpos's Dummy printer collects the bytes: initialise, the
raster image, cut), then sent in one piece over a connection opened for this job and closed
after it. So a printer that fails mid-job never keeps half a job for the next visitor: nothing
is retried or queued for later, a failed job is reported and forgotten. A job that could not
start within MAX_WAIT_SECONDS (the printer before it hung) is dropped as failed too, because by
then its visitor has gone and the paper would land in the next visitor's hands.

The last outcome is kept in data/printer.json, so the staff app (another process) shows a
printer warning until a print succeeds again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.paper_ticket import FontMissing, PaperTicket, render

if TYPE_CHECKING:
    from PIL import Image

    from kiosk.core.config import Printer

log = logging.getLogger("kiosk.printer")

TIMEOUT_SECONDS = 8.0
"""How long a connection or a write may take before the job counts as failed."""
STATUS_SECONDS = 1.0
"""How long to wait for the answer to a status query: printers that never answer cost this."""
MAX_WAIT_SECONDS = 20.0
"""A job not started this long after it was asked for is dropped (see the module docstring)."""
STATUS_FILE = "printer.json"
DEFAULT_PORT = 9100


class PrinterError(Exception):
    """The job did not print; the message is one line for the log and the staff warning."""


def _profile(dots: int):
    """python-escpos's generic profile, told the paper's width in dots (unknown there, and
    python-escpos then prints a notice on standard output, which a kiosk screen must not get)."""
    from escpos.capabilities import Profile, get_profile

    generic = get_profile("default").profile_data
    profile = Profile(features=dict(generic["features"]))
    profile.profile_data = {**generic, "media": {"width": {"pixels": dots, "mm": "Unknown"}}}
    return profile


def job_bytes(image: Image.Image, dots: int) -> bytes:
    """One whole ESC/POS job: initialise, the image as GS v 0 raster blocks, feed and cut."""
    from escpos.printer import Dummy

    printer = Dummy(profile=_profile(dots))
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster")
    printer.cut(mode="PART")  # partial where the cutter can: the ticket does not drop
    return printer.output


def _connection(printer: Printer, timeout: float):
    """An unopened python-escpos printer for the configured connection."""
    from escpos import printer as escpos_printer

    if printer.kind == "usb":
        vendor, product = (
            int(part.lower().removeprefix("0x"), 16) for part in printer.address.split(":")
        )
        return escpos_printer.Usb(
            vendor, product, timeout=int(timeout * 1000), profile=_profile(printer.dots)
        )
    if printer.kind == "serial":
        return escpos_printer.Serial(
            printer.address,
            baudrate=printer.baudrate,
            timeout=timeout,
            profile=_profile(printer.dots),
        )
    if printer.kind == "network":
        host, _, port = printer.address.partition(":")
        return escpos_printer.Network(
            host.strip("[]"),
            port=int(port or DEFAULT_PORT),
            timeout=timeout,
            profile=_profile(printer.dots),
        )
    raise PrinterError(f'printer kind "{printer.kind}" has no connection')


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _status_timeout(device, seconds: float) -> None:
    """Set how long a status read waits (network socket, serial port; USB reads wait 1 s)."""
    connection = getattr(device, "_device", None)
    if hasattr(connection, "settimeout"):
        connection.settimeout(seconds)
    elif hasattr(connection, "timeout"):
        connection.timeout = seconds


DLE_EOT_ONLINE = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"


def _status_byte(device, query: bytes) -> int | None:
    """The printer's answer to a DLE EOT query, or None when there is no well-formed one.

    A real answer is one byte with bits 1 and 4 set and bits 0 and 7 clear (ESC/POS); anything
    else (silence, bytes from something that is not a printer) says nothing about the printer.
    """
    answer = device.query_status(query)
    if len(answer) != 1 or answer[0] & 0x93 != 0x12:
        return None
    return answer[0]


def query_status(device, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """Why the printer cannot print now ("out of paper", "offline"), or None (ready or unknown).

    Printers that do not answer status queries count as ready: the job itself then tells.
    """
    try:
        _status_timeout(device, STATUS_SECONDS)
        paper = _status_byte(device, DLE_EOT_PAPER)
        if paper is not None and paper & 0x60 == 0x60:  # paper-end sensor
            return "out of paper"
        online = _status_byte(device, DLE_EOT_ONLINE)
        if online is not None and online & 0x08:
            return "offline (cover open, paper out or an error)"
    except Exception as error:  # no answer, timeout, not supported: the print tries anyway
        log.debug("printer status unknown: %r", error)
    finally:
        with contextlib.suppress(Exception):
            _status_timeout(device, timeout)
    return None


def send(printer: Printer, data: bytes, timeout: float = TIMEOUT_SECONDS) -> None:
    """Send one whole job; PrinterError says in one line why it did not go out."""
    if printer.kind == "file":
        try:
            # One write of the whole job: the file only ever holds whole jobs.
            with open(printer.path, "ab") as out:
                out.write(data)
                out.flush()
        except OSError as error:
            raise PrinterError(f"{printer.path}: {_one_line(error)}") from None
        return
    device = _connection(printer, timeout)
    try:
        device.open()
        problem = query_status(device, timeout)
        if problem:
            raise PrinterError(problem)
        device._raw(data)
    except PrinterError:
        raise
    except Exception as error:  # DeviceNotFoundError, USBError, OSError, socket.timeout, ...
        raise PrinterError(f"{printer.kind} {printer.address}: {_one_line(error)}") from None
    finally:
        with contextlib.suppress(Exception):  # closing a connection that failed may fail too
            device.close()


def printer_status(printer: Printer, timeout: float = TIMEOUT_SECONDS) -> str:
    """A one-line report of the printer's state for `kiosk print-test` (it opens and closes)."""
    if printer.kind == "file":
        folder = Path(printer.path).parent
        if not folder.is_dir():
            return f"not ready: folder {folder} does not exist"
        return f"ready: jobs are appended to {printer.path} (a file reports no paper status)"
    device = _connection(printer, timeout)
    try:
        device.open()
        _status_timeout(device, STATUS_SECONDS)
        try:
            paper = _status_byte(device, DLE_EOT_PAPER)
            online = _status_byte(device, DLE_EOT_ONLINE)
        except Exception as error:
            return f"connected; status not reported ({_one_line(error)})"
        if paper is None or online is None:
            return "connected; the printer does not report its status"
        if paper & 0x60 == 0x60:
            return "connected; out of paper"
        state = "offline (cover open or an error)" if online & 0x08 else "online"
        return f"connected; {state}; paper {'low' if paper & 0x0C == 0x0C else 'ok'}"
    except Exception as error:
        return f"not reachable: {_one_line(error)}"
    finally:
        with contextlib.suppress(Exception):  # closing a connection that failed may fail too
            device.close()


def print_ticket(printer: Printer, paper: PaperTicket, sender: Callable = send) -> None:
    """Draw, build and send one ticket (blocking: call it from a worker thread)."""
    try:
        data = job_bytes(render(paper, printer.dots), printer.dots)
    except FontMissing as error:
        raise PrinterError(str(error)) from None
    sender(printer, data)


# ---- what the staff see -----------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterState:
    """The last print's outcome as kept in data/printer.json."""

    ok: bool
    problem: str = ""
    at: str = ""
    """When, ISO local time."""


def write_state(data_dir: Path, state: PrinterState) -> None:
    """Replace data/printer.json atomically (never a torn file for the staff app to read)."""
    data_dir = Path(data_dir)
    text = json.dumps({"ok": state.ok, "problem": state.problem, "at": state.at})
    fd, temp = tempfile.mkstemp(prefix=".printer-", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, 0o640)
        os.replace(temp, data_dir / STATUS_FILE)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_state(data_dir: Path) -> PrinterState | None:
    """The last outcome, or None when nothing was printed yet or the file is unreadable."""
    try:
        data = json.loads((Path(data_dir) / STATUS_FILE).read_text(encoding="utf-8"))
        return PrinterState(bool(data["ok"]), str(data.get("problem", "")), str(data.get("at", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---- the queue --------------------------------------------------------------------------------

Done = Callable[["PrintJob", "str | None"], None]
"""Called from the print thread when a job ended: (job, None) printed, (job, problem) failed."""


@dataclass
class PrintJob:
    number: str
    paper: PaperTicket | Callable[[], PaperTicket]
    """The ticket's texts, or a function making them (then it runs in the print thread)."""
    asked_at: float
    on_done: Done | None = None
    problem: str | None = None
    finished: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    """Set when its visitor has gone before it started: it is dropped, not printed."""


class PrintService:
    """One daemon thread printing jobs in the order asked; `submit` never waits.

    Args:
        printer: the [printer] settings.
        data_dir: where printer.json goes (None: not kept, e.g. in tests).
        sender: sends one job's bytes (tests pass a slow or failing one).
        now: the site's local time, for printer.json.
    """

    def __init__(
        self,
        printer: Printer,
        data_dir: Path | None = None,
        sender: Callable[[Printer, bytes], None] = send,
        now: Callable[[], datetime] | None = None,
        max_wait: float = MAX_WAIT_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.printer = printer
        self.data_dir = data_dir
        self.sender = sender
        self.now = now or datetime.now
        self.max_wait = max_wait
        self.monotonic = monotonic
        self.problem: str | None = None
        """The last job's problem; None once a job printed (or before the first)."""
        self.printed = 0
        self.failed = 0
        self._jobs: queue.Queue[PrintJob | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="kiosk-printer", daemon=True)
        self._thread.start()

    def submit(
        self,
        number: str,
        paper: PaperTicket | Callable[[], PaperTicket],
        on_done: Done | None = None,
    ) -> PrintJob:
        """Queue one ticket for printing and return at once."""
        job = PrintJob(number, paper, self.monotonic(), on_done)
        self._jobs.put(job)
        return job

    def cancel(self, job: PrintJob) -> None:
        """Drop `job` if it has not started (its visitor has gone; the paper would land in the
        next visitor's hands). A job already printing finishes."""
        job.cancelled = True

    def close(self, timeout: float = 1.0) -> None:
        """Stop after the job in hand; jobs not started are dropped (their visitors are gone)."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.problem = "not printed: the kiosk is stopping"
                job.finished.set()
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            self._print(job)

    def _print(self, job: PrintJob) -> None:
        if job.cancelled:  # says nothing about the printer: no warning, no state change
            job.problem = "not printed: its visitor had left before the printer was free"
            log.info("ticket %s %s", job.number, job.problem)
            self._finish(job)
            return
        waited = self.monotonic() - job.asked_at
        try:
            if waited > self.max_wait:
                raise PrinterError(f"not printed: waited {waited:.0f} s for the printer")
            paper = job.paper() if callable(job.paper) else job.paper
            print_ticket(self.printer, paper, self.sender)
        except Exception as error:  # any failure: the ticket stays issued, only paper is lost
            job.problem = _one_line(error)
            self.failed += 1
            log.warning("ticket %s not printed: %s", job.number, job.problem)
        else:
            self.printed += 1
            log.info("ticket %s printed", job.number)
        self.problem = job.problem
        self._keep_state(job)
        self._finish(job)

    def _finish(self, job: PrintJob) -> None:
        job.finished.set()
        if job.on_done is not None:
            try:
                job.on_done(job, job.problem)
            except Exception:  # the screen may be gone; printing goes on
                log.exception("after printing %s", job.number)

    def _keep_state(self, job: PrintJob) -> None:
        if self.data_dir is None:
            return
        state = PrinterState(
            job.problem is None, job.problem or "", self.now().isoformat(timespec="seconds")
        )
        try:
            write_state(self.data_dir, state)
        except OSError as error:
            log.warning("printer state not kept in %s: %s", self.data_dir, error)
