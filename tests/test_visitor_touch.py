"""Touch mode (the browser page on a touch screen tells the app): no key hints, controls apart.

Regression for the topic screen on a tablet: "← Back (Esc)" and "Change language" touched
cards 7 and 8 with no gap and in the same colour, and "(Esc)" and "press its number" meant
nothing on a screen without keys.
"""

from __future__ import annotations

import pytest
from visitor_support import make_app, screen_text, to_topics


@pytest.mark.parametrize("touch", [False, True])
async def test_touch_mode_drops_key_hints_and_sets_the_controls_apart(tmp_path, touch):
    app = make_app(tmp_path, touch=touch)
    async with app.run_test(size=(85, 30)) as pilot:
        await to_topics(pilot, "en")
        screen = app.screen
        back = screen.query_one("#back")
        hint = screen.query_one("#touch-hint")
        card = screen.query_one("#topic-diakonie_work")
        shown = screen_text(app)
        assert ("(Esc)" in shown) is not touch
        assert ("press its number" in shown) is not touch
        assert hint.visible is not touch
        # a gap between the lowest cards and the controls, and a look of their own
        gap = back.region.y - card.region.bottom
        assert (gap >= 1) is touch, gap
        assert (back.styles.background != card.styles.background) is touch
        if touch:
            # every control at least 48x48 CSS px at 12x25 px cells (1024x768, 85 columns)
            assert back.region.height * 25 >= 48 and back.region.width * 12 >= 48
