"""Transfer dialog: pick the topic a ticket moves to (it keeps its number and place)."""

from __future__ import annotations

from collections.abc import Collection

from kiosk.core.config import Config
from kiosk.core.i18n import topic_label
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.texts import t


class TransferDialog(ChoiceDialog):
    """Dismisses with the target topic id, or None. Topics in `not_today` (they issue no more
    numbers today) carry a mark: a ticket moved there would only wait and expire."""

    def __init__(
        self,
        config: Config,
        lang: str,
        number: str,
        current_topic: str,
        not_today: Collection[str] = (),
    ) -> None:
        mark = t(config, lang, "transfer_not_today")
        choices = [
            (
                topic.id,
                f"{topic.letter}  {topic_label(config, lang, topic.id)}"
                + (f"  {mark}" if topic.id in not_today else ""),
            )
            for topic in config.topics
            if topic.id != current_topic
        ]
        super().__init__(
            t(config, lang, "transfer_title", number=number),
            choices,
            t(config, lang, "dialog_hint"),
        )
