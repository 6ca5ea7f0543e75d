"""The visitor kiosk app (language -> topic -> ticket).

`VisitorApp` and `make_visitor_app` are loaded on first use, so importing one screen module
(`kiosk.ui.visitor.ticket`) does not load the app that imports the screens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.ui.visitor.app import VisitorApp, make_visitor_app

__all__ = ["VisitorApp", "make_visitor_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.ui.visitor import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
