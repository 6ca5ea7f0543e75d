"""Walk-in check-in kiosk for the Service-Point Integration Leverkusen."""

__version__ = "0.1.0"
