"""Textual user interface: apps, screens and widgets; right-to-left display ordering."""
