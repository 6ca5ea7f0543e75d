"""Speech: announcements spoken by espeak-ng (offline) from one queue, off the UI thread.

`Speaker.say` only logs the text and hands it to a worker thread: the screen never waits
for the engine or the sound card. A new announcement interrupts the one playing (the next
key press means the visitor has moved on); display calls queue behind each other instead.

Every utterance is logged at info level as ``speech[<lang>]: <text>`` when it is handed over
(screen texts and ticket numbers only; nothing personal reaches a screen). A missing engine,
a missing player or a sound card that refuses is logged once, as a warning; the screens go on
as before. Where the sound must go to a browser (`kiosk serve`), the app passes `deliver`,
which gets each announcement as one WAV file instead of a player playing it on the box.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.audio.sound import chime, read_samples, silence, to_wav

log = logging.getLogger("kiosk.speech")

ENGINE = "espeak-ng"

VOICES: dict[str, str] = {
    "de": "de",
    "en": "en-gb",
    "uk": "uk",
    "ru": "ru",
    "ar": "ar",
    "tr": "tr",
    "fa": "fa",
}
"""Language code -> espeak-ng voice; other codes are passed on as they are."""

WORDS_PER_MINUTE = 150
"""A little slower than espeak-ng's 175: many listeners are learning the language."""

VOLUMES = (40, 70, 100, 140, 200)
"""espeak-ng amplitudes a visitor steps through (+ and -); the default is DEFAULT_VOLUME."""
DEFAULT_VOLUME = 2

PLAYERS: tuple[tuple[str, ...], ...] = (
    ("pw-play", "{file}"),
    ("paplay", "{file}"),
    ("aplay", "-q", "{file}"),
    ("play", "-q", "{file}"),
)
"""Players tried in order when none is configured (PipeWire, PulseAudio, ALSA, sox)."""

PAUSE_SECONDS = 0.35
"""Silence between the utterances of one announcement."""


@dataclass(frozen=True)
class Utterance:
    """One sentence (or list) spoken in one language."""

    lang: str
    text: str


def find_player(configured: str = "") -> list[str] | None:
    """The command that plays a WAV file ("{file}" stands for it), or None when none exists.

    `configured` is the admin's command line (site.toml), e.g. "aplay -D plughw:1 {file}".
    """
    if configured:
        parts = configured.split()
        if "{file}" not in parts:
            parts.append("{file}")
        return parts
    for candidate in PLAYERS:
        if shutil.which(candidate[0]):
            return list(candidate)
    return None


@dataclass
class _Job:
    generation: int
    utterances: tuple[Utterance, ...]
    chime: bool
    volume: int
    interrupt: bool


