"""A `kiosk serve` process on a free loopback port, for the serve tests (127.0.0.1 only)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "config"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kiosk_command(*args: str, data: Path) -> list[str]:
    return [sys.executable, "-m", "kiosk", "--config", str(CONFIG), "--data", str(data), *args]


def app_processes(data: Path, subcommand: str = "run") -> list[int]:
    """Process ids of the app processes `kiosk serve` started for this data folder."""
    # "--": the pattern starts with a dash, which pgrep would take for an option
    found = subprocess.run(
        ["pgrep", "-f", "--", f"--data {data} {subcommand}"], capture_output=True, text=True
    )
    assert found.returncode in (0, 1), found.stderr
    return [int(pid) for pid in found.stdout.split()]


class Served:
    def __init__(self, tmp_path: Path, *args: str, host: str = "127.0.0.1"):
        self.port = free_port()
        self.data = tmp_path / "data"
        self.log = tmp_path / "serve.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                kiosk_command(
                    "serve", *args, "--host", host, "--port", str(self.port), data=self.data
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"not listening: {self.log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text()
