"""The status page on visitors' phones (`kiosk serve status`): server, HTML and static files."""
