"""desks.toml: the desks, their names on the display and the topics they call by default."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.config.checker import Report, Table
from kiosk.core.config.models import Desk


@dataclass
class DeskDraft:
    desks: list[Desk] | None
    rows: list[tuple[Table, tuple[str, ...] | None]]


def read_desks(data: dict, report: Report) -> DeskDraft:
    root = Table(report, "desks.toml", "", data)
    tables = root.tables("desks", required=True)
    root.done()
    draft = DeskDraft(None, [])
    if tables is None:
        return draft
    if not tables:
        root.error("desks", "is empty: add at least one [[desks]]")
        return draft
    desks: list[Desk] = []
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    ok = True
    for table in tables:
        did = table.ident("id", "desk")
        name = table.text("name")
        topics = table.id_list("topics", required=True, what="topic")
        table.done()
        if topics is not None and not topics:
            table.error("topics", 'is empty: list the topics this desk calls, e.g. ["kim"]')
            topics = None
        if did is not None:
            if did in ids:
                table.error("id", f'"{did}" is used by two desks ({ids[did]})')
                ok = False
            ids[did] = table.path
        if name is not None:
            if name in names:
                table.warn(
                    "name",
                    f'"{name}" is also the name of {names[name]}: visitors cannot tell them apart',
                )
            names[name] = table.path
        draft.rows.append((table, topics))
        if did is None or name is None or topics is None:
            ok = False
            continue
        desks.append(Desk(did, name, topics))
    draft.desks = desks if ok else None
    return draft
