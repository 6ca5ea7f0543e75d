"""[printer] in site.toml (check-config's one-line messages) and the printing commands:
`kiosk issue --print` and `kiosk print-test` (issue 18)."""

from __future__ import annotations

import json

import pytest
import zxingcpp

from kiosk.cli import main
from kiosk.core.config import ConfigError, load_config
from kiosk.core.printer import PrinterState, read_state, write_state
from tests.config_copy import copy_shipped
from tests.escpos_raster import parse_job, split_jobs

pytestmark = pytest.mark.usefixtures("kiosk_logs_reach_caplog")

WEDNESDAY = "2026-12-09T13:05"


def with_printer(tmp_path, section: str):
    folder = copy_shipped(tmp_path)
    with (folder / "site.toml").open("a", encoding="utf-8") as out:
        out.write(f"\n[printer]\n{section}\n")
    return folder


def problems(tmp_path, section: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(with_printer(tmp_path, section))
    return caught.value.problems


def test_no_printer_section_means_no_printer():
    from tests.config_copy import SHIPPED

    assert load_config(SHIPPED).site.printer is None


def test_a_valid_section_is_read_with_defaults(tmp_path):
    printer = load_config(
        with_printer(tmp_path, 'kind = "network"\naddress = "192.168.1.50"')
    ).site.printer
    assert (printer.kind, printer.address, printer.paper_width, printer.dots, printer.mode) == (
        "network",
        "192.168.1.50",
        80,
        576,
        "button",
    )
    narrow = load_config(
        with_printer(
            tmp_path / "b",
            'kind = "usb"\naddress = "0x04b8:0x0e15"\npaper_width = 58\nmode = "every"',
        )
    ).site.printer
    assert (narrow.dots, narrow.mode) == (384, "every")


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('kind = "lpt"', 'site.toml: printer.kind: "lpt" is not "usb" or "serial"'),
        ("address = '/dev/usb/lp0'", "site.toml: printer.kind: missing"),
        ('kind = "usb"', 'site.toml: printer.address: missing: a "usb" printer needs'),
        ('kind = "serial"\naddress = "COM3"', 'site.toml: printer.address: "COM3" is not'),
        ('kind = "network"\naddress = "1.2.3.4:0"', "site.toml: printer.address: "),
        ('kind = "file"', "site.toml: printer.path: missing"),
        ('kind = "file"\npath = "out.bin"', "site.toml: printer.path: "),
        (
            'kind = "file"\npath = "/tmp/x.bin"\naddress = "1.2.3.4"',
            'site.toml: printer.address: is not used by kind "file"',
        ),
        ('kind = "usb"\naddress = "04b8:0e15"\npaper_width = 76', "printer.paper_width: 76 is not"),
        ('kind = "usb"\naddress = "04b8:0e15"\nmode = "auto"', "printer.mode: "),
        ('kind = "usb"\naddress = "04b8:0e15"\nwidth = 80', 'did you mean "paper_width"'),
    ],
)
def test_bad_sections_get_one_line_each(tmp_path, section, expected):
    found = problems(tmp_path, section)
    assert len(found) == 1, found
    assert found[0].startswith(expected) or expected in found[0], found
    assert "\n" not in found[0]


