"""Sound for the kiosk and the display: offline speech (espeak-ng) and the call chime.

No Textual here: the apps hand in a callback when the sound must go to a browser.
"""
