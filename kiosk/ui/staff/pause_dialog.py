"""Pause dialog: stop or restart issuing a topic for the rest of today."""

from __future__ import annotations

from collections.abc import Collection

from kiosk.core.config import Config
from kiosk.core.i18n import topic_label
from kiosk.ui.staff.choice_dialog import ChoiceDialog
from kiosk.ui.staff.texts import t


class PauseDialog(ChoiceDialog):
    """Dismisses with the topic id to toggle (paused topics resume, others pause), or None."""

    def __init__(self, config: Config, lang: str, paused: Collection[str]) -> None:
        choices = []
        for topic in config.topics:
            mark = t(config, lang, "paused_mark") if topic.id in paused else ""
            label = f"{topic.letter}  {topic_label(config, lang, topic.id)}"
            choices.append((topic.id, f"{label}  {mark}".rstrip()))
        super().__init__(t(config, lang, "pause_title"), choices, t(config, lang, "dialog_hint"))
