"""The visitor kiosk's printer: one print queue while site.toml has a [printer], each ticket
printed at most once.

Printing runs in kiosk.core.printer's own thread: asking for a print returns at once, the
ticket screen shows "printing" and later the outcome, which comes back to the UI thread with
call_from_thread. A ticket already asked for is never sent again (a second tap on Print, a
screen composed twice), so paper never comes out twice for one number.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.core.printer import PrintJob, PrintService

# kiosk.core.printer and kiosk.core.paper_ticket are imported on the first print, not with the
# app: a kiosk without a printer never loads them, and none of them delays the first frame.

REMEMBERED = 200
"""Tickets remembered as asked for (a day's worth at a busy service point)."""


class VisitorPrinting:
    """Owns the PrintService of a VisitorApp; rebuilt when the [printer] settings change."""

    def __init__(self, app) -> None:
        self.app = app
        self._service: PrintService | None = None
        self._jobs: OrderedDict[tuple[object, str], PrintJob] = OrderedDict()
        self.sender: Callable | None = None
        """Sends one job's bytes; None: kiosk.core.printer.send (tests put a slow or failing
        printer here)."""

    @property
    def mode(self) -> str | None:
        """ "button", "every", or None without a printer."""
        printer = self.app.config.site.printer
        return printer.mode if printer is not None else None

    def _service_now(self) -> PrintService | None:
        printer = self.app.config.site.printer
        if self._service is not None and self._service.printer != printer:
            self._service.close(timeout=0)  # new settings: the old queue ends after its job
            self._service = None
        if printer is None:
            return None
        if self._service is None:
            from kiosk.core.printer import PrintService, send

            data_dir = getattr(self.app.store, "data_dir", None)
            self._service = PrintService(
                printer, data_dir=data_dir, sender=self.sender or send, now=self.app.now
            )
        return self._service

    def job_for(self, issued) -> PrintJob | None:
        """The print job already asked for this ticket, if any."""
        ticket = issued.ticket
        return self._jobs.get((ticket.day, ticket.number))

    def request(
        self, issued, lang: str, on_done: Callable[[PrintJob, str | None], None]
    ) -> PrintJob | None:
        """Print `issued` once; `on_done(job, problem)` runs on the UI thread afterwards.

        Returns the job (the earlier one if this ticket was asked for before; on_done is then
        not called again) or None without a printer.
        """
        earlier = self.job_for(issued)
        if earlier is not None:
            return earlier
        service = self._service_now()
        if service is None:
            return None
        app = self.app
        ticket = issued.ticket
        config, hours = app.config, app.hours

        def texts():
            from kiosk.core.paper_ticket import paper_ticket

            return paper_ticket(config, hours, issued, lang, ticket.issued_at)

        def finished(job: PrintJob, problem: str | None) -> None:
            with contextlib.suppress(RuntimeError):  # the app is closing: nobody to tell
                app.call_from_thread(on_done, job, problem)

        job = service.submit(ticket.number, texts, finished)
        self._jobs[(ticket.day, ticket.number)] = job
        while len(self._jobs) > REMEMBERED:
            self._jobs.popitem(last=False)
        return job

    def visitor_left(self, issued) -> None:
        """The ticket's screen is gone: its print, if still waiting for the printer, is dropped."""
        job = self.job_for(issued)
        if job is not None and self._service is not None and not job.finished.is_set():
            self._service.cancel(job)

    def close(self) -> None:
        if self._service is not None:
            self._service.close(timeout=0)
            self._service = None
