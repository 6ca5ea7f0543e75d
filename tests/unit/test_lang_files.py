"""Language files: every shipped config/lang/*.toml is complete, formats safely and fits the screen."""

from __future__ import annotations

import re
import string
import tomllib
import unicodedata
from pathlib import Path

import pytest

from kiosk.core.config.strings import PLURAL_KEYS
from kiosk.core.i18n import STAFF_KEYS, VISITOR_KEYS
from kiosk.core.plurals import needed_categories

LANG_DIR = Path(__file__).resolve().parents[2] / "config" / "lang"
CODES = ("de", "en", "uk", "ru", "ar", "tr", "fa")
STAFF_CODES = ("de", "en")
RTL_CODES = ("ar", "fa")
TOPIC_IDS = ("kim", "jsl_language", "jsl_work", "jsl_help", "ba", "vhs", "diakonie_work", "ukraine")
NATIVE = {
    "de": "Deutsch",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "ar": "العربية",
    "tr": "Türkçe",
    "fa": "فارسی",
}
# Screen budgets (characters): a button of ~30 cells, one description line, one visitor line.
MAX_LABEL = 30
MAX_DESCRIPTION = 64
MAX_VISITOR = 70
# The status page on a phone wraps its sentences: two lines of a narrow phone at most.
MAX_STATUS_PAGE = 110


def load(code: str) -> dict:
    return tomllib.loads((LANG_DIR / f"{code}.toml").read_text(encoding="utf-8"))


def visitor_texts(code: str, visitor: dict) -> list[tuple[str, str]]:
    """(key, text) of the visitor section, every plural form of a text with a number counted
    as a text of its own (checking it has exactly the forms the language needs)."""
    out = []
    for key, value in visitor.items():
        if key in PLURAL_KEYS:
            assert isinstance(value, dict), f"{code}.{key}: one text per plural form"
            assert set(value) == set(needed_categories(code)), f"{code}.{key}: {sorted(value)}"
            out += [(key, text) for text in value.values()]
        else:
            out.append((key, value))
    return out


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def topic_ids() -> tuple[str, ...]:
    """The topics of the shipped topics.toml (the eight of the service point)."""
    path = LANG_DIR.parent / "topics.toml"
    ids = tuple(t["id"] for t in tomllib.loads(path.read_text(encoding="utf-8"))["topics"])
    assert ids == TOPIC_IDS
    return ids


@pytest.mark.parametrize("code", CODES)
def test_header(code: str) -> None:
    data = load(code)
    assert data["native_name"] == NATIVE[code]
    assert data["direction"] == ("rtl" if code in RTL_CODES else "ltr")
    for key in ("weekdays", "weekdays_long"):
        days = data[key]
        assert len(days) == 7 and all(isinstance(d, str) and d.strip() for d in days), key
        assert len(set(days)) == 7, f"{key}: duplicate day names"


@pytest.mark.parametrize("code", CODES)
def test_visitor_section_complete_with_exact_placeholders(code: str) -> None:
    visitor = load(code)["visitor"]
    assert set(visitor) == set(VISITOR_KEYS), (
        f"missing {sorted(set(VISITOR_KEYS) - set(visitor))}, unknown {sorted(set(visitor) - set(VISITOR_KEYS))}"
    )
    for key, template in visitor_texts(code, visitor):
        assert template.strip(), key
        assert placeholders(template) == set(VISITOR_KEYS[key]), f"{code}.{key}: {template!r}"
        sample = {name: "12" for name in VISITOR_KEYS[key]}
        template.format(**sample)  # no stray braces
        limit = MAX_STATUS_PAGE if key.startswith("status_") else MAX_VISITOR
        assert len(template) <= limit, f"{code}.{key} is {len(template)} characters"


@pytest.mark.parametrize("code", STAFF_CODES)
def test_staff_section_complete(code: str) -> None:
    staff = load(code)["staff"]
    assert set(STAFF_KEYS) <= set(staff)
    for key, template in staff.items():
        assert placeholders(template) <= set(STAFF_KEYS.get(key, ())), f"{code}.{key}"


@pytest.mark.parametrize("code", CODES)
def test_every_topic_has_label_and_description(code: str) -> None:
    topics = load(code)["topics"]
    for topic_id in topic_ids():
        assert topic_id in topics, f"{code}: no text for topic {topic_id}"
        entry = topics[topic_id]
        assert set(entry) == {"label", "description"}, f"{code}.{topic_id}"
        assert entry["label"].strip() and entry["description"].strip()
        assert len(entry["label"]) <= MAX_LABEL, f"{code}.{topic_id}.label"
        assert len(entry["description"]) <= MAX_DESCRIPTION, f"{code}.{topic_id}.description"


def all_strings(data: dict) -> list[str]:
    out = [
        data["native_name"],
        *data["weekdays"],
        *data["weekdays_long"],
        *(
            text
            for value in data["visitor"].values()
            for text in (value.values() if isinstance(value, dict) else [value])
        ),
    ]
    for entry in data["topics"].values():
        out += [entry["label"], entry["description"]]
    return out


@pytest.mark.parametrize("code", RTL_CODES)
def test_rtl_text_has_no_latin_letters(code: str) -> None:
    # Mixed Latin inside an RTL line reorders badly on terminals; names are transliterated.
    for value in all_strings(load(code)):
        assert not re.search(r"[A-Za-z]", string.Formatter().vformat(value, (), _Blank())), value


def site_strings(code: str) -> list[str]:
    """The per-language texts of site.toml: the floor and the urgent contacts' labels."""
    site = tomllib.loads((LANG_DIR.parent / "site.toml").read_text(encoding="utf-8"))
    return [site["site"]["floor"][code], *(u["label"][code] for u in site["urgent"])]


def test_persian_uses_persian_letters_and_arabic_uses_arabic_letters() -> None:
    for value in all_strings(load("fa")) + site_strings("fa"):
        # Arabic yeh, kaf, alef maksura: Persian writes ی and ک
        assert not re.search("[\u064a\u0643\u0649]", value), f"Arabic letters in Persian: {value}"
    for value in all_strings(load("ar")) + site_strings("ar"):
        # Persian yeh, keheh, gaf, peh, tcheh, jeh are not Arabic letters
        assert not re.search("[\u06cc\u06a9\u06af\u067e\u0686\u0698]", value), (
            f"Persian letters in Arabic: {value}"
        )


def test_ukrainian_and_russian_are_not_mixed() -> None:
    for value in all_strings(load("uk")) + site_strings("uk"):
        assert not re.search("[ыэъёЫЭЪЁ]", value), f"Russian letters in Ukrainian: {value}"
    for value in all_strings(load("ru")) + site_strings("ru"):
        assert not re.search("[іїєґІЇЄҐ]", value), f"Ukrainian letters in Russian: {value}"
    for code in ("uk", "ru", "ar", "fa", "tr", "de", "en"):
        for value in all_strings(load(code)) + site_strings(code):
            for word in re.findall(r"\w+", value):
                scripts = {unicodedata.name(ch).split()[0] for ch in word if ch.isalpha()}
                assert len(scripts) <= 1, f"{code}: {word!r} mixes {scripts} (a look-alike?)"


def test_turkish_keeps_its_letters() -> None:
    text = "".join(all_strings(load("tr")) + site_strings("tr"))
    for letter in "ıİşçğüö":
        assert letter in text, f"Turkish {letter} missing: was the file saved without them?"
    for wrong in ("Hos geldiniz", "Turkce", "Sali", "Carsamba"):
        assert wrong not in text


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""
