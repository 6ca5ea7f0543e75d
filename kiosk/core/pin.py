"""Admin PIN: salted PBKDF2 hashes for site.toml's pin_hash, and constant-time checking.

Stored format: ``pbkdf2_sha256$<iterations>$<salt, base64>$<hash, base64>``. The iteration count
travels with the hash, so raising it later keeps old hashes valid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

ALGORITHM = "pbkdf2_sha256"
# About 50 ms on a desktop, well under a second on a Raspberry Pi: the admin exit stays snappy.
# A 4-12 digit PIN is guarded mostly by the key chord and physical access; the salt and work
# factor keep it from being read straight out of a copied config.
ITERATIONS = 240_000
SALT_BYTES = 16

PIN_RULE = "a PIN is 4 to 12 digits (0-9)"
_PIN_RE = re.compile(r"[0-9]{4,12}")

# The PIN the shipped config/site.toml carries, documented there. check-config warns about it
# and `kiosk set-pin` refuses to set it again.
DEFAULT_PIN = "2468"
# A pin_hash containing this mark counts as the shipped default too.
DEFAULT_PIN_HASH_MARK = "shipped-default"
DEFAULT_PIN_HASH = (
    "pbkdf2_sha256$240000$c2VydmljZXBvaW50LWxl$If5dm8gktWoLVxIpTjMLvdbf42yZcBjqEc9GKMwQTJQ="
)


def valid_pin(pin: str) -> bool:
    """True for 4 to 12 ASCII digits."""
    return isinstance(pin, str) and _PIN_RE.fullmatch(pin) is not None


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """A salted hash of `pin` for site.toml; raises ValueError when the PIN breaks PIN_RULE."""
    if not valid_pin(pin):
        raise ValueError(PIN_RULE)
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _derive(pin, salt, iterations)
    b64 = base64.b64encode
    return f"{ALGORITHM}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def parse_hash(stored: str) -> tuple[int, bytes, bytes] | None:
    """(iterations, salt, digest) of a stored hash, or None when it is not one of ours."""
    if not isinstance(stored, str):
        return None
    parts = stored.strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return None
    if not parts[1].isascii() or not parts[1].isdigit():
        return None
    iterations = int(parts[1])
    if not 1 <= iterations <= 10_000_000:
        return None
    try:
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except (binascii.Error, ValueError):
        return None
    if not salt or len(digest) != 32:
        return None
    return iterations, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches the stored hash; compares in constant time; never raises."""
    parsed = parse_hash(stored)
    if parsed is None or not valid_pin(pin):
        return False
    iterations, salt, digest = parsed
    return hmac.compare_digest(_derive(pin, salt, iterations), digest)


def is_default_hash(stored: str) -> bool:
    """True for the hash of the shipped default PIN (or one marked as the shipped default)."""
    text = stored.strip() if isinstance(stored, str) else ""
    return text == DEFAULT_PIN_HASH or DEFAULT_PIN_HASH_MARK in text
