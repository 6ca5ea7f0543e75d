"""Broken configs: every mistake is reported with its file, key path and bad value, all at once."""

from __future__ import annotations

import pytest

from kiosk.core.config import ConfigError, load_config
from tests.config_copy import copy_shipped, edit

# (case id, file, old text, new text, expected line start) -- one edit of the shipped config each.
# `old` starting with "re:" is a regular expression (multiline).
CASES = [
    (
        "letter-two-chars",
        "topics.toml",
        'letter = "B"',
        'letter = "AB"',
        'topics.toml: topics[2].letter: "AB" is not one letter A-Z',
    ),
    (
        "letter-lowercase",
        "topics.toml",
        'letter = "B"',
        'letter = "b"',
        'topics.toml: topics[2].letter: "b" is not one letter A-Z',
    ),
    (
        "letter-twice",
        "topics.toml",
        'letter = "C"',
        'letter = "B"',
        'topics.toml: topics[3].letter: "B" is also the letter of topics[2]',
    ),
    (
        "topic-id-twice",
        "topics.toml",
        'id = "jsl_work"',
        'id = "jsl_language"',
        'topics.toml: topics[3].id: "jsl_language" is used by two topics',
    ),
    (
        "topic-id-bad",
        "topics.toml",
        'id = "vhs"',
        'id = "VHS Beratung"',
        'topics.toml: topics[6].id: "VHS Beratung" is not an id for the topic',
    ),
    (
        "topic-unknown-schedule",
        "topics.toml",
        'schedule = "jsl"',
        'schedule = "jls"',
        'topics.toml: topics[2].schedule: "jls" is not a schedule in schedules.toml',
    ),
    (
        "topic-unknown-key",
        "topics.toml",
        "last_ticket_minutes = 30",
        "last_ticket_minute = 30",
        'topics.toml: topics[1].last_ticket_minute: unknown key (did you mean "last_ticket_minutes"?)',
    ),
    (
        "topic-negative-margin",
        "topics.toml",
        "last_ticket_minutes = 30",
        "last_ticket_minutes = -5",
        "topics.toml: topics[1].last_ticket_minutes: -5 is too small",
    ),
    (
        "topic-limit-text",
        "topics.toml",
        "last_ticket_minutes = 30",
        'last_ticket_minutes = 30\ndaily_limit = "ten"',
        'topics.toml: topics[1].daily_limit: "ten" is text, expected a whole number',
    ),
    (
        "topic-limit-zero",
        "topics.toml",
        "last_ticket_minutes = 30",
        "last_ticket_minutes = 30\ndaily_limit = 0",
        "topics.toml: topics[1].daily_limit: 0 is too small",
    ),
    (
        "desk-unknown-topic",
        "desks.toml",
        'topics = ["kim"]',
        'topics = ["kim", "vhs2"]',
        'desks.toml: desks[2].topics[2]: "vhs2" is not a topic in topics.toml',
    ),
    (
        "desk-no-topics",
        "desks.toml",
        'topics = ["ba"]',
        "topics = []",
        "desks.toml: desks[3].topics: is empty",
    ),
    (
        "desk-id-twice",
        "desks.toml",
        'id = "raum2"',
        'id = "raum1"',
        'desks.toml: desks[2].id: "raum1" is used by two desks',
    ),
    (
        "slot-backwards",
        "schedules.toml",
        '"mon 12:30-16:30"',
        '"mon 16:30-12:30"',
        'schedules.toml: schedules[1].periods[1].slots[1]: "mon 16:30-12:30" ends before it starts',
    ),
    (
        "slot-overlap",
        "schedules.toml",
        '"wed 12:30-16:30"',
        '"mon 14:00-18:00"',
        "schedules.toml: schedules[1].periods[1].slots[2]: 14:00-18:00 on mon overlaps 12:30-16:30",
    ),
    (
        "slot-25-hours",
        "schedules.toml",
        '"thu 13:00-17:00"',
        '"thu 13:00-25:00"',
        'schedules.toml: schedules[1].periods[1].slots[3]: "thu 13:00-25:00": "25:00" is not a time of day',
    ),
    (
        "slot-bad-weekday",
        "schedules.toml",
        '"fri 11:00-13:00"',
        '"fry 11:00-13:00"',
        'schedules.toml: schedules[2].periods[1].slots[3]: "fry 11:00-13:00": "fry" is not a weekday',
    ),
    (
        "slot-not-text",
        "schedules.toml",
        '"tue 13:00-16:30"',
        "1300",
        "schedules.toml: schedules[2].periods[1].slots[1]: 1300 is a number",
    ),
    (
        "period-impossible-date",
        "schedules.toml",
        "valid_from = 2022-10-05",
        'valid_from = "2026-02-30"',
        'schedules.toml: schedules[1].periods[1].valid_from: "2026-02-30" is not a real date',
    ),
    (
        "period-date-with-time",
        "schedules.toml",
        "valid_from = 2022-10-05",
        "valid_from = 2022-10-05T08:00:00",
        "schedules.toml: schedules[1].periods[1].valid_from: 2022-10-05T08:00:00 is a date and time",
    ),
    (
        "period-german-date",
        "schedules.toml",
        "valid_from = 2022-10-05",
        'valid_from = "05.10.2022"',
        'schedules.toml: schedules[1].periods[1].valid_from: "05.10.2022" is not a date like 2026-12-24',
    ),
    (
        "schedule-id-twice",
        "schedules.toml",
        'id = "jsl"',
        'id = "sprechstunde"',
        'schedules.toml: schedules[2].id: "sprechstunde" is used by two schedules',
    ),
    (
        "closure-backwards",
        "schedules.toml",
        "from = 2026-12-24\nto = 2026-12-31",
        "from = 2026-12-31\nto = 2026-12-24",
        "schedules.toml: closed[1].to: 2026-12-24 is before from = 2026-12-31",
    ),
    (
        "closure-unknown-topic",
        "schedules.toml",
        'reason = "Weihnachten und Jahreswechsel"',
        'reason = "Weihnachten und Jahreswechsel"\ntopics = ["vhs", "nope"]',
        'schedules.toml: closed[1].topics[2]: "nope" is not a topic in topics.toml',
    ),
    (
        "closure-unknown-schedule",
        "schedules.toml",
        'reason = "Weihnachten und Jahreswechsel"',
        'reason = "Weihnachten und Jahreswechsel"\nschedules = ["hotlne"]',
        'schedules.toml: closed[1].schedules[1]: "hotlne" is not a schedule in schedules.toml',
    ),
    (
        "closure-empty-topics",
        "schedules.toml",
        'reason = "Weihnachten und Jahreswechsel"',
        'reason = "Weihnachten und Jahreswechsel"\ntopics = []',
        "schedules.toml: closed[1].topics: is empty: list the topics to close, or leave topics out",
    ),
    (
        "closure-date-and-range",
        "schedules.toml",
        "from = 2026-12-24",
        "date = 2026-12-24\nfrom = 2026-12-24",
        "schedules.toml: closed[1].date: give either date",
    ),
    (
        "closure-no-date",
        "schedules.toml",
        "from = 2026-12-24\nto = 2026-12-31\n",
        "",
        "schedules.toml: closed[1]: missing date",
    ),
    (
        "special-with-weekday",
        "schedules.toml",
        '[[schedules]]\nid = "jsl"',
        '[[schedules.special]]\ndate = 2026-12-23\nslots = ["wed 10:00-12:00"]\n\n[[schedules]]\nid = "jsl"',
        'schedules.toml: schedules[1].special[1].slots[1]: "wed 10:00-12:00" has a weekday',
    ),
    (
        "special-impossible-date",
        "schedules.toml",
        '[[schedules]]\nid = "jsl"',
        '[[schedules.special]]\ndate = "2026-13-01"\nslots = []\n\n[[schedules]]\nid = "jsl"',
        'schedules.toml: schedules[1].special[1].date: "2026-13-01" is not a real date',
    ),
    (
        "timezone-unknown",
        "site.toml",
        "Europe/Berlin",
        "Europe/Berln",
        'site.toml: site.timezone: "Europe/Berln" is not a known time zone',
    ),
    (
        "rtl-mode",
        "site.toml",
        'rtl_mode = "reorder"',
        'rtl_mode = "mirror"',
        'site.toml: site.rtl_mode: "mirror" is not "reorder" or "terminal"',
    ),
    (
        "hotline-unknown-schedule",
        "site.toml",
        'schedule = "hotline"',
        'schedule = "hotlin"',
        'site.toml: hotline.schedule: "hotlin" is not a schedule in schedules.toml',
    ),
    (
        "hotline-number-letters",
        "site.toml",
        'number = "0214/406-3333"',
        'number = "call us"',
        'site.toml: hotline.number: "call us" is not a phone number',
    ),
    (
        "idle-negative",
        "site.toml",
        "idle_seconds = 45",
        "idle_seconds = -1",
        "site.toml: timeouts.idle_seconds: -1 is too small",
    ),
    (
        "retention-negative",
        "site.toml",
        "retention_days = 400",
        "retention_days = -30",
        "site.toml: site.retention_days: -30 is too small",
    ),
    (
        "bell-text",
        "site.toml",
        "bell = false",
        'bell = "no"',
        'site.toml: display.bell: "no" is text, expected true or false',
    ),
    (
        "email-bad",
        "site.toml",
        'email = "ukraine-levhilft@stadt.leverkusen.de"',
        'email = "ukraine-levhilft at stadt.leverkusen.de"',
        'site.toml: site.email: "ukraine-levhilft at stadt.leverkusen.de" is not an e-mail address',
    ),
    (
        "pin-hash-garbage",
        "site.toml",
        "re:^pin_hash = .*$",
        'pin_hash = "2468"',
        "site.toml: site.pin_hash: is not a PIN hash made by `kiosk set-pin`",
    ),
    (
        "language-without-file",
        "site.toml",
        '"tr", "fa"]',
        '"tr", "fa", "pl"]',
        'site.toml: site.languages: "pl" has no file lang/pl.toml',
    ),
    (
        "ten-languages",
        "site.toml",
        '"tr", "fa"]',
        '"tr", "fa", "pl", "es", "it"]',
        "site.toml: site.languages: 10 languages, at most 9",
    ),
    (
        "staff-default-not-staff",
        "site.toml",
        'default_staff_language = "de"',
        'default_staff_language = "tr"',
        'site.toml: site.default_staff_language: "tr" is not one of staff_languages',
    ),
    (
        "site-unknown-table",
        "site.toml",
        "[display]",
        "[displays]",
        'site.toml: displays: unknown key (did you mean "display"?)',
    ),
    (
        "urgent-no-label",
        "site.toml",
        'label.de = "Polizei (Gefahr, Gewalt, Straftat)"\n',
        "",
        None,
    ),  # only a warning: see test_missing_urgent_label_is_a_warning
    (
        "direction-bad",
        "lang/ar.toml",
        'direction = "rtl"',
        'direction = "rtl-ish"',
        'lang/ar.toml: direction: "rtl-ish" is not "ltr" or "rtl"',
    ),
    (
        "weekdays-six",
        "lang/de.toml",
        '"Sa", "So"]',
        '"Sa"]',
        "lang/de.toml: weekdays: has 6 entries, expected 7",
    ),
    (
        "visitor-string-missing",
        "lang/uk.toml",
        "re:^welcome = .*\\n",
        "",
        "lang/uk.toml: visitor.welcome: missing",
    ),
    (
        "visitor-string-unknown",
        "lang/tr.toml",
        "re:^welcome = ",
        'welcom = "x"\nwelcome = ',
        'lang/tr.toml: visitor.welcom: unknown key (did you mean "welcome"?)',
    ),
    (
        "placeholder-not-allowed",
        "lang/de.toml",
        'people_ahead = "Vor Ihnen warten: {n}"',
        'people_ahead = "Vor Ihnen warten: {count}"',
        'lang/de.toml: visitor.people_ahead: "Vor Ihnen warten: {count}" uses the placeholder {count}; this text may use: {n}',
    ),
    (
        "placeholder-stray-brace",
        "lang/de.toml",
        'people_ahead = "Vor Ihnen warten: {n}"',
        'people_ahead = "Vor Ihnen warten: {n"',
        'lang/de.toml: visitor.people_ahead: "Vor Ihnen warten: {n" has a stray {',
    ),
    (
        "topic-text-missing",
        "lang/tr.toml",
        "[topics.vhs]",
        "[topics.vhs_old]",
        'lang/tr.toml: topics.vhs: missing: the label and description of topic "vhs"',
    ),
    (
        "topic-label-missing",
        "lang/fa.toml",
        "re:(\\[topics\\.ba\\]\\n)label = .*\\n",
        "\\1",
        "lang/fa.toml: topics.ba.label: missing",
    ),
    (
        "staff-string-missing",
        "lang/en.toml",
        "re:^title = .*\\n",
        "",
        "lang/en.toml: staff.title: missing",
    ),
    ("desks-file-missing", "desks.toml", None, None, "desks.toml: file missing"),
    (
        "lang-file-invalid",
        "lang/ru.toml",
        "re:^native_name = .*$",
        "native_name = Русский",
        "lang/ru.toml: is not valid TOML",
    ),
]