def test_check_config_reports_the_printer(tmp_path, capsys):
    folder = with_printer(tmp_path, 'kind = "serial"\naddress = "/dev/ttyUSB0"\nmode = "every"')
    assert main(["check-config", "--config", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Printer:    serial /dev/ttyUSB0, 80 mm (576 dots), prints every ticket" in out


def test_check_config_one_line_for_a_bad_printer(tmp_path, capsys):
    folder = with_printer(tmp_path, 'kind = "network"')
    assert main(["check-config", "--config", str(folder)]) == 2
    err = capsys.readouterr()
    lines = [line for line in (err.out + err.err).splitlines() if "printer" in line]
    assert lines == [
        '  site.toml: printer.address: missing: a "network" printer needs a host or host:port, '
        'e.g. "192.168.1.50" or "192.168.1.50:9100"'
    ]


# ---- the commands -------------------------------------------------------------------------------


def run(capsys, *args):
    code = main([*args])
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_print_prints_the_issued_ticket_through_the_file_kind(tmp_path, capsys):
    printed = tmp_path / "printed.bin"
    folder = with_printer(tmp_path, f'kind = "file"\npath = "{printed}"')
    data = tmp_path / "data"
    common = ["--config", str(folder), "--data", str(data), "--now", WEDNESDAY]
    for lang in ("uk", "fa"):
        code, out, err = run(capsys, "issue", "--topic", "kim", "--lang", lang, "--print", *common)
        assert code == 0, err
    code, out, err = run(
        capsys, "issue", "--topic", "kim", "--lang", "ar", "--print", "--json", *common
    )
    assert json.loads(out)["printed"] is True
    jobs = split_jobs(printed.read_bytes())
    assert len(jobs) == 3
    image, _ = parse_job(jobs[2])
    texts = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert len(texts) == 1 and "A-003" in texts[0]
    assert read_state(data).ok


def test_issue_print_fails_loudly_but_keeps_the_ticket(tmp_path, capsys):
    folder = with_printer(tmp_path, 'kind = "network"\naddress = "127.0.0.1:8798"')
    data = tmp_path / "data"
    common = ["--config", str(folder), "--data", str(data), "--now", WEDNESDAY]
    code, out, err = run(
        capsys, "issue", "--topic", "kim", "--lang", "de", "--print", "--json", *common
    )
    assert code == 0
    result = json.loads(out)
    assert result["number"] == "A-001" and result["printed"] is False
    assert err.count("\n") == 1 and "A-001 issued but not printed" in err
    state = read_state(data)
    assert state is not None and not state.ok
    # The next ticket gets the next number: the failed print neither lost nor repeated one.
    code, out, err = run(capsys, "issue", "--topic", "kim", "--lang", "de", "--json", *common)
    assert json.loads(out)["number"] == "A-002"


def test_issue_print_without_a_printer_issues_nothing(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    data = tmp_path / "data"
    common = ["--config", str(folder), "--data", str(data), "--now", WEDNESDAY]
    code, out, err = run(capsys, "issue", "--topic", "kim", "--lang", "de", "--print", *common)
    assert code == 2 and out == ""
    assert err.strip() == (
        "kiosk: --print: no printer configured: add a [printer] section to site.toml"
    )
    code, out, err = run(capsys, "issue", "--topic", "kim", "--lang", "de", "--json", *common)
    assert json.loads(out)["number"] == "A-001"


def test_print_test_prints_a_sample_and_reports_the_status(tmp_path, capsys):
    printed = tmp_path / "printed.bin"
    folder = with_printer(tmp_path, f'kind = "file"\npath = "{printed}"\npaper_width = 58')
    data = tmp_path / "data"
    data.mkdir()
    write_state(data, PrinterState(False, "out of paper", "2026-12-09T12:00"))
    code, out, err = run(
        capsys,
        "print-test",
        "--lang",
        "fa",
        "--config",
        str(folder),
        "--data",
        str(data),
        "--now",
        WEDNESDAY,
    )
    assert code == 0, err
    assert read_state(data).ok  # a good test print clears the staff warning
    assert "status: ready" in out and "sample (fa): sent to the printer" in out
    image, _ = parse_job(printed.read_bytes())
    assert image.width == 384
    texts = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert len(texts) == 1 and "A-000" in texts[0]


def test_print_test_unreachable_printer_is_one_line_and_exit_2(tmp_path, capsys):
    folder = with_printer(tmp_path, 'kind = "network"\naddress = "127.0.0.1:8797"')
    code, out, err = run(capsys, "print-test", "--config", str(folder), "--json")
    assert code == 2
    result = json.loads(out)  # exactly one object on one line
    assert out.count("\n") == 1
    assert result["printed"] is False and result["status"].startswith("not reachable")
    assert result["error"].startswith("not printed: network 127.0.0.1:8797")
    code, out, err = run(capsys, "print-test", "--config", str(folder))
    assert code == 2 and out.startswith("printer: network 127.0.0.1:8797")
    assert err.count("\n") == 1 and err.startswith("kiosk: not printed: network 127.0.0.1:8797")


def test_print_test_without_printer_and_with_a_bad_language(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    code, _, err = run(capsys, "print-test", "--config", str(folder))
    assert code == 2 and "no printer configured" in err
    folder = with_printer(tmp_path / "b", 'kind = "file"\npath = "/tmp/h18-never.bin"')
    code, _, err = run(capsys, "print-test", "--lang", "xx", "--config", str(folder))
    assert code == 2 and err.count("\n") == 1 and '"xx" is not a visitor language' in err
