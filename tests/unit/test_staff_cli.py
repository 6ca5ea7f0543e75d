"""`kiosk staff` / `kiosk display` options: problems a person can fix end with exit 2 and one line."""

from __future__ import annotations

from kiosk.cli import main
from tests.staff_support import SHIPPED


def test_unknown_desk_lists_the_known_ones(tmp_path, capsys):
    code = main(["staff", "--desk", "kasse", "--config", str(SHIPPED), "--data", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1
    assert '"kasse"' in err[0]
    for desk in ("raum1", "raum2", "tisch_ba", "tisch_vhs", "jsl"):
        assert desk in err[0]


def test_staff_language_must_be_a_staff_language(tmp_path, capsys):
    code = main(
        [
            "staff",
            "--lang",
            "uk",
            "--desk",
            "raum1",
            "--config",
            str(SHIPPED),
            "--data",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "de, en" in err[0]


def test_bad_now_is_one_line(tmp_path, capsys):
    code = main(["display", "--now", "gestern", "--config", str(SHIPPED), "--data", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