def _apply(folder, file, old, new):
    if old is None:
        (folder / file).unlink()
    elif old.startswith("re:"):
        edit(folder, file, old[3:], new, regex=True)
    else:
        edit(folder, file, old, new)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES if case[4] is not None],
)
def test_broken_config_names_file_key_and_value(tmp_path, file, old, new, expected):
    folder = copy_shipped(tmp_path)
    _apply(folder, file, old, new)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    problems = caught.value.problems
    assert any(line.startswith(expected) for line in problems), "\n".join(problems)
    for line in problems:
        assert "\n" not in line  # one line per problem


def test_there_are_at_least_25_distinct_broken_configs():
    assert len({c[4] for c in CASES if c[4]}) >= 25


def test_several_problems_are_all_listed(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "topics.toml", 'letter = "B"', 'letter = "AB"')
    edit(folder, "schedules.toml", '"thu 13:00-17:00"', '"thu 13:00-25:00"')
    edit(folder, "site.toml", "Europe/Berlin", "Mars/Olympus")
    edit(folder, "desks.toml", 'topics = ["ba"]', "topics = []")
    edit(folder, "lang/uk.toml", r"^welcome = .*\n", "", regex=True)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    problems = caught.value.problems
    print("\n".join(problems))
    for start in (
        "topics.toml: topics[2].letter:",
        "schedules.toml: schedules[1].periods[1].slots[3]:",
        "site.toml: site.timezone:",
        "desks.toml: desks[3].topics:",
        "lang/uk.toml: visitor.welcome:",
    ):
        assert any(p.startswith(start) for p in problems), start
    assert len(problems) == 5


