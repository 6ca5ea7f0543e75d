"""Plural categories of whole numbers by each language's CLDR rules (people, minutes).

A small table instead of Babel at run time: importing Babel and loading its locale data would
show in the kiosk's cold start, and a ticket machine counts only whole numbers. The rules are
CLDR's (the `rules` strings below are copied from Babel 2.19's CLDR data, integer part only:
i = n, v = 0); tests/unit/test_plurals.py checks every number from 0 to 10000 against Babel.
A language not in the table gets CLDR's default: only "other".
"""

from __future__ import annotations

from collections.abc import Callable

ZERO, ONE, TWO, FEW, MANY, OTHER = "zero", "one", "two", "few", "many", "other"


def _one_other(n: int) -> str:
    # de, en: one: i = 1 and v = 0; tr: one: n = 1
    return ONE if n == 1 else OTHER


def _persian(n: int) -> str:
    # fa: one: i = 0 or n = 1
    return ONE if n in (0, 1) else OTHER


def _east_slavic(n: int) -> str:
    # uk, ru: one: v = 0 and i % 10 = 1 and i % 100 != 11
    #         few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14
    #         many: v = 0 and (i % 10 = 0 or i % 10 = 5..9 or i % 100 = 11..14)
    if n % 10 == 1 and n % 100 != 11:
        return ONE
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return FEW
    return MANY


def _arabic(n: int) -> str:
    # ar: zero: n = 0; one: n = 1; two: n = 2; few: n % 100 = 3..10; many: n % 100 = 11..99
    if n in (0, 1, 2):
        return (ZERO, ONE, TWO)[n]
    if 3 <= n % 100 <= 10:
        return FEW
    if 11 <= n % 100 <= 99:
        return MANY
    return OTHER


RULES: dict[str, tuple[Callable[[int], str], tuple[str, ...]]] = {
    "de": (_one_other, (ONE, OTHER)),
    "en": (_one_other, (ONE, OTHER)),
    "tr": (_one_other, (ONE, OTHER)),
    "fa": (_persian, (ONE, OTHER)),
    "uk": (_east_slavic, (ONE, FEW, MANY, OTHER)),
    "ru": (_east_slavic, (ONE, FEW, MANY, OTHER)),
    "ar": (_arabic, (ZERO, ONE, TWO, FEW, MANY, OTHER)),
}
"""language -> (category of a whole number, the categories its texts need)."""


def category(lang: str, n: int) -> str:
    """The CLDR plural category of the whole number `n` in `lang` ("one", "few", ...)."""
    rule = RULES.get(lang.split("-")[0].lower())
    return rule[0](abs(int(n))) if rule else OTHER


def needed_categories(lang: str) -> tuple[str, ...]:
    """The categories a language file must give a text for (CLDR's, "other" always)."""
    rule = RULES.get(lang.split("-")[0].lower())
    return rule[1] if rule else (OTHER,)
