"""A small ticket layout (number, what-now text, QR code) run as its own process: the real-terminal
QR test (reliability/test_qr_terminal.py) and the browser QR test (browser/test_qr_browser.py) both
write it to a file and run it as `python ticket_app.py CONFIG_DIR LANG`."""

APP = """
import sys
from datetime import datetime
from pathlib import Path

from textual.app import App
from textual.containers import Horizontal, Vertical

from kiosk.core.config import load_config
from kiosk.core.hours import Hours
from kiosk.core.i18n import text
from kiosk.core.qr import take_away_notes
from kiosk.core.tickets import State, Ticket
from kiosk.ui.widgets.bidi_label import BidiLabel
from kiosk.ui.widgets.big_number import BigNumber
from kiosk.ui.widgets.qr_code import QrCode

config_dir, lang = sys.argv[1], sys.argv[2]
config = load_config(Path(config_dir))
now = datetime(2026, 11, 30, 13, 0, tzinfo=config.site.timezone)
ticket = Ticket(now.date(), "A", 1, "kim", "Sprechstunde", lang, State.WAITING, now)
notes = take_away_notes(config, Hours(config), ticket, lang, now)
rtl = config.languages[lang].rtl


class TicketApp(App):
    CSS = "#qr { width: 45; height: 1fr; } #left { width: 1fr; }"

    def compose(self):
        with Horizontal():
            with Vertical(id="left"):
                yield BigNumber(ticket.number)
                yield BidiLabel(text(config, lang, "visitor", "what_now"), rtl=rtl)
            yield QrCode(notes, text(config, lang, "visitor", "qr_too_small"), rtl=rtl, id="qr")


TicketApp().run()
"""