def test_invalid_toml_reports_line_and_column(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "topics.toml", 'letter = "A"', "letter = A")
    line = (folder / "topics.toml").read_text().splitlines().index("letter = A") + 1
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    (problem,) = caught.value.problems
    assert problem.startswith("topics.toml: is not valid TOML:")
    assert f"line {line}" in problem and "column" in problem
    assert '"letter = A"' in problem  # the line itself, so the admin finds it


def test_impossible_toml_date_is_reported_with_its_line(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", "from = 2026-12-24", "from = 2026-02-30")
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert any(
        p.startswith("schedules.toml: is not valid TOML") and "line" in p
        for p in caught.value.problems
    )


def test_more_than_nine_topics(tmp_path):
    folder = copy_shipped(tmp_path)
    extra = "".join(
        f'\n[[topics]]\nid = "extra{i}"\nletter = "{letter}"\nschedule = "jsl"\n'
        for i, letter in enumerate("XY")
    )
    with (folder / "topics.toml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert (
        "topics.toml: topics: 10 topics, at most 9 (visitors pick one with the digits 1-9)"
        in caught.value.problems
    )


def test_missing_config_folder_is_one_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nowhere")
    (problem,) = caught.value.problems
    assert "no such config folder" in problem


def test_empty_folder_lists_every_missing_file(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    problems = caught.value.problems
    for name in ("site.toml", "schedules.toml", "topics.toml", "desks.toml"):
        assert any(p.startswith(f"{name}: file missing") for p in problems), name


def test_missing_urgent_label_is_a_warning(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "site.toml", 'label.de = "Polizei (Gefahr, Gewalt, Straftat)"\n', "")
    config = load_config(folder)
    assert (
        "site.toml: urgent[2].label: no de text (visitors see the English or German one)"
        in config.warnings
    )


def test_topic_without_desk_is_a_warning(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "desks.toml", 'topics = ["vhs", "diakonie_work"]', 'topics = ["vhs"]')
    config = load_config(folder)
    assert any(
        w.startswith("topics.toml: topics[7]:") and "diakonie_work" in w and "no desk" in w
        for w in config.warnings
    ), config.warnings


def test_margin_as_long_as_opening_is_a_warning(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "topics.toml", "last_ticket_minutes = 30", "last_ticket_minutes = 240")
    config = load_config(folder)
    assert any(
        w.startswith("topics.toml: topics[1].last_ticket_minutes: 240 minutes")
        for w in config.warnings
    )


# Mistakes TOML itself rejects: the line, its number and what to do in plain words.
TOML_MISTAKES = [
    (
        "umlaut-key",
        "site.toml",
        "idle_seconds = 45",
        "Rückkehr_nach = 45",
        '"ü" (latin small letter u with diaeresis): names before = and in [brackets] may only use',
    ),
    (
        "cyrillic-letter-in-table-name",
        "lang/fa.toml",
        "[topics.ba]",
        "[topics.bа]",
        '"а" (cyrillic small letter a)',
    ),
    (
        "space-in-key",
        "topics.toml",
        "last_ticket_minutes = 30",
        "last ticket minutes = 30",
        '"last ticket minutes" contains a space',
    ),
    (
        "impossible-date",
        "schedules.toml",
        "from = 2027-12-24",
        "from = 2026-02-30",
        "2026-02-30 is not a real date",
    ),
    ("day-32", "schedules.toml", "to = 2026-12-31", "to = 2026-12-32", "is not a real date"),
    (
        "german-date",
        "schedules.toml",
        "from = 2026-12-24",
        "from = 24.12.2026",
        "write dates as year-month-day, e.g. 2026-12-24",
    ),
    (
        "one-digit-month",
        "schedules.toml",
        "valid_from = 2022-10-05",
        "valid_from = 2022-10-5",
        "two-digit month and day: 2022-10-05",
    ),
    (
        "unquoted-text",
        "site.toml",
        'timezone = "Europe/Berlin"',
        "timezone = Europe/Berlin",
        "text must be in quotes",
    ),
    (
        "unquoted-slot",
        "schedules.toml",
        '"fri 11:00-13:00"',
        "fri 11:00-13:00",
        "put them in quotes",
    ),
    (
        "unterminated-text",
        "site.toml",
        'name = "Service-Point Integration"',
        'name = "Service-Point Integration',
        'must end with its quote (") on the same line',
    ),
    (
        "typographic-quotes",
        "desks.toml",
        'name = "Raum 2"',
        "name = „Raum 2“",
        "straight quotes",
    ),
    (
        "unclosed-list",
        "schedules.toml",
        '"fri 11:00-13:00"]',
        '"fri 11:00-13:00"',
        "is not closed with ]",
    ),
    (
        "key-twice",
        "site.toml",
        "retention_days = 400",
        "retention_days = 400\nretention_days = 300",
        "this key is given twice in the same block",
    ),
    ("table-twice", "site.toml", "[display]", "[timeouts]", '"[timeouts]" appears twice'),
    (
        "block-heading",
        "desks.toml",
        "re:^\\[\\[desks\\]\\]$",
        "[[desks]",
        "ends with two brackets ]]",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "hint"), [pytest.param(*case[1:], id=case[0]) for case in TOML_MISTAKES]
)
def test_toml_mistakes_name_the_line_and_say_what_to_do(tmp_path, file, old, new, hint):
    folder = copy_shipped(tmp_path)
    _apply(folder, file, old, new)
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    (problem,) = caught.value.problems
    print(problem)
    assert problem.startswith(f"{file}: is not valid TOML: ")
    assert hint in problem
    assert "check the quotes" not in problem  # the specific hint replaces the generic one
    # The edited line (its last occurrence, for things given twice) is named with its number.
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    edited = new.splitlines()[-1]
    if "Unclosed" not in problem:  # TOML notices an open list on a later line
        exact = [i for i, line in enumerate(lines) if line == edited]
        number = (exact or [i for i, line in enumerate(lines) if edited in line])[-1] + 1
        assert f"line {number}," in problem


def test_unclosed_list_names_the_line_it_starts_on(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '"fri 11:00-13:00"]', '"fri 11:00-13:00"')
    lines = (folder / "schedules.toml").read_text(encoding="utf-8").splitlines()
    start = lines.index('slots = ["tue 13:00-16:30", "thu 13:00-16:30", "fri 11:00-13:00"') + 1
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    (problem,) = caught.value.problems
    assert f"the list that starts on line {start} " in problem


def test_toml_error_at_the_end_of_the_file_still_names_a_line(tmp_path):
    folder = copy_shipped(tmp_path)
    with (folder / "desks.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[desks]]\nid = "raum9')  # no newline: TOML then names no line
    count = len((folder / "desks.toml").read_text(encoding="utf-8").splitlines())
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    (problem,) = caught.value.problems
    assert f"line {count})" in problem and '"id = \\"raum9"' in problem


def test_a_schedule_without_any_hours_is_a_warning(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '"tue 13:00-16:30", "thu 13:00-16:30", "fri 11:00-13:00"', "")
    config = load_config(folder)
    assert (
        "schedules.toml: schedules[2].periods[1].slots: no hours on any day: "
        'from 2022-10-05 on, "jsl" never opens (only special days)'
    ) in config.warnings
    # A later period with hours again: no warning (closed for a while is allowed).
    edit(
        folder,
        "schedules.toml",
        'name = "JSL offene Sprechstunde"',
        'name = "JSL offene Sprechstunde"\n\n[[schedules.periods]]\nvalid_from = 2027-01-01\n'
        'slots = ["tue 13:00-16:30"]',
    )
    assert not any("never opens" in w for w in load_config(folder).warnings)


def test_overlap_is_reported_beside_another_bad_slot_of_the_same_list(tmp_path):
    folder = copy_shipped(tmp_path)
    edit(folder, "schedules.toml", '"wed 12:30-16:30"', '"mon 14:00-15:00"')
    edit(folder, "schedules.toml", '"thu 13:00-17:00"', '"thu 13:00-12:00"')
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert caught.value.problems == [
        'schedules.toml: schedules[1].periods[1].slots[3]: "thu 13:00-12:00" ends before it starts',
        "schedules.toml: schedules[1].periods[1].slots[2]: 14:00-15:00 on mon overlaps 12:30-16:30"
        " (schedules[1].periods[1].slots[1])",
    ]
