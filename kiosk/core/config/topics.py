"""topics.toml: the topics visitors pick, their letters, schedules and daily limits."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.config.checker import MISSING, Report, Table, show
from kiosk.core.config.models import Topic

MAX_TOPICS = 9  # visitor screens pick with the digits 1-9


@dataclass
class TopicDraft:
    topics: list[Topic] | None
    ids: set[str]
    rows: list[tuple[Table, str | None, str | None]]  # (table, id, schedule) for cross checks


def read_topics(data: dict, report: Report) -> TopicDraft:
    root = Table(report, "topics.toml", "", data)
    tables = root.tables("topics", required=True)
    root.done()
    draft = TopicDraft(None, set(), [])
    if tables is None:
        return draft
    if not tables:
        root.error("topics", "is empty: add at least one [[topics]]")
        return draft
    if len(tables) > MAX_TOPICS:
        root.error(
            "topics",
            f"{len(tables)} topics, at most {MAX_TOPICS} (visitors pick one with the digits 1-9)",
        )
    topics: list[Topic] = []
    ok = True
    letters: dict[str, str] = {}
    for table in tables:
        tid = table.ident("id", "topic")
        letter = table.raw("letter", True, "one letter A-Z")
        if letter is not MISSING:
            if not isinstance(letter, str) or len(letter) != 1 or not ("A" <= letter <= "Z"):
                table.error("letter", f"{show(letter)} is not one letter A-Z")
                letter = None
            elif letter in letters:
                table.error("letter", f'"{letter}" is also the letter of {letters[letter]}')
                letter = None
            else:
                letters[letter] = table.path + (f' ("{tid}")' if tid else "")
        else:
            letter = None
        schedule = table.ident("schedule", "schedule")
        provider = table.text("provider", required=False, default="")
        daily_limit = table.integer(
            "daily_limit",
            default=None,
            minimum=1,
            unit="tickets per day; leave it out for no limit",
        )
        if "daily_limit" in table.data and daily_limit is None:
            ok = False
        margin = table.integer("last_ticket_minutes", default=0, minimum=0, unit="minutes")
        table.done()
        if tid is not None:
            if tid in draft.ids:
                table.error("id", f'"{tid}" is used by two topics')
                ok = False
            draft.ids.add(tid)
        draft.rows.append((table, tid, schedule))
        if None in (tid, letter, schedule, provider, margin):
            ok = False
            continue
        topics.append(Topic(tid, letter, schedule, provider, daily_limit, margin))  # type: ignore[arg-type]
    draft.topics = topics if ok and len(tables) <= MAX_TOPICS else None
    return draft
