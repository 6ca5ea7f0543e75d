"""Speech module: espeak-ng speaks every visitor language, a key interrupts, nothing blocks, a
missing engine or sound card is logged once and the rest goes on."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.audio.sound import read_samples, silence, to_wav
from kiosk.audio.speech import DEFAULT_VOLUME, VOLUMES, Speaker, Utterance, make_speaker
from kiosk.core.config import load_config

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "en", "uk", "ru", "ar", "tr", "fa")

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="espeak-ng is not installed (.ci/run installs it)",
)

pytestmark = pytest.mark.usefixtures("kiosk_logs_propagate")


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.01)


def script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def fake_engine(tmp_path: Path) -> str:
    """An espeak-ng stand-in: records its arguments and writes a short WAV where -w says."""
    fixture = tmp_path / "fixture.wav"
    fixture.write_bytes(to_wav(silence(0.05)))
    return script(
        tmp_path / "engine",
        f'echo "$@" >> {tmp_path}/engine.args\n'
        'while [ $# -gt 0 ]; do [ "$1" = "-w" ] && out="$2"; shift; done\n'
        f'cp {fixture} "$out"\n',
    )


def speech_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("speech[")]


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@needs_espeak
def test_espeak_speaks_every_visitor_language_into_a_wav(tmp_path):
    config = load_config(ROOT / "config")
    delivered: list[bytes] = []
    speaker = Speaker(deliver=lambda wav, interrupt: delivered.append(wav))
    for code in LANGUAGES:
        words = config.languages[code].visitor["your_number"]
        speaker.say([Utterance(code, f"{words}: A, 0, 0, 7")], interrupt=False)
    wait_until(lambda: speaker.spoken == len(LANGUAGES), timeout=60)
    assert len(delivered) == len(LANGUAGES)
    for code, wav in zip(LANGUAGES, delivered, strict=True):
        path = tmp_path / f"{code}.wav"
        path.write_bytes(wav)
        samples, rate = read_samples(wav)
        assert rate == 22050
        if shutil.which("soxi"):  # the file is a WAV another tool reads, and lasts
            seconds = float(subprocess.check_output(["soxi", "-D", str(path)], text=True))
        else:
            seconds = len(samples) / rate
        assert seconds > 1.0, (code, seconds)  # a phrase and four characters, not a click
        assert max(abs(s) for s in samples) > 3000, code  # audible, not silence


def test_every_utterance_is_logged_when_handed_over(caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    speaker = Speaker(engine=None)
    speaker.say([Utterance("de", "Ihre Nummer: A, 0, 0, 7"), Utterance("ar", "رقمك")])
    assert speech_lines(caplog) == ["speech[de]: Ihre Nummer: A, 0, 0, 7", "speech[ar]: رقمك"]
    speaker.repeat()
    assert speech_lines(caplog)[-2:] == ["speech[de]: Ihre Nummer: A, 0, 0, 7", "speech[ar]: رقمك"]


def test_say_returns_while_the_sound_still_plays_and_the_next_one_interrupts_it(tmp_path):
    record = tmp_path / "played"
    player = script(tmp_path / "player", f"echo $$ >> {record}\nexec sleep 60\n")
    speaker = Speaker(engine=fake_engine(tmp_path), player=[player, "{file}"])
    speaker.say([Utterance("de", "Wobei brauchen Sie Hilfe?")])
    # say() came back at once; the player is started (and stays) on the speech thread
    wait_until(lambda: record.exists() and record.read_text().strip())
    assert speaker.spoken == 0
    first = int(record.read_text().split()[0])
    speaker.say([Utterance("de", "Ihre Nummer: A, 0, 0, 1")])  # the next key's screen
    wait_until(lambda: len(record.read_text().split()) == 2)
    wait_until(lambda: not Path(f"/proc/{first}").exists() or _zombie(first))
    assert speaker.spoken == 1  # the first announcement ended (killed), the second plays
    speaker.stop()
    wait_until(lambda: speaker.spoken == 2)
    speaker.close()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_no_audio_device_is_logged_once_and_speech_goes_on(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    player = script(
        tmp_path / "player",
        "echo 'aplay: main:831: audio open error: No such device' >&2\nexit 1\n",
    )
    speaker = Speaker(engine=fake_engine(tmp_path), player=[player, "{file}"])
    for n in range(3):
        speaker.say([Utterance("uk", f"Номер {n}")], interrupt=False)
    wait_until(lambda: speaker.spoken == 3)
    problems = warnings(caplog)
    assert len(problems) == 1 and "No such device" in problems[0]
    assert len(speech_lines(caplog)) == 3


def test_no_engine_is_logged_once_and_the_texts_are_still_logged(tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="kiosk.speech")
    monkeypatch.setenv("PATH", str(tmp_path))  # neither espeak-ng nor a player
    speaker = make_speaker()
    assert speaker.engine is None
    speaker.say([Utterance("de", "Taste 1")])
    speaker.say([Utterance("de", "Taste 2")])
    wait_until(lambda: speaker.spoken == 2)
    assert speech_lines(caplog) == ["speech[de]: Taste 1", "speech[de]: Taste 2"]
    assert len(warnings(caplog)) == 1 and "espeak-ng not found" in warnings(caplog)[0]
    # an engine that cannot start (removed after start-up): one warning more, once
    broken = Speaker(engine=str(tmp_path / "gone"), player=["true", "{file}"])
    broken.say([Utterance("de", "eins")], interrupt=False)
    broken.say([Utterance("de", "zwei")], interrupt=False)
    wait_until(lambda: broken.spoken == 2)
    assert len(warnings(caplog)) == 2


def test_volume_steps_and_returns_to_the_default(tmp_path):
    speaker = Speaker(engine=fake_engine(tmp_path), player=["true", "{file}"])
    speaker.louder()
    speaker.say([Utterance("de", "lauter")])
    wait_until(lambda: speaker.spoken == 1)
    speaker.reset()
    speaker.say([Utterance("de", "normal")])
    wait_until(lambda: speaker.spoken == 2)
    args = (tmp_path / "engine.args").read_text().splitlines()
    assert f"-a {VOLUMES[DEFAULT_VOLUME + 1]} " in args[0]
    assert f"-a {VOLUMES[DEFAULT_VOLUME]} " in args[1]
    for _ in range(10):
        speaker.quieter()
    assert speaker.volume == 0
