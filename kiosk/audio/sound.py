"""WAV helpers: the call chime, joining utterances into one sound, silence between them.

Everything is 16-bit mono PCM at espeak-ng's rate, so one announcement is one file: one
player process on the box, one download for a browser.
"""

from __future__ import annotations

import io
import math
from array import array

RATE = 22050
"""espeak-ng's output rate; the chime and the pauses are made at the same rate."""


def chime(volume: float = 1.0, rate: int = RATE) -> array:
    """A two-tone "ding-dong" (E5 then C5, each fading out): the display's call signal."""
    samples = array("h")
    for frequency in (659.25, 523.25):
        length = int(rate * 0.45)
        for i in range(length):
            fade = math.exp(-4.0 * i / length)
            value = 0.45 * volume * fade * math.sin(2 * math.pi * frequency * i / rate)
            samples.append(int(max(-1.0, min(1.0, value)) * 32767))
    return samples


def silence(seconds: float, rate: int = RATE) -> array:
    return array("h", bytes(2 * int(rate * seconds)))


def read_samples(data: bytes) -> tuple[array, int]:
    """The 16-bit mono samples of a WAV file and its rate."""
    import wave  # here, not above: the kiosk's first frame has no sound to make

    with wave.open(io.BytesIO(data)) as reader:
        if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
            raise ValueError("not 16-bit mono")
        rate = reader.getframerate()
        samples = array("h", reader.readframes(reader.getnframes()))
    return samples, rate


def to_wav(samples: array, rate: int = RATE) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return out.getvalue()
