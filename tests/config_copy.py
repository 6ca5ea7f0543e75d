"""Test helpers for config tests: a writable copy of the shipped config and one-edit changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "config"


def copy_shipped(tmp_path: Path) -> Path:
    """A copy of the shipped config/ under tmp_path; returns the folder."""
    target = tmp_path / "config"
    shutil.copytree(SHIPPED, target)
    return target


def edit(
    folder: Path, name: str, old: str, new: str, *, regex: bool = False, count: int = 1
) -> None:
    """Replace `old` by `new` in one file (the first `count` times); fails when `old` is absent."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    if regex:
        changed, n = re.subn(old, new, text, count=count, flags=re.MULTILINE)
    else:
        n = text.count(old)
        changed = text.replace(old, new, count)
    assert n, f"{old!r} not found in {name}"
    path.write_text(changed, encoding="utf-8")
