"""Release what Textual's render caches keep of widgets that are gone (Textual issue #6665).

`StylesCache.get_inner_outer` is an `lru_cache` on a method, so its keys hold up to 1024
`StylesCache` objects of removed widgets, each with every line it rendered. A kiosk builds fresh
screens for every visitor, so the process grew by about 1.5 MB per visit until the cache was full
(46 MB at start, 85 MB after 30 visits). Clearing it costs one recomputation of two styles per
widget on its next render.
"""

from __future__ import annotations

import logging

log = logging.getLogger("kiosk.ui")

RELEASE_SECONDS = 60.0
"""How often long-running apps (staff, display) release the caches."""


def release_render_caches() -> None:
    """Drop render caches that keep removed widgets alive; harmless if Textual changed."""
    try:
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()
    except (ImportError, AttributeError) as error:  # a Textual without the cache or the bug
        log.debug("no render cache to release: %r", error)
