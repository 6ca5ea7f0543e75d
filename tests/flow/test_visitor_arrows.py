"""Arrow keys move the focus as the choices are drawn, also on right-to-left screens.

Regression: arrows went to Textual's next/previous widget, so on the Arabic topic screen (pairs
mirrored: 2 1 / 4 3) "right" from 1 jumped to 4 and "left" from 2 to the controls, and "down"
from 1 went to 2 on every screen.
"""

from __future__ import annotations

import pytest

from kiosk.ui.visitor.arrows import CHOICE, CONTROL, Spot, arrow_target
from tests.visitor_support import make_app, ready, to_topics


def move(current, dx, dy, **grid):
    return arrow_target(current, dx, dy, **grid)


def test_left_to_right_grid():
    grid = dict(count=8, columns=2, controls=2)
    assert move(Spot(CHOICE, 0), 0, 1, **grid) == Spot(CHOICE, 2)  # 1 -> 3
    assert move(Spot(CHOICE, 0), 1, 0, **grid) == Spot(CHOICE, 1)  # 1 -> 2
    assert move(Spot(CHOICE, 1), 1, 0, **grid) is None  # right edge
    assert move(Spot(CHOICE, 0), 0, -1, **grid) is None  # top edge
    assert move(Spot(CHOICE, 6), 0, 1, **grid) == Spot(CONTROL, 0)  # 7 -> left control
    assert move(Spot(CHOICE, 7), 0, 1, **grid) == Spot(CONTROL, 1)  # 8 -> right control
    assert move(Spot(CONTROL, 1), 0, -1, **grid) == Spot(CHOICE, 7)
    assert move(Spot(CONTROL, 0), 1, 0, **grid) == Spot(CONTROL, 1)
    assert move(None, 0, 1, **grid) == Spot(CHOICE, 0)


def test_right_to_left_grid():
    grid = dict(count=8, columns=2, rtl=True, controls=2)
    assert move(Spot(CHOICE, 0), -1, 0, **grid) == Spot(CHOICE, 1)  # 1 (right) -> 2 (left)
    assert move(Spot(CHOICE, 0), 1, 0, **grid) is None  # 1 is at the right edge
    assert move(Spot(CHOICE, 1), 1, 0, **grid) == Spot(CHOICE, 0)
    assert move(Spot(CHOICE, 0), 0, 1, **grid) == Spot(CHOICE, 2)  # 1 -> 3, same column
    assert move(Spot(CHOICE, 6), 0, 1, **grid) == Spot(CONTROL, 1)  # 7 (right) -> right control
    assert move(Spot(CONTROL, 0), 0, -1, **grid) == Spot(CHOICE, 7)  # left control -> 8


def test_short_last_row():
    # 7 languages in 3 columns: 1 2 3 / 4 5 6 / 7
    grid = dict(count=7, columns=3)
    assert move(Spot(CHOICE, 5), 0, 1, **grid) == Spot(CHOICE, 6)  # 6 -> 7
    assert move(Spot(CHOICE, 6), 1, 0, **grid) is None
    assert move(Spot(CHOICE, 6), 0, 1, **grid) is None  # no controls below


async def focused_digits(pilot, keys):
    shown = []
    for key in keys:
        await pilot.press(key)
        focused = pilot.app.focused
        shown.append(getattr(focused, "digit", None) or focused.id)
    return shown


THURSDAY_ALL_OPEN = "2026-12-03T13:30"  # every topic issues


@pytest.mark.parametrize("lang", ["ar", "fa"])
async def test_arrows_on_a_right_to_left_topic_screen(tmp_path, lang):
    app = make_app(tmp_path, when=THURSDAY_ALL_OPEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        assert app.focused is None  # nothing preselected; the first arrow brings the focus in
        keys = ["down", "left", "right", "down", "down", "down", "down", "left", "up"]
        assert await focused_digits(pilot, keys) == [1, 2, 1, 3, 5, 7, "back", "back", 8]


async def test_arrows_on_a_left_to_right_topic_screen(tmp_path):
    app = make_app(tmp_path, when=THURSDAY_ALL_OPEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, "de")
        keys = ["down", "right", "down", "left", "down", "down", "down", "right", "up"]
        assert await focused_digits(pilot, keys) == [1, 2, 4, 3, 5, 7, "back", "back", 7]


@pytest.mark.parametrize("lang", ["de", "ar"])
async def test_arrows_skip_topics_that_issue_nothing_now(tmp_path, lang):
    """Regression: arrow keys rested on a closed topic (Enter there did nothing). Monday 13:00:
    topics 2-4 (JOB Service) are closed, 1 and 5-8 issue."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_topics(pilot, lang)
        sideways = "left" if lang == "ar" else "right"
        back = "right" if lang == "ar" else "left"
        keys = ["down", sideways, "down", sideways, "up", back, "up"]
        # 2 is closed: no move; 3 closed: down goes on to 5; 4 and 2 closed: up stays on 6.
        assert await focused_digits(pilot, keys) == [1, 1, 5, 6, 6, 5, 1]


async def test_arrows_on_the_language_screen_follow_its_columns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:  # three columns
        await ready(pilot)
        keys = ["down", "down", "right", "down", "up"]
        assert await focused_digits(pilot, keys) == [1, 4, 5, 7, 4]
