"""Test helper: the speech tests read `caplog`, which sees the kiosk's loggers only while
"kiosk" propagates to the root; an earlier test in the same process that ran
kiosk.core.logs.setup_logging turned that off (the full suite lost every speech[...] line)."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def kiosk_logs_propagate():
    kiosk = logging.getLogger("kiosk")
    propagated = kiosk.propagate
    kiosk.propagate = True
    try:
        yield
    finally:
        kiosk.propagate = propagated
