"""Staff app: the desks' view of the queue (`kiosk staff`)."""
