"""Garbage collection at moments nobody waits for: between visitors, not during a tap.

Textual allocates many small objects per frame, and every visitor's screens become cyclic
garbage when they are popped. With CPython's automatic collection that meant about 80 young
collections per visit and a full collection every visit or two, each walking every object the
kiosk holds (config, fonts, Textual's styles), at random moments: measured in the tap
benchmark, collections took about a quarter of the time from a tap to the drawn ticket. So the
visitor kiosk
  - collects nothing automatically while it starts (`kiosk run`, from the process start until
    the first frame is drawn and the warm-up done): start-up builds what lives as long as the kiosk (modules, config, styles), and
    the collections during it walked that again and again for nothing (about 25 ms of a
    cold start of 330 ms);
  - once started, freezes what start-up built (`gc.freeze`): later collections never walk it again,
  - turns automatic collection off, and collects itself when a visit has ended (the start
    screen is drawn and waits for the next visitor) and, as a backstop, whenever the kiosk
    has been left alone for a while; cycles never pile up beyond one visit's worth.
Objects without cycles are freed at once by reference counting either way.
"""

from __future__ import annotations

import gc

IDLE_COLLECT_SECONDS = 20.0
"""How often the backstop collection looks whether the kiosk is idle."""


def hold_off_until_settled() -> None:
    """From the visitor kiosk's process start: no automatic collection until
    settle_after_start. The first start-over collects too (collect_between_visits, half a second
    after the start screen), so the start's cycles are freed even if the warm-up never settles."""
    gc.disable()


def settle_after_start() -> None:
    """After the first frame and the warm-up: collect once, freeze what is left, and leave
    collecting to collect_between_visits (and the idle backstop)."""
    gc.collect()
    gc.freeze()
    gc.disable()


def collect_between_visits() -> None:
    """A visit ended and its screens are gone: free their cycles now, not during the next tap."""
    gc.collect()


def unsettle() -> None:
    """The app ends: automatic collection back on, and what was frozen collectable again (tests
    run many apps in one process; a frozen app that ended would never be freed)."""
    gc.unfreeze()
    gc.enable()
