"""API keys for service-to-service calls (`X-API-Key`).

A key reads `ql_<prefix>_<secret>`: the prefix (public, unique) finds the row, the secret is
checked against a SHA-256 digest of the whole key. A plain hash is enough here (unlike passwords):
the secret is 32 random bytes, so there is nothing to guess, and a fast hash keeps the check off
the latency of every request. The key itself is shown once, when created, and never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

KEY_PREFIX = "ql_"
_KEY_RE = re.compile(r"^ql_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewApiKey:
    key: str
    prefix: str
    digest: str


def digest(key: str) -> str:
    """The stored form of a key: hex SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


def generate() -> NewApiKey:
    """A fresh key, its lookup prefix and its digest."""
    prefix = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiKey(key=key, prefix=prefix, digest=digest(key))


def parse_prefix(key: str) -> str | None:
    """The lookup prefix of a well-formed key, else None."""
    match = _KEY_RE.match(key) if isinstance(key, str) and len(key) < 100 else None
    return match.group(1) if match else None


def matches(key: str, stored_digest: str) -> bool:
    """Whether `key` is the key whose digest was stored (constant-time comparison)."""
    return hmac.compare_digest(digest(key), stored_digest)
