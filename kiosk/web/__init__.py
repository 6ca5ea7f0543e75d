"""Files `kiosk serve` hands to browsers: the page template (templates/app_index.html)."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""Folder of the page template that replaces textual-serve's (no request leaves the machine)."""
