"""`kiosk stats` as a coordinator runs it: default period, table, CSV read back, JSON, bad input."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core import stats
from kiosk.core.clock import FixedClock
from kiosk.core.config import load_config
from kiosk.core.store import Store
from tests.stats_data import expected, generate, local

SHIPPED = Path(__file__).resolve().parents[2] / "config"


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
    assert "Zeitraum: November 2026 (Vormonat)" in out  # the site's staff language: German
    total = next(line for line in out.splitlines() if line.startswith("Gesamt"))
    assert total.split()[1] == str(len(visits))
    assert "A: Sprechstunde" in out and "U: Neu aus der" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    print(out)


def test_later_in_the_month_the_current_month_so_far(week, capsys, monkeypatch):
    folder, _, visits = week
    code, out, _ = run(capsys, monkeypatch, "--data", str(folder), "--now", "2026-11-25T10:00")
    assert code == 0
    assert "Zeitraum: 2026-11-01 bis 2026-11-25 (laufender Monat bis heute)" in out


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
    assert f"CSV geschrieben: {target}" in out.replace("\n", " ")
    rows = _read_csv(target)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header == [
        "Von",
        "Bis",
        "Sprache",
        "Schlüssel",
        "Gezogen",
        "Bedient",
        "Nicht erschienen",
        "Storniert",
        "Verfallen",
        "Offen geblieben",
        "Wartezeit Median (Min.)",
        "Wartezeit 90 % (Min.)",
        "Beratungsdauer Median (Min.)",
    ]
    columns = ["from", "to", "language", "key", *stats.COLUMNS]
    by_lang = {row[3]: dict(zip(columns, row, strict=True)) for row in body}
    for code_, visits_of in _group(visits, lambda v: v.lang).items():
        truth = expected(visits_of)
        row = by_lang[code_]
        assert row["language"] == f"{config.languages[code_].native_name} ({code_})"
        for name, value in truth.counts().items():
            assert int(row[name]) == value, (code_, name)
        assert int(row["wait_median"]) == stats.percentile(truth.wait, 50)
        assert int(row["wait_p90"]) == stats.percentile(truth.wait, 90)
    assert "Українська (uk)" in by_lang["uk"]["language"]
    assert total[2] == "Gesamt" and int(total[4]) == len(visits)
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
        "description": "November 2026 (Vormonat)",
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
    assert "Zeitraum: August 2026 (gewählter Monat)" in out
    assert "In diesem Zeitraum wurden keine Nummern gezogen." in out
    assert "A: Sprechstunde" in out and "U: Neu aus der" in out  # every topic, with zeros
    rows = _read_csv(target)
    topics = load_config(SHIPPED).topics
    assert len(rows) == 1 + len(topics) + 1 and rows[-1][2] == "Gesamt" and rows[-1][4] == "0"
    assert [row[3] for row in rows[1:-1]] == [t.id for t in topics]
    assert all(row[4:] == ["0"] * 6 + [""] * 3 for row in rows[1:])


def test_lang_en_for_an_english_table_and_csv_with_the_same_figures(
    week, capsys, monkeypatch, tmp_path
):
    """German is the site's staff language; --lang en gives English words, the same figures,
    and JSON with the same keys either way."""
    folder, _, visits = week
    base = ["--data", str(folder), "--month", "2026-11", "--now", "2026-12-10T09:00"]
    german, english = tmp_path / "de.csv", tmp_path / "en.csv"
    code, out, _ = run(capsys, monkeypatch, *base, "--lang", "en", "--csv", str(english))
    assert code == 0
    assert "Period: November 2026 (chosen month)" in out
    assert "By topic; 5 day(s) from day files." in out
    assert "Expired: still waiting at the end of the day." in out.replace("\n", " ")
    assert max(len(line) for line in out.splitlines() if "CSV" not in line) <= 80
    code, out, _ = run(capsys, monkeypatch, *base, "--csv", str(german))
    assert "Verfallen: bei Tagesende noch wartend." in out.replace("\n", " ")
    assert max(len(line) for line in out.splitlines() if "CSV" not in line) <= 80
    de_rows, en_rows = _read_csv(german), _read_csv(english)
    assert en_rows[0][:6] == ["From", "To", "Topic", "Key", "Issued", "Served"]
    assert en_rows[0][-3:] == [
        "Wait median (min)",
        "Wait 90th percentile (min)",
        "Service median (min)",
    ]
    assert [r[4:] for r in de_rows[1:]] == [r[4:] for r in en_rows[1:]]
    assert (de_rows[-1][2], en_rows[-1][2]) == ("Gesamt", "Total")
    assert int(en_rows[-1][4]) == len(visits)
    jsons = []
    for lang in ("de", "en"):
        code, out, _ = run(capsys, monkeypatch, *base, "--json", "--lang", lang)
        jsons.append(json.loads(out))
    assert jsons[0]["period"]["description"] == "November 2026 (gewählter Monat)"
    assert jsons[1]["period"]["description"] == "November 2026 (chosen month)"
    assert jsons[0]["groups"] == jsons[1]["groups"] and jsons[0]["total"] == jsons[1]["total"]
    assert set(jsons[0]["total"]) == set(stats.COLUMNS)


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
