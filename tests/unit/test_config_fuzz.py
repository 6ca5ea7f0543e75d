"""Fuzz: whatever an admin types into a value, the loader answers with a Config or a ConfigError."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.config import Config, ConfigError, load_config
from tests.config_copy import copy_shipped

# (file, the shipped line, the line with the fuzzed value put in)
TARGETS = [
    ("topics.toml", 'letter = "B"', "letter = {}"),
    ("topics.toml", "last_ticket_minutes = 30", "last_ticket_minutes = {}"),
    ("topics.toml", 'schedule = "jsl"', "schedule = {}"),
    (
        "schedules.toml",
        'slots = ["mon 12:30-16:30", "wed 12:30-16:30", "thu 13:00-17:00"]',
        "slots = {}",
    ),
    ("schedules.toml", "valid_from = 2022-10-05", "valid_from = {}"),
    ("schedules.toml", "from = 2026-12-24", "from = {}"),
    ("schedules.toml", 'reason = "Weihnachten und Jahreswechsel"', "topics = {}"),
    ("site.toml", 'timezone = "Europe/Berlin"', "timezone = {}"),
    ("site.toml", 'languages = ["de", "en", "uk", "ru", "ar", "tr", "fa"]', "languages = {}"),
    ("site.toml", "idle_seconds = 45", "idle_seconds = {}"),
    ("site.toml", 'number = "112"', "number = {}"),
    ("site.toml", "[site.floor]", "floor = {}"),
    ("desks.toml", 'topics = ["ba"]', "topics = {}"),
    ("lang/de.toml", 'people_ahead = "Vor Ihnen warten: {n}"', "people_ahead = {}"),
    ("lang/ar.toml", 'direction = "rtl"', "direction = {}"),
    (
        "lang/en.toml",
        'weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]',
        "weekdays = {}",
    ),
]

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    _text,
    st.sampled_from(
        [
            "A",
            "AB",
            "mon 12:30-16:30",
            "25:00",
            "2026-02-30",
            "Europe/Berlin",
            "../etc",
            "{n}",
            "{",
            "de",
            "",
        ]
    ),
    st.dates(),
    st.times(),
    st.datetimes(),
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["a", "de", "label", "x y", "1"]), children, max_size=3),
    ),
    max_leaves=8,
)


def toml_value(value: object) -> str:
    """A Python value as a TOML value (inline form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def _check(folder, file, old, new) -> None:
    path = folder / file
    original = path.read_text(encoding="utf-8")
    assert old in original, (file, old)
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        result = load_config(folder)
        assert isinstance(result, Config)
    except ConfigError as error:
        assert error.problems
        for line in error.problems:
            assert isinstance(line, str) and line and "\n" not in line.strip("\n")
            assert "bug in kiosk" not in line, line
    finally:
        path.write_text(original, encoding="utf-8")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.sampled_from(TARGETS), value=_values)
def test_any_value_gives_config_or_config_error(tmp_path, target, value):
    folder = tmp_path / "config"
    if not folder.exists():
        copy_shipped(tmp_path)
    file, old, template = target
    _check(folder, file, old, template.replace("{}", toml_value(value)))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.sampled_from(TARGETS), raw=_text)
def test_any_raw_text_gives_config_or_config_error(tmp_path, target, raw):
    folder = tmp_path / "config"
    if not folder.exists():
        copy_shipped(tmp_path)
    file, old, template = target
    _check(folder, file, old, template.replace("{}", raw))


_FILES = [
    "site.toml",
    "schedules.toml",
    "topics.toml",
    "desks.toml",
    "lang/de.toml",
    "lang/ar.toml",
]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    file=st.sampled_from(_FILES),
    data=st.data(),
)
def test_dropping_or_doubling_lines_gives_config_or_config_error(tmp_path, file, data):
    """Structure edits: a line (a key, a [table] header) removed or written twice."""
    folder = tmp_path / "config"
    if not folder.exists():
        copy_shipped(tmp_path)
    path = folder / file
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    index = data.draw(st.integers(0, len(lines) - 1))
    if data.draw(st.booleans()):
        changed = lines[:index] + lines[index + 1 :]
    else:
        changed = lines[: index + 1] + lines[index:]
    path.write_text("".join(changed), encoding="utf-8")
    try:
        result = load_config(folder)
        assert isinstance(result, Config)
    except ConfigError as error:
        assert error.problems
        assert not any("bug in kiosk" in line for line in error.problems), error.problems
    finally:
        path.write_text(original, encoding="utf-8")
