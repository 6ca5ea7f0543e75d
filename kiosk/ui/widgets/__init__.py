"""Reusable widgets: the big ticket number, the QR code, and the right-to-left aware label."""
