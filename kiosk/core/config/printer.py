"""[printer] in site.toml: the optional thermal printer; no section, no printing."""

from __future__ import annotations

import re

from kiosk.core.config.checker import Table, show
from kiosk.core.config.models import PAPER_DOTS, Printer

KINDS = ("usb", "serial", "network", "file")
MODES = ("button", "every")
DOTS = PAPER_DOTS

_USB_RE = re.compile(r"(?:0x)?([0-9a-fA-F]{1,4}):(?:0x)?([0-9a-fA-F]{1,4})")
_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]")
_ADDRESS_EXAMPLE = {
    "usb": 'vendor:product in hex, e.g. "04b8:0e15" (lsusb shows it)',
    "serial": 'a device, e.g. "/dev/ttyUSB0"',
    "network": 'a host or host:port, e.g. "192.168.1.50" or "192.168.1.50:9100"',
}


def _valid_address(kind: str, address: str) -> bool:
    """Whether `address` has the form of a `kind` printer's address (not whether it answers)."""
    if kind == "usb":
        return bool(_USB_RE.fullmatch(address))
    if kind == "serial":
        return address.startswith("/dev/") and len(address) > 5
    host, port = address, ""
    if address.count(":") == 1:
        host, port = address.split(":")
    return bool(_HOST_RE.fullmatch(host)) and (
        not port or (port.isdigit() and 0 < int(port) < 65536)
    )


def read_printer(table: Table) -> tuple[bool, Printer | None]:
    """(ok, printer) from the [printer] table; problems go to the table's report."""
    kind = table.choice("kind", KINDS, default=None)
    width = table.integer("paper_width", default=80, minimum=1, unit="mm")
    if width is not None and width not in DOTS:
        table.error("paper_width", f"{show(width)} is not 80 or 58 (mm)")
        width = None
    dots = table.integer("dots", default=DOTS.get(width or 80), minimum=64, unit="dots per line")
    if dots is not None and dots > 2048:
        table.error("dots", f"{dots} is too many dots per line (80 mm printers have 512 or 576)")
        dots = None
    mode = table.choice("mode", MODES, default="button")
    ok = None not in (kind, width, dots, mode)

    address = path = ""
    baudrate: int | None = 9600
    if kind in _ADDRESS_EXAMPLE:
        value = table.text("address") if "address" in table.data else None
        if "address" not in table.data:
            table.used.add("address")
            table.error("address", f'missing: a "{kind}" printer needs {_ADDRESS_EXAMPLE[kind]}')
            ok = False
        elif value is None:
            ok = False
        elif not _valid_address(kind, value.strip()):
            table.error("address", f"{show(value)} is not {_ADDRESS_EXAMPLE[kind]}")
            ok = False
        else:
            address = value.strip()
    if kind == "serial":
        baudrate = table.integer("baudrate", default=9600, minimum=1200, unit="baud")
        ok = ok and baudrate is not None
    if kind == "file":
        value = table.text("path") if "path" in table.data else None
        if "path" not in table.data:
            table.used.add("path")
            table.error(
                "path",
                'missing: a "file" printer needs the file to append to, e.g. "/tmp/tickets.bin"',
            )
        if value is None:
            ok = False
        elif not value.startswith("/"):
            table.error("path", f'{show(value)} is not an absolute path, e.g. "/tmp/tickets.bin"')
            ok = False
        else:
            path = value
    # Keys that belong to another kind are read (so done() does not call them unknown) but
    # said to be wrong here: a forgotten `address` next to kind = "file" is a mistake.
    # Without a valid kind they are only marked read: the kind's own error says what is wrong.
    for key, kinds in (
        ("address", tuple(_ADDRESS_EXAMPLE)),
        ("path", ("file",)),
        ("baudrate", ("serial",)),
    ):
        if key in table.data and key not in table.used:
            table.used.add(key)
            if kind is not None:
                table.error(key, f'is not used by kind "{kind}" (only by {", ".join(kinds)})')
                ok = False
    table.done()
    if not ok:
        return False, None
    return True, Printer(
        kind=kind,  # type: ignore[arg-type]
        address=address,
        path=path,
        paper_width=width,  # type: ignore[arg-type]
        dots=dots,  # type: ignore[arg-type]
        mode=mode,  # type: ignore[arg-type]
        baudrate=baudrate or 9600,
    )
