"""site.toml [status]: the status page on visitors' phones (`kiosk serve status`); off unless set."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from kiosk.core.config.checker import Table, show
from kiosk.core.config.models import StatusPage


def _private_host(host: str) -> bool:
    """A name or address that only the local network reaches (Wi-Fi of the service point)."""
    if host.endswith((".local", ".lan", ".internal", ".home.arpa")) or "." not in host:
        return True
    try:
        return ipaddress.ip_address(host).is_private
    except ValueError:
        return False


def read_status(table: Table | None) -> StatusPage | None:
    """The [status] table (None when it is broken); StatusPage() when site.toml has none."""
    if table is None:
        return StatusPage()
    url = table.text("public_url")
    table.done()
    if url is None:
        return None
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    example = 'e.g. "https://warten.leverkusen.de" or "http://192.168.10.2:8800"'
    if parts.scheme not in ("http", "https") or not parts.hostname:
        table.error("public_url", f"{show(url)} is not an http(s) address ({example})")
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        table.error(
            "public_url", f"{show(url)}: give the address only, without ?, # or a user ({example})"
        )
        return None
    if parts.scheme == "http" and not _private_host(parts.hostname):
        table.warn(
            "public_url",
            f"{show(url)} is a public name without https: put the city's reverse proxy with TLS "
            "in front (see README, Status page)",
        )
    return StatusPage(url)
