"""Security: tokens (JWT), passwords (Argon2), API keys, roles and permissions, encrypted
secrets (AES-256-GCM, Vault), client-network checks, and PII detection and redaction.

Pure functions and small classes; the API (`quantumlayer.api`) wires them to HTTP.
"""

from quantumlayer.security.errors import (
    AuthenticationFailed,
    Conflict,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
)
from quantumlayer.security.passwords import hash_password, verify_password
from quantumlayer.security.pii import PiiKind, PiiMatch, find_pii, redact
from quantumlayer.security.rbac import Permission, Role, api_key_permissions, permissions_for
from quantumlayer.security.tokens import TokenCodec, TokenUse, codec_from_settings

__all__ = [
    "AuthenticationFailed", "Conflict", "PayloadTooLarge", "Permission", "PermissionDenied",
    "PiiKind", "PiiMatch", "RateLimited", "Role", "TokenCodec", "TokenUse", "api_key_permissions",
    "codec_from_settings", "find_pii", "hash_password", "permissions_for", "redact",
    "verify_password",
]
