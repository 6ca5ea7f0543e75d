"""Fixtures shared by every layer (unit, flow, snapshots, reliability, browser).

The helper modules beside this file (visitor_support, staff_support, store_factory, ...) are imported
as `tests.<module>`; pyproject's `pythonpath = ["."]` makes that work for a bare `pytest` too.
"""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def kiosk_logs_reach_caplog():
    """kiosk.core.logs.setup_logging (run by CLI tests in this process) stops the "kiosk"
    logger from propagating and gives it its own handlers; caplog listens at the root. Restore
    propagation and set those handlers aside for the test, put everything back afterwards."""
    logger = logging.getLogger("kiosk")
    saved = (logger.propagate, list(logger.handlers), logger.level)
    logger.propagate = True
    for handler in saved[1]:
        logger.removeHandler(handler)
    yield
    logger.propagate, logger.level = saved[0], saved[2]
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        if handler not in saved[1]:
            handler.close()
    for handler in saved[1]:
        logger.addHandler(handler)


@pytest.fixture
def kiosk_logs_propagate():
    """The speech tests read `caplog`, which sees the kiosk's loggers only while "kiosk"
    propagates to the root; an earlier test in the same process that ran
    kiosk.core.logs.setup_logging turned that off (the full suite lost every speech[...] line)."""
    kiosk = logging.getLogger("kiosk")
    propagated = kiosk.propagate
    kiosk.propagate = True
    try:
        yield
    finally:
        kiosk.propagate = propagated
