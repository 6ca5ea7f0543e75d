"""Language dialog: call the next visitor who speaks a chosen language."""

from __future__ import annotations

from collections import Counter

from kiosk.core.config import Config
from kiosk.core.tickets import Ticket
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.texts import language_name, t


class LanguageDialog(ChoiceDialog):
    """Lists the visitor languages with how many wait for this desk; dismisses with a code."""

    def __init__(self, config: Config, lang: str, waiting: list[Ticket]) -> None:
        counts = Counter(ticket.lang for ticket in waiting)
        codes = list(config.site.languages)
        codes += sorted(code for code in counts if code not in codes)
        choices = [
            (code, f"{language_name(config, code)}  ({counts.get(code, 0)})") for code in codes
        ]
        super().__init__(t(config, lang, "language_title"), choices, t(config, lang, "dialog_hint"))
