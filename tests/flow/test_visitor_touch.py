"""Touch mode (the browser page on a touch screen tells the app): no key hints, controls apart.

Regression for the topic screen on a tablet: "← Back (Esc)" and "Change language" touched
cards 7 and 8 with no gap and in the same colour, and "(Esc)" and "press its number" meant
nothing on a screen without keys.
"""

from __future__ import annotations

import pytest

from tests.visitor_support import make_app, screen_text, to_ticket, to_topics


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


@pytest.mark.parametrize("lang", ["uk", "ar"])
async def test_a_portrait_screen_puts_the_code_under_the_text_and_draws_a_larger_number(
    tmp_path, lang
):
    """Regression: on a 1080x1920 screen the ticket text sat in a narrow column beside the
    code and the number was about 70 px tall. 67x56 and 85x30 are the grids the page picks
    for 1080x1920 and 1024x768."""
    drawn = {}
    for size in ((85, 30), (67, 56)):
        app = make_app(tmp_path / f"{size[0]}", touch=True)
        async with app.run_test(size=size) as pilot:
            await to_ticket(pilot, lang)
            await pilot.pause(0.1)
            screen = app.screen
            body = screen.query_one("#ticket-body")
            info, code = screen.query_one("#info"), screen.query_one("#qr")
            number = screen.query_one("#number")
            drawn[size] = number.size_name
            if size == (67, 56):
                assert body.has_class("-portrait")
                assert code.region.y >= info.region.bottom  # under the text, not beside it
                assert code.region.width >= 40
            else:
                assert not body.has_class("-portrait")
                assert code.region.y < info.region.bottom  # beside the text
    order = ["text", "small", "medium", "large"]
    assert order.index(drawn[(67, 56)]) > order.index(drawn[(85, 30)]), drawn
