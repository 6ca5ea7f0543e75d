"""Language dialog: call the next visitor who speaks a chosen language."""

from __future__ import annotations

from collections import Counter

from kiosk.core.config import Config
from kiosk.core.tickets import Ticket
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.texts import language_name, t


class LanguageDialog(ChoiceDialog):
    """Lists the languages somebody waits in for this desk, with how many; dismisses with a
    code. Languages nobody waits in are left out: choosing one could only say "nobody"."""

    def __init__(self, config: Config, lang: str, waiting: list[Ticket]) -> None:
        counts = Counter(ticket.lang for ticket in waiting)
        order = list(config.site.languages)
        codes = [code for code in order if counts.get(code)]
        codes += sorted(code for code in counts if code not in order)
        choices = [
            (code, f"{language_name(config, code, lang)}  ({counts[code]})") for code in codes
        ]
        super().__init__(t(config, lang, "language_title"), choices, t(config, lang, "dialog_hint"))
