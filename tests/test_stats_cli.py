"""`kiosk stats` as a coordinator runs it: default period, table, CSV read back, JSON, bad input."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from stats_data import expected, generate, local

from kiosk.cli import main
from kiosk.core.clock import FixedClock
from kiosk.core.config import load_config
from kiosk.core.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """2-8 November 2026 with the shipped config, generated through the store."""
    folder = tmp_path_factory.mktemp("week")
    config = load_config(SHIPPED)
    clock = FixedClock(local(date(2026, 11, 2), "07:00"))
    visits = generate(
        Store(folder, config, clock), clock, config, date(2026, 11, 2), date(2026, 11, 8), seed=3
    )
    return folder, config, visits


def run(capsys, monkeypatch, *args):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("KIOSK_NOW", raising=False)
    code = main(["stats", "--config", str(SHIPPED), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_default_is_the_previous_month_early_in_a_month(week, capsys, monkeypatch):
    folder, _, visits = week
    code, out, err = run(capsys, monkeypatch, "--data", str(folder), "--now", "2026-12-02T10:00")
    assert code == 0, err
    assert "Period: November 2026 (previous full month)" in out
    total = next(line for line in out.splitlines() if line.startswith("Total"))
    assert total.split()[1] == str(len(visits))
    assert "A: Sprechstunde" in out and "U: Neu aus der" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    print(out)


def test_later_in_the_month_the_current_month_so_far(week, capsys, monkeypatch):
    folder, _, visits = week
    code, out, _ = run(capsys, monkeypatch, "--data", str(folder), "--now", "2026-11-25T10:00")
    assert code == 0
    assert "Period: 2026-11-01 to 2026-11-25 (current month so far)" in out


def _read_csv(path: Path, delimiter: str = ";") -> list[list[str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_csv_reads_back_with_the_figures(week, capsys, monkeypatch, tmp_path):
    folder, config, visits = week
    target = tmp_path / "november.csv"
    code, out, _ = run(
        capsys,
        monkeypatch,
        "--data",
        str(folder),
        "--month",
        "2026-11",
        "--by",
        "language",
        "--csv",
        str(target),
        "--now",
        "2026-12-10T09:00",
    )
    assert code == 0
    assert f"CSV written to {target}" in out.replace("\n", " ")
    rows = _read_csv(target)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ["from", "to", "language", "key"]
    by_lang = {row[3]: dict(zip(header, row, strict=True)) for row in body}
    for code_, visits_of in _group(visits, lambda v: v.lang).items():
        truth = expected(visits_of)
        row = by_lang[code_]
        assert row["language"] == f"{config.languages[code_].native_name} ({code_})"
        for name, value in truth.counts().items():
            assert int(row[name]) == value, (code_, name)
    assert "Українська (uk)" in by_lang["uk"]["language"]
    assert total[2] == "Total" and int(total[4]) == len(visits)
    assert all(row[:2] == ["2026-11-01", "2026-11-30"] for row in rows[1:])


def test_csv_by_topic_keeps_umlauts_and_has_a_row_per_topic(week, capsys, monkeypatch, tmp_path):
    folder, _, visits = week
    target = tmp_path / "topics.csv"
    code, _, _ = run(
        capsys,
        monkeypatch,
        "--data",
        str(folder),
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-08",
        "--csv",
        str(target),
        "--delimiter",
        "tab",
        "--now",
        "2026-11-20T09:00",
    )
    assert code == 0
    rows = _read_csv(target, "\t")
    labels = [row[2] for row in rows[1:]]
    assert "E: Bundesagentur für Arbeit" in labels
    assert len(labels) == len(load_config(SHIPPED).topics) + 1  # every topic, then the total
    assert sum(int(row[4]) for row in rows[1:-1]) == int(rows[-1][4]) == len(visits)


def test_json_is_one_object_on_one_line(week, capsys, monkeypatch):
    folder, _, visits = week
    code, out, _ = run(
        capsys,
        monkeypatch,
        "--data",
        str(folder),
        "--json",
        "--by",
        "day",
        "--now",
        "2026-12-02T10:00",
    )
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    assert data["period"] == {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "description": "November 2026 (previous full month)",
    }
    assert data["total"]["issued"] == len(visits)
    assert [g["label"][:13] for g in data["groups"]][0] == "2026-11-02 Mo"


def test_empty_range(week, capsys, monkeypatch, tmp_path):
    folder, _, _ = week
    target = tmp_path / "august.csv"
    code, out, _ = run(
        capsys,
        monkeypatch,
        "--data",
        str(folder),
        "--month",
        "2026-08",
        "--csv",
        str(target),
        "--now",
        "2026-12-02T10:00",
    )
    assert code == 0
    assert "Period: August 2026 (chosen month)" in out
    assert "No tickets were issued in this period." in out
    assert "A: Sprechstunde" in out and "U: Neu aus der" in out  # every topic, with zeros
    rows = _read_csv(target)
    topics = load_config(SHIPPED).topics
    assert len(rows) == 1 + len(topics) + 1 and rows[-1][2] == "Total" and rows[-1][4] == "0"
    assert [row[3] for row in rows[1:-1]] == [t.id for t in topics]
    assert all(row[4:] == ["0"] * 6 + [""] * 3 for row in rows[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "2026-11-30", "--to", "2026-11-01"],
            "--from 2026-11-30 is after --to 2026-11-01",
        ),
        (["--month", "2026-13"], '--month: "2026-13" is not a month like 2026-11'),
        (["--month", "2026-11", "--from", "2026-11-01"], "use either --month or --from/--to"),
        (["--from", "30.11.2026"], '--from: "30.11.2026" is not a date like 2026-11-30'),
        (["--to", "2026-11-30"], "--to needs --from as well"),
    ],
)
def test_invalid_range_exits_2_with_one_line(week, capsys, monkeypatch, args, message):
    folder, _, _ = week
    code, out, err = run(capsys, monkeypatch, "--data", str(folder), *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_missing_data_folder_and_unwritable_csv_exit_2(week, capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, "--data", str(tmp_path / "nowhere"))
    assert code == 2 and "no data folder" in err
    assert not (tmp_path / "nowhere").exists()
    folder, _, _ = week
    code, _, err = run(
        capsys,
        monkeypatch,
        "--data",
        str(folder),
        "--csv",
        str(tmp_path / "no" / "x.csv"),
        "--now",
        "2026-12-02T10:00",
    )
    assert code == 2 and "--csv: cannot write" in err and err.count("\n") == 1


def _group(visits, key):
    groups = {}
    for visit in visits:
        groups.setdefault(key(visit), []).append(visit)
    return groups
