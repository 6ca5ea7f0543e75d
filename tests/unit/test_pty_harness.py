"""The pseudo-terminal benchmarks' harness times what the program drew, not its own parsing.

`wait_for` must report the read time of the chunk that completed the condition, and parse
nothing while the program is still writing: pyte parses about 1 KiB per ms in pure Python, and
parsing as the chunks came stamped the ticket frame several ms late (the harness measured
itself, more for big frames than for the bare switch it is compared to).
"""

from __future__ import annotations

import queue
import sys

import pytest

from tests.benchmarks.pty_harness import PtyProcess, Timeout


class ScriptedOutput(queue.Queue):
    """Stands in for the reader thread's queue: hands out the given (read time, bytes) chunks,
    then "nothing more came" (the program paused); notes how many chunks had been parsed at
    each read."""

    def __init__(self, chunks: list[tuple[float, bytes]], parsed: list[bytes]) -> None:
        super().__init__()
        self.script = list(chunks)
        self.parsed = parsed
        self.parsed_at_each_read: list[int] = []

    def get(self, block: bool = True, timeout: float | None = None):
        self.parsed_at_each_read.append(len(self.parsed))
        if self.script:
            return self.script.pop(0)
        raise queue.Empty


@pytest.fixture
def idle_program():
    """A real pty child that writes nothing (its output is scripted by the test)."""
    proc = PtyProcess([sys.executable, "-c", "import sys; sys.stdin.read()"])
    yield proc
    proc.close()


@pytest.fixture
def ended_program():
    """A real pty child that ends at once, writing nothing."""
    proc = PtyProcess([sys.executable, "-c", "pass"])
    yield proc
    proc.close()


def script(proc: PtyProcess, chunks: list[tuple[float, bytes]]) -> ScriptedOutput:
    parsed: list[bytes] = []
    feed = proc.stream.feed

    def recording_feed(data: bytes) -> None:
        parsed.append(data)
        feed(data)

    proc.stream.feed = recording_feed  # type: ignore[method-assign]
    proc._chunks = ScriptedOutput(chunks, parsed)
    return proc._chunks


def frame(row: int, text: str, filler: int = 0) -> bytes:
    """Escape sequences drawing `text` at `row`, padded with `filler` styled spaces."""
    return f"\x1b[{row};1H{text}".encode() + b"\x1b[48;2;0;0;0m \x1b[0m" * filler


def test_returns_the_read_time_of_the_chunk_that_completed_the_screen(idle_program):
    script(
        idle_program,
        [
            (10.0, frame(1, "Ihre Nummer", 200)),
            (10.004, frame(2, "A-001", 200)),  # the condition holds from here
            (10.009, frame(3, "Fertig", 200)),
        ],
    )
    at = idle_program.wait_for(lambda text: "Ihre Nummer" in text and "A-001" in text, timeout=1)
    assert at == 10.004
    assert "Fertig" in idle_program.text()  # the rest of the burst is parsed too


def test_parses_nothing_until_the_program_pauses(idle_program):
    output = script(
        idle_program,
        [(1.0, frame(1, "Ihre", 300)), (1.001, frame(2, "Nummer", 300)), (1.002, frame(3, "A"))],
    )
    idle_program.wait_for(lambda text: "Nummer" in text, timeout=1)
    # Four reads: three chunks and the pause; nothing was parsed before the pause.
    assert output.parsed_at_each_read == [0, 0, 0, 0]
    assert len(output.parsed) == 3


def test_a_condition_never_met_times_out(idle_program):
    script(idle_program, [(1.0, frame(1, "Sprache"))])
    with pytest.raises(Timeout, match="condition not met"):
        idle_program.wait_for(lambda text: "Fertig" in text, timeout=0.05)
    assert "Sprache" in idle_program.text()


def test_a_program_that_ended_is_reported(ended_program):
    script(ended_program, [(1.0, frame(1, "Sprache")), (1.1, b"")])
    with pytest.raises(Timeout, match="ended"):
        ended_program.wait_for(lambda text: "Fertig" in text, timeout=1)
    assert "Sprache" in ended_program.text()
