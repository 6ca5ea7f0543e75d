"""Staff status line: keyed warnings share one row and never push the queue off the screen."""

from __future__ import annotations

from kiosk.ui.staff.status_line import StatusLine
from tests.staff_support import make_store, queue_ready, screen_lines, staff_app


def row_of(lines: list[str], number: str) -> int:
    """The screen row of the ticket's table row (the header names the longest wait too)."""
    return next(i for i, line in enumerate(lines) if line.lstrip().startswith(number))


async def test_warnings_share_one_row_and_each_is_cleared_by_its_own_key(tmp_path):
    store = make_store(tmp_path)
    numbers = [store.issue("kim", "de").ticket.number for _ in range(3)]
    app = staff_app(store, "raum1")
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_ready(pilot)
        before = screen_lines(app)
        first_row = row_of(before, numbers[0])
        assert not app.screen.query_one(StatusLine).display  # nothing to say: no row used
        long = "x" * 60
        app.set_warning("printer", "Drucker antwortet nicht " + long)
        app.set_warning("store", "Tagesdatei beschädigt " + long)
        app.set_warning("clock", "Uhr geht nach " + long)
        await pilot.pause()
        lines = screen_lines(app)
        warning_rows = [i for i, line in enumerate(lines) if "⚠" in line]
        assert len(warning_rows) == 1  # one row, however many and however long
        assert "Drucker antwortet nicht" in lines[warning_rows[0]]
        assert lines[warning_rows[0]].rstrip().endswith("…")  # cut, not wrapped
        # the queue moved down by that one row at most, and its head is still on screen
        assert row_of(lines, numbers[0]) == first_row + 1
        assert all(number in "\n".join(lines) for number in numbers)

        app.set_warning("printer", None)
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Drucker" not in text and "Tagesdatei beschädigt" in text
        app.set_warning("store", None)
        app.set_warning("clock", "")
        await pilot.pause()
        assert not app.screen.query_one(StatusLine).display
        assert row_of(screen_lines(app), numbers[0]) == first_row
