"""Public call display (`kiosk display`): called numbers and desks, never anything else."""
