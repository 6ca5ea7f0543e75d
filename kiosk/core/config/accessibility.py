"""site.toml [accessibility]: speech mode, spoken calls, the more-time prompt, large text."""

from __future__ import annotations

from kiosk.core.config.checker import Table
from kiosk.core.config.models import Accessibility


def read_accessibility(table: Table | None) -> Accessibility | None:
    """The section's settings (every one has a default); None when one of them is wrong."""
    if table is None:
        return Accessibility()
    speech = table.boolean("speech", default=Accessibility.speech)
    player = table.text(
        "audio_player", required=False, default=Accessibility.audio_player, allow_empty=True
    )
    if player and not player.split():
        player = ""
    aloud = table.boolean("call_aloud", default=Accessibility.call_aloud)
    second = table.boolean(
        "call_in_visitor_language", default=Accessibility.call_in_visitor_language
    )
    more_time = table.integer(
        "more_time_seconds", default=Accessibility.more_time_seconds, minimum=5, unit="seconds"
    )
    width = table.integer(
        "screen_width_mm", default=Accessibility.screen_width_mm, minimum=0, unit="millimetres"
    )
    table.done()
    values = (speech, player, aloud, second, more_time, width)
    if any(value is None for value in values):
        return None
    return Accessibility(*values)  # type: ignore[arg-type]
