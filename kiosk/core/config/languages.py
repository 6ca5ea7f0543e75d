"""lang/<code>.toml: one language's visitor and staff strings, topic texts and day names."""

from __future__ import annotations

import re
import string
from pathlib import Path

from kiosk.core.config.checker import Report, Table, show
from kiosk.core.config.models import Language, TopicText
from kiosk.core.config.strings import PLURAL_KEYS, STAFF_KEYS, VISITOR_KEYS
from kiosk.core.config.toml_file import read_toml
from kiosk.core.plurals import needed_categories


def _check_template(table: Table, key: str, value: str, allowed: frozenset[str]) -> None:
    """Placeholders like {n} must be ones the key offers; braces must pair."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
    except ValueError as error:
        table.error(
            key, f"{show(value)} has a stray {{ or }} ({error}); write {{{{ or }}}} for a brace"
        )
        return
    offered = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
    used = set()
    for field_name in fields:
        base = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        if base not in allowed:
            shown = "{" + field_name + "}"
            table.error(
                key, f"{show(value)} uses the placeholder {shown}; this text may use: {offered}"
            )
        used.add(base)
    for missing in sorted(allowed - used):
        table.warn(key, f"{show(value)} does not show {{{missing}}}")


def read_language(
    folder: Path,
    code: str,
    report: Report,
    *,
    visitor: bool,
    staff: bool,
    topic_ids: set[str] | None,
) -> Language | None:
    file = f"lang/{code}.toml"
    data = read_toml(folder, file, report)
    if data is None:
        return None
    root = Table(report, file, "", data)
    native = root.text("native_name")
    staff_names: dict[str, str] = {}
    names_table = root.sub("names", required=False)
    if names_table is not None:
        for other in list(names_table.data):
            name = names_table.text(str(other))
            if name is not None:
                staff_names[str(other)] = name
        names_table.done()
    direction = root.choice("direction", ("ltr", "rtl"), default=None)
    names: dict[str, tuple[str, ...] | None] = {}
    for key in ("weekdays", "weekdays_long"):
        items = root.text_list(key, required=True, expect_item="7 day names, Monday first")
        if items is None:
            names[key] = None
            continue
        if len(items) != 7:
            root.error(key, f"has {len(items)} entries, expected 7 day names, Monday first")
            names[key] = None
            continue
        good = True
        for path, item in items:
            if not isinstance(item, str) or not item.strip():
                root.error(path, f"{show(item)} is not a day name")
                good = False
        names[key] = tuple(str(i) for _, i in items) if good else None
    ok = True
    plurals: dict[str, dict[str, str]] = {}
    tables: dict[str, dict[str, str] | None] = {}
    for section, keys, needed in (("visitor", VISITOR_KEYS, visitor), ("staff", STAFF_KEYS, staff)):
        sub = root.sub(section, required=needed)
        if sub is None:
            tables[section] = None if needed or section in data else {}
            continue
        strings: dict[str, str] = {}
        for key in keys:
            if key not in sub.data and not needed:
                continue
            if section == "visitor" and key in PLURAL_KEYS:
                forms = _plural_forms(sub, code, key, keys[key])
                if forms is None:
                    ok = False
                    continue
                plurals[key] = forms
                strings[key] = forms.get("other") or next(iter(forms.values()))
                continue
            value = sub.text(key)
            if value is None:
                ok = False
                continue
            _check_template(sub, key, value, keys[key])
            strings[key] = value
        sub.done()
        tables[section] = strings
    topics: dict[str, TopicText] = {}
    topic_table = root.sub("topics", required=visitor)
    if topic_table is not None:
        for tid in list(topic_table.data):
            entry = topic_table.sub(str(tid), required=False)
            if topic_ids is not None and tid not in topic_ids:
                topic_table.warn(
                    str(tid), f'there is no topic "{tid}" in topics.toml (text ignored)'
                )
                continue
            if entry is None:
                ok = False
                continue
            label = entry.text("label")
            description = entry.text("description", allow_empty=True)
            entry.done()
            if label is None or description is None:
                ok = False
                continue
            topics[str(tid)] = TopicText(label, description)
        for tid in sorted(topic_ids or ()):
            if tid not in topic_table.data:
                if visitor:
                    topic_table.error(tid, f'missing: the label and description of topic "{tid}"')
                    ok = False
                else:
                    topic_table.warn(
                        tid, f'no label for topic "{tid}" (staff see the English or German one)'
                    )
    elif visitor:
        ok = False
    root.done()
    weekdays, weekdays_long = names["weekdays"], names["weekdays_long"]
    visitor_strings, staff_strings = tables["visitor"], tables["staff"]
    if (
        not ok
        or native is None
        or direction is None
        or weekdays is None
        or weekdays_long is None
        or visitor_strings is None
        or staff_strings is None
    ):
        return None
    return Language(
        code,
        native,
        direction,
        visitor_strings,
        staff_strings,
        topics,
        weekdays,
        weekdays_long,
        staff_names,
        plurals=plurals,
    )


def _plural_forms(
    sub: Table, code: str, key: str, allowed: frozenset[str]
) -> dict[str, str] | None:
    """A text with a number: one text per plural category the language needs (CLDR's).

    A single text is accepted with a warning (it reads wrong for some numbers: "1 Minuten");
    a table must name every category the language needs, and no other."""
    needed = needed_categories(code)
    listed = ", ".join(needed)
    value = sub.data.get(key)
    if not isinstance(value, dict):
        text = sub.text(key)
        if text is None:
            return None
        _check_template(sub, key, text, allowed)
        if len(needed) > 1:
            sub.warn(
                key,
                f"one text for every number; give one per plural form ({listed}), e.g. "
                f"[visitor.{key}] {needed[0]} = ...",
            )
        return dict.fromkeys(needed, text)
    forms_table = sub.sub(key, required=True)
    if forms_table is None:
        return None
    forms: dict[str, str] = {}
    good = True
    for category in needed:
        if category not in forms_table.data:
            forms_table.error(category, f"missing: this language needs a text for each of {listed}")
            good = False
            continue
        text = forms_table.text(category)
        if text is None:
            good = False
            continue
        _check_template(forms_table, category, text, allowed)
        forms[category] = text
    forms_table.done()
    return forms if good else None
