"""The apps' speaker: sound on the box's audio, or handed to the browser under `kiosk serve`.

In a browser (textual-serve) each announcement is delivered to the page as a WAV file, which the
page plays (kiosk/web/templates/app_index.html); on a terminal a player on the box plays it.
"""

from __future__ import annotations

import contextlib
import io

from textual.app import App

from kiosk.audio.speech import Speaker, make_speaker


def app_speaker(app: App, player: str) -> Speaker:
    """A speaker for `app`; `player` is site.accessibility.audio_player."""
    if not app.is_web:
        return make_speaker(player)

    def deliver(wav: bytes, interrupt: bool) -> None:  # on the speech thread
        # The page stops what plays for a "speech-now" file and queues a "speech-queued" one
        # (display calls): it reads the name from the download's Content-Disposition.
        name = "speech-now.wav" if interrupt else "speech-queued.wav"
        with contextlib.suppress(RuntimeError):  # the app is closing
            app.call_from_thread(
                app.deliver_binary,
                io.BytesIO(wav),
                save_filename=name,
                open_method="browser",
                mime_type="audio/wav",
            )

    return make_speaker(player, deliver=deliver)
