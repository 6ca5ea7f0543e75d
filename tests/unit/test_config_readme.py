"""README's config reference names every key the shipped config uses (and the optional ones)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Keys the loader accepts that the shipped files leave out (defaults or examples in comments).
LANGUAGE_CODES = {"de", "en", "uk", "ru", "ar", "tr", "fa"}
OPTIONAL = {"email", "daily_limit", "note", "from", "to", "topics", "schedules", "date", "special"}
# The optional [printer] section is not in the shipped site.toml (no printer unless configured).
OPTIONAL |= {"printer", "kind", "address", "path", "paper_width", "dots", "mode", "baudrate"}


def reference() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Configuration")
    return readme[start : readme.index("\n## ", start + 1)]


def keys(value: object) -> set[str]:
    """Every key of a TOML document, tables and arrays of tables included (not language codes)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in LANGUAGE_CODES:  # floor.de, label.uk: the codes are not keys to document
                found.add(key)
            found |= keys(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= keys(inner)
    return found


def test_every_config_key_is_in_the_readme_reference():
    text = reference()
    used: set[str] = set()
    for name in ("site.toml", "schedules.toml", "topics.toml", "desks.toml", "lang/en.toml"):
        data = tomllib.loads((ROOT / "config" / name).read_text(encoding="utf-8"))
        if name == "lang/en.toml":  # the texts themselves are listed in kiosk.core.i18n
            data = {k: v for k, v in data.items() if k not in ("visitor", "staff", "topics")}
            used |= {"visitor", "staff", "label", "description"}
        used |= keys(data)
    missing = sorted(
        key for key in used | OPTIONAL if not re.search(rf"`[^`]*\b{re.escape(key)}\b[^`]*`", text)
    )
    assert not missing, f"README's config reference lacks: {missing}"
