"""Ticket table: the staff app's DataTable, where Home and End go to the first and last ticket."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class TicketTable(DataTable):
    """Row cursor only. DataTable's Home/End scroll sideways in row mode, which does nothing
    here; staff press Home to get back to the next waiting visitor at the top."""

    BINDINGS = [
        Binding("home", "scroll_top", "Top", show=False, id="staff.table_top"),
        Binding("end", "scroll_bottom", "Bottom", show=False, id="staff.table_bottom"),
    ]
