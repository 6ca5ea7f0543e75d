"""Transfer dialog: pick the topic a ticket moves to (it keeps its number and place)."""

from __future__ import annotations

from kiosk.core.config import Config
from kiosk.core.i18n import topic_label
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.texts import t


class TransferDialog(ChoiceDialog):
    """Dismisses with the target topic id, or None."""

    def __init__(self, config: Config, lang: str, number: str, current_topic: str) -> None:
        choices = [
            (topic.id, f"{topic.letter}  {topic_label(config, lang, topic.id)}")
            for topic in config.topics
            if topic.id != current_topic
        ]
        super().__init__(
            t(config, lang, "transfer_title", number=number),
            choices,
            t(config, lang, "dialog_hint"),
        )
