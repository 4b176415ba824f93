"""Password hashing with Argon2id (argon2-cffi, RFC 9106 low-memory parameters)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from quantumlayer.errors import UserError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # Argon2 hashes anything, but a megabyte password is an attack.

_hasher = PasswordHasher()  # Argon2id, t=3, m=64 MiB, p=4 (RFC 9106, second recommendation)


def check_password_policy(password: str) -> str:
    """The password if acceptable; UserError saying why not."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    """An Argon2id hash (PHC string, salt and parameters included) of an acceptable password."""
    return _hasher.hash(check_password_policy(password))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("an unguessable placeholder never given to anyone")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`.

    With no hash (an unknown user, or one who cannot log in with a password) a dummy hash is
    verified all the same, so the answer takes as long as for a wrong password and reveals
    nothing about which usernames exist.
    """
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        if password_hash is None:
            _hasher.verify(_dummy_hash(), password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
