"""The visitor kiosk app (language -> topic -> ticket)."""

from kiosk.ui.visitor.app import VisitorApp, make_visitor_app

__all__ = ["VisitorApp", "make_visitor_app"]
