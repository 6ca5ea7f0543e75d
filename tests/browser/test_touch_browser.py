"""Touch screens in real headless Chromium: a 1024x768 tablet and a 1080x1920 portrait screen.

Per size: the grid the page picks (columns from the websocket's width, cells wide enough), no
editable element without inputmode="none" focused after a tap (it would raise the on-screen
keyboard), a ticket tapped through (taps only, no keys) whose QR code is decoded from the
screenshot and found in the store, and no request off the machine. The screenshots are kept
in the test's temporary folder (their paths are printed) to be looked at.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from test_serve_browser import (  # the module's fixtures and helpers, shared
    NUMBER,
    Recorder,
    _settled,
    _stored,
    _ticket_qr_code,
    browser,  # noqa: F401 (a fixture)
    server,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.browser

EDITABLE_FOCUSED = """() => {
    const element = document.activeElement;
    if (!element) return null;
    const editable = element.isContentEditable
        || ["TEXTAREA", "INPUT"].includes(element.tagName);
    return editable && element.getAttribute("inputmode") !== "none" ? element.outerHTML : null;
}"""

# (viewport, language, where its card is, the largest column count, the smallest cell width)
CASES = [
    ({"width": 1024, "height": 768}, "uk", (0.25, 0.44), 85, 12.0),
    ({"width": 1080, "height": 1920}, "ar", (0.25, 0.63), 72, 12.0),
]


@pytest.mark.parametrize(
    ("viewport", "lang", "language_card", "most_columns", "narrowest_cell"),
    CASES,
    ids=["tablet-1024x768-uk", "portrait-1080x1920-ar"],
)
def test_a_ticket_tapped_through_on_a_touch_screen(
    browser,  # noqa: F811
    server,  # noqa: F811
    tmp_path,
    viewport,
    lang,
    language_card,
    most_columns,
    narrowest_cell,
):
    before = set(_stored(server["data"]))
    context = browser.new_context(viewport=viewport, has_touch=True)
    recorder = Recorder(server["netloc"])
    recorder.attach(context)
    page = context.new_page()
    recorder.attach_page(page)
    width, height = viewport["width"], viewport["height"]
    try:
        page.goto(server["url"])
        page.wait_for_selector("body.-first-byte", timeout=20_000)
        start = _settled(page)
        (tmp_path / "language.png").write_bytes(start)

        # The page chose the grid; the websocket tells the app its size and the touch screen.
        (socket_url,) = [url for url in recorder.urls if url.startswith("ws")]
        query = parse_qs(urlsplit(socket_url).query)
        columns, rows = int(query["width"][0]), int(query["height"][0])
        font_size = page.evaluate("document.getElementById('terminal').dataset.fontSize")
        print(
            f"{width}x{height}: {columns} columns x {rows} rows, font {font_size} px, "
            f"cells {width / columns:.1f} px wide"
        )
        # Regression: a fixed 16 px font gave 113 and 120 columns.
        assert columns <= most_columns
        assert width / columns >= narrowest_cell
        assert rows >= 24
        assert urlsplit(socket_url).path.endswith("/ws/touch")

        page.touchscreen.tap(width * language_card[0], height * language_card[1])
        topics = _settled(page, before=start)
        (tmp_path / "topics.png").write_bytes(topics)
        # Regression: the tap left focus on xterm's textarea, which raised the soft keyboard.
        assert page.evaluate(EDITABLE_FOCUSED) is None

        # Topic 1 (Sprechstunde Integration, open at NOW): upper left, upper right in Arabic.
        page.touchscreen.tap(width * (0.75 if lang == "ar" else 0.25), height * 0.16)
        code, shot = _ticket_qr_code(page)
        time.sleep(0.5)
        (tmp_path / "ticket.png").write_bytes(page.screenshot())
        assert page.evaluate(EDITABLE_FOCUSED) is None
    finally:
        context.close()
    print("screenshots:", *(tmp_path / f"{n}.png" for n in ("language", "topics", "ticket")))
    number = NUMBER.search(code.text).group(1)
    stored = _stored(server["data"])
    assert number in set(stored) - before, f"QR shows {number}, store has {sorted(stored)}"
    assert (stored[number].topic, stored[number].lang) == ("kim", lang)
    assert recorder.foreign() == []
    del shot
