"""JSON Web Tokens for the API (PyJWT), per RFC 8725 (JWT best current practices).

* Every decode pins the one configured algorithm: `alg: none`, an algorithm swap (an HS256 token
  "signed" with our RSA public key) or any other algorithm is refused before the signature is
  looked at.
* `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, `jti` are required and checked.
* Tokens are explicitly typed, in the header (`typ: at+jwt`, RFC 9068; `refresh+jwt`) and in a
  `token_use` claim, so a refresh token is never accepted as an access token nor the reverse.

The OAuth2 password grant that hands these out (`POST /v1/auth/token`) is meant for our own
first-party clients only (the CLI and the dashboard): RFC 9700 (OAuth 2.0 Security BCP) says not
to offer it to third parties, which should use API keys (or, later, an authorization-code flow).
"""

from __future__ import annotations

import os
import secrets
import stat
import time
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from quantumlayer.config import Settings
from quantumlayer.errors import UserError
from quantumlayer.security.errors import AuthenticationFailed

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
MIN_HMAC_KEY_BYTES = 32


class TokenUse(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


_HEADER_TYP = {TokenUse.ACCESS: "at+jwt", TokenUse.REFRESH: "refresh+jwt"}
_REQUIRED = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "token_use"]


@dataclass(frozen=True)
class TokenClaims:
    """The checked claims of a decoded token."""

    subject: str
    token_id: str
    session_id: str
    use: TokenUse
    issued_at: int
    expires_at: int


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: str
    expires_at: int


class TokenCodec:
    """Signs and verifies our tokens with one algorithm and key pair (or HMAC key)."""

    def __init__(
        self,
        *,
        algorithm: str,
        signing_key: Any,
        verifying_key: Any,
        issuer: str,
        audience: str,
        leeway_s: int = 5,
    ) -> None:
        self.algorithm = algorithm
        self._signing_key = signing_key
        self._verifying_key = verifying_key
        self.issuer = issuer
        self.audience = audience
        self.leeway_s = leeway_s

    def encode(
        self,
        *,
        subject: str,
        use: TokenUse,
        session_id: str,
        ttl_s: int,
        now: float | None = None,
        token_id: str | None = None,
        expires_at: int | None = None,
    ) -> IssuedToken:
        """A signed token of type `use` for `subject`; it expires after `ttl_s`, or at
        `expires_at` if that comes first."""
        iat = int(now if now is not None else time.time())
        exp = iat + int(ttl_s)
        if expires_at is not None:
            exp = min(exp, int(expires_at))
        jti = token_id or uuid.uuid4().hex
        claims = {
            "iss": self.issuer, "aud": self.audience, "sub": subject, "iat": iat, "nbf": iat,
            "exp": exp, "jti": jti, "sid": session_id, "token_use": use.value,
        }
        token = jwt.encode(
            claims, self._signing_key, algorithm=self.algorithm,
            headers={"typ": _HEADER_TYP[use]},
        )
        return IssuedToken(token=token, token_id=jti, expires_at=exp)

    def decode(self, token: str, *, use: TokenUse) -> TokenClaims:
        """The claims of a valid token of type `use`; AuthenticationFailed for anything else."""
        if not isinstance(token, str) or not token or len(token) > 8192:
            raise AuthenticationFailed("invalid token")
        try:
            header = jwt.get_unverified_header(token)
            if header.get("typ") != _HEADER_TYP[use]:
                raise AuthenticationFailed("invalid token")
            claims = jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": _REQUIRED, "verify_signature": True},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("token expired") from None
        except jwt.PyJWTError:
            raise AuthenticationFailed("invalid token") from None
        if claims.get("token_use") != use.value:
            raise AuthenticationFailed("invalid token")
        sub, jti, sid = claims.get("sub"), claims.get("jti"), claims.get("sid")
        if not (_short_str(sub) and _short_str(jti) and _short_str(sid)):
            raise AuthenticationFailed("invalid token")
        assert isinstance(sub, str) and isinstance(jti, str) and isinstance(sid, str)
        if not isinstance(claims["iat"], int) or not isinstance(claims["exp"], int):
            raise AuthenticationFailed("invalid token")
        return TokenClaims(
            subject=sub, token_id=jti, session_id=sid, use=use,
            issued_at=claims["iat"], expires_at=claims["exp"],
        )


def _short_str(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def _local_hmac_key(home: Path) -> bytes:
    """A random HMAC key kept under QL_HOME (created 0600 on first use): local mode only."""
    path = home / "keys" / "jwt.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(secrets.token_bytes(64))
        tmp.chmod(stat.S_IRUSR | stat.S_IWUSR)
        try:
            os.link(tmp, path)  # atomic: two processes starting at once keep the first key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes()


def uses_shared_database(settings: Settings) -> bool:
    """Whether the database is a server that several machines may share (not local SQLite)."""
    return not settings.effective_database_url().startswith("sqlite")


def codec_from_settings(settings: Settings) -> TokenCodec:
    """The token codec for the configured algorithm and key; UserError if the key is missing
    or weak. Without a configured HMAC key, local mode (SQLite) keeps a random one under
    QL_HOME; with a shared database every API process must be given the same QL_JWT_SECRET."""
    alg = settings.jwt_algorithm
    common: dict[str, Any] = {
        "algorithm": alg, "issuer": settings.jwt_issuer, "audience": settings.jwt_audience,
        "leeway_s": settings.jwt_leeway_s,
    }
    if alg in HMAC_ALGORITHMS:
        if settings.jwt_secret is not None:
            key = settings.jwt_secret.get_secret_value().encode()
        elif uses_shared_database(settings):
            raise UserError(
                "set QL_JWT_SECRET (at least 32 random bytes): with a shared database every API "
                "process must sign tokens with the same key"
            )
        else:
            key = _local_hmac_key(settings.home)
        needed = max(MIN_HMAC_KEY_BYTES, int(alg[2:]) // 8)  # RFC 7518 3.2: the hash size
        if len(key) < needed:
            raise UserError(f"QL_JWT_SECRET must be at least {needed} bytes long for {alg}")
        return TokenCodec(signing_key=key, verifying_key=key, **common)
    if settings.jwt_private_key is None:
        raise UserError(f"QL_JWT_ALGORITHM={alg} needs QL_JWT_PRIVATE_KEY (a PEM private key)")
    try:
        private = serialization.load_pem_private_key(
            settings.jwt_private_key.get_secret_value().encode(), password=None
        )
    except (ValueError, TypeError) as exc:
        raise UserError(f"QL_JWT_PRIVATE_KEY is not a usable PEM private key: {exc}") from None
    codec = TokenCodec(signing_key=private, verifying_key=private.public_key(), **common)
    try:  # a key of the wrong kind (an EC key for RS256, say) fails here, not on first login
        codec.decode(
            codec.encode(subject="check", use=TokenUse.ACCESS, session_id="check", ttl_s=60).token,
            use=TokenUse.ACCESS,
        )
    except (jwt.PyJWTError, AuthenticationFailed, TypeError, ValueError) as exc:
        raise UserError(f"QL_JWT_PRIVATE_KEY does not fit QL_JWT_ALGORITHM={alg}: {exc}") from None
    return codec
