"""The rules of the service point: plain Python, never imports Textual."""
