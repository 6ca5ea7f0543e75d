"""What the public display says for a call: "A-007, Raum 1" in German, then (if the site
allows it) the same call in the visitor's language. The display shows exactly these lines."""

from __future__ import annotations

from kiosk.audio.speech import Utterance
from kiosk.core.config import Config
from kiosk.core.i18n import text

CALL_LANGUAGE = "de"
"""The language every call is made in first (the site's first language if it lacks German)."""


def call_utterances(
    config: Config, number: str, desk: str, visitor_lang: str | None
) -> list[Utterance]:
    """The spoken call; empty when the site does not call aloud."""
    settings = config.site.accessibility
    if not settings.call_aloud:
        return []
    first = CALL_LANGUAGE if CALL_LANGUAGE in config.languages else config.site.languages[0]
    said = [
        Utterance(first, text(config, first, "visitor", "call_aloud", number=number, desk=desk))
    ]
    if (
        settings.call_in_visitor_language
        and visitor_lang
        and visitor_lang != first
        and visitor_lang in config.languages
    ):
        second = text(config, visitor_lang, "visitor", "call_aloud", number=number, desk=desk)
        said.append(Utterance(visitor_lang, second))
    return said