class Speaker:
    """A queue of announcements and the thread that speaks them.

    Args:
        engine: the espeak-ng executable; None speaks nothing (the texts are still logged).
        player: the command that plays a WAV file ("{file}" for its path); None plays nothing.
        deliver: instead of playing, hand each announcement's WAV bytes to this callable with
            whether it interrupts what plays (False: it queues); called on the speech thread;
            a browser plays them.
    """

    def __init__(
        self,
        *,
        engine: str | None = ENGINE,
        player: Sequence[str] | None = None,
        deliver: Callable[[bytes, bool], None] | None = None,
    ) -> None:
        self.engine = engine
        self.player = list(player) if player else None
        self.deliver = deliver
        self.volume = DEFAULT_VOLUME
        """Index into VOLUMES."""
        self.last: tuple[Utterance, ...] = ()
        """The last announcement (repeated on request)."""
        self.spoken = 0
        """Announcements finished by the thread (played, delivered or given up): tests wait on it."""
        self._lock = threading.Condition()
        self._jobs: deque[_Job] = deque()
        self._generation = 0
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._warned: set[str] = set()

    # ---- what the apps call (UI thread; returns at once) ----------------------------------

    def say(
        self, utterances: Sequence[Utterance], *, interrupt: bool = True, chime: bool = False
    ) -> None:
        """Speak `utterances` as one announcement: at once (stopping what plays) or, with
        interrupt=False, after what is queued."""
        utterances = tuple(u for u in utterances if u.text.strip())
        if not utterances and not chime:
            return
        for utterance in utterances:
            log.info("speech[%s]: %s", utterance.lang, utterance.text)
        with self._lock:
            if self._closed:
                return
            if self.engine is None and self.player is None and self.deliver is None:
                self.last = utterances or self.last
                self.spoken += 1  # nothing could make a sound: the log is all
                return
            if interrupt:
                self._interrupt_locked()
            self.last = utterances or self.last
            self._jobs.append(
                _Job(self._generation, utterances, chime, VOLUMES[self.volume], interrupt)
            )
            self._start_locked()
            self._lock.notify_all()

    def repeat(self) -> None:
        """Say the last announcement again (the visitor asked)."""
        if self.last:
            self.say(self.last)

    def stop(self) -> None:
        """Silence: stop what plays and forget what is queued (a key was pressed)."""
        with self._lock:
            self._interrupt_locked()

    def louder(self) -> None:
        self.volume = min(len(VOLUMES) - 1, self.volume + 1)

    def quieter(self) -> None:
        self.volume = max(0, self.volume - 1)

    def reset(self) -> None:
        """End of a visit: default volume, nothing left to repeat, silence."""
        self.volume = DEFAULT_VOLUME
        self.last = ()
        self.stop()

    def close(self) -> None:
        """Stop speaking for good (the app ends); never waits for the engine."""
        with self._lock:
            self._closed = True
            self._interrupt_locked()
            self._lock.notify_all()

    # ---- the speech thread ----------------------------------------------------------------

    def _interrupt_locked(self) -> None:
        self._generation += 1
        self._jobs.clear()
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()

    def _start_locked(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
            self._thread.start()

    def _current(self, job: _Job) -> bool:
        return job.generation == self._generation and not self._closed

    def _run(self) -> None:
        with tempfile.TemporaryDirectory(prefix="kiosk-speech-") as folder:
            while True:
                with self._lock:
                    while not self._jobs and not self._closed:
                        self._lock.wait()
                    if self._closed:
                        return
                    job = self._jobs.popleft()
                try:
                    self._speak(job, Path(folder))
                except Exception:  # never let one announcement end the speech thread
                    log.exception("speech")
                with self._lock:
                    self.spoken += 1
                    self._lock.notify_all()

    def _speak(self, job: _Job, folder: Path) -> None:
        samples = chime(job.volume / 100) if job.chime else None
        rate = 22050
        for utterance in job.utterances:
            data = self._synthesize(job, utterance, folder / "utterance.wav")
            if data is None:
                if not self._current(job):
                    return
                continue
            part, rate = read_samples(data)
            if samples is None:
                samples = part
            else:
                samples += silence(PAUSE_SECONDS, rate)
                samples += part
        if samples is None or not self._current(job):
            return
        wav = to_wav(samples, rate)
        if self.deliver is not None:
            self.deliver(wav, job.interrupt)
            return
        if self.player is None:
            self._warn_once("player", "no audio player found (pw-play, paplay, aplay, play)")
            return
        target = folder / "announcement.wav"
        target.write_bytes(wav)
        command = [str(target) if part == "{file}" else part for part in self.player]
        result = self._run_process(job, command)
        if result is not None and result[0] != 0:
            self._warn_once("device", f"cannot play sound ({command[0]}): {result[1]}")

    def _synthesize(self, job: _Job, utterance: Utterance, target: Path) -> bytes | None:
        if self.engine is None:
            return None
        voice = VOICES.get(utterance.lang, utterance.lang)
        command = [
            self.engine,
            "-v",
            voice,
            "-s",
            str(WORDS_PER_MINUTE),
            "-a",
            str(job.volume),
            "-w",
            str(target),
        ]
        result = self._run_process(job, command, stdin=utterance.text)
        if result is None:
            return None
        code, problem = result
        if code != 0:
            self._warn_once(f"voice-{voice}", f"{self.engine} -v {voice}: {problem}")
            return None
        return target.read_bytes()

    def _run_process(
        self, job: _Job, command: list[str], stdin: str | None = None
    ) -> tuple[int, str] | None:
        """Run `command` as the current process (a key press kills it); None when it was
        interrupted or cannot start."""
        with self._lock:
            if not self._current(job):
                return None
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    start_new_session=True,  # a terminal's Ctrl+C does not reach it
                    env={**os.environ, "LC_ALL": "C.UTF-8"},
                )
            except OSError as error:
                self._warn_once(command[0], f"cannot start {command[0]}: {error.strerror}")
                return None
            self._process = process
        try:
            _, errors = process.communicate(stdin.encode() if stdin is not None else None)
        finally:
            with self._lock:
                self._process = None
        if not self._current(job):
            return None
        lines = errors.decode(errors="replace").strip().splitlines()
        return process.returncode, (lines[-1] if lines else f"exit status {process.returncode}")

    def _warn_once(self, what: str, message: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            log.warning("%s; nothing is heard, the screens work as before", message)


def make_speaker(player: str = "", deliver: Callable[[bytes, bool], None] | None = None) -> Speaker:
    """The speaker an app uses: espeak-ng if installed, the configured or first found player.

    A missing engine is logged once here; the texts are still logged as they are spoken.
    """
    engine = shutil.which(ENGINE)
    if engine is None:
        log.warning("%s not found: nothing is spoken; the screens work as before", ENGINE)
    return Speaker(engine=engine, player=None if deliver else find_player(player), deliver=deliver)
