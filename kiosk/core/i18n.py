"""Strings with fallback: the keys every language file must have, and lookup with formatting."""

from __future__ import annotations

from collections.abc import Mapping

# The keys live with the language-file reader that checks them; re-exported here for callers.
from kiosk.core.config import STAFF_KEYS, VISITOR_KEYS, Config, Language
from kiosk.core.config.strings import PLURAL_KEYS
from kiosk.core.plurals import category

__all__ = [
    "FALLBACK_ORDER",
    "STAFF_KEYS",
    "VISITOR_KEYS",
    "localized",
    "text",
    "topic_description",
    "topic_label",
]

FALLBACK_ORDER = ("en", "de")


def text(config: Config, lang: str, section: str, key: str, **values: object) -> str:
    """The string `section.key` in `lang`, falling back to en, then de, then the key itself."""
    for code in (lang, *FALLBACK_ORDER):
        language = config.languages.get(code)
        if language is None:
            continue
        table = language.visitor if section == "visitor" else language.staff
        if key in table:
            template = table[key]
            forms = language.plurals.get(key) if section == "visitor" else None
            count = values.get(PLURAL_KEYS.get(key, ""))
            if forms and isinstance(count, int):
                template = forms.get(category(code, count), template)
            try:
                return template.format(**values) if values else template
            except (KeyError, IndexError, ValueError):
                return template
    return key


def topic_label(config: Config, lang: str, topic_id: str) -> str:
    for code in (lang, *FALLBACK_ORDER):
        language: Language | None = config.languages.get(code)
        if language and topic_id in language.topics:
            return language.topics[topic_id].label
    return topic_id


def topic_description(config: Config, lang: str, topic_id: str) -> str:
    for code in (lang, *FALLBACK_ORDER):
        language = config.languages.get(code)
        if language and topic_id in language.topics:
            return language.topics[topic_id].description
    return ""


def localized(labels: Mapping[str, str], lang: str) -> str:
    """Pick from a per-language dict (urgent contacts, floor) with the usual fallback."""
    for code in (lang, *FALLBACK_ORDER):
        if code in labels:
            return labels[code]
    return next(iter(labels.values()), "")
