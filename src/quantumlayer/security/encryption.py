"""AES-256-GCM encryption of secrets at rest, with a keyring for rotation.

Each value gets a fresh random 96-bit nonce; the ciphertext carries GCM's tag; the id of the key
that sealed it is stored beside it, so that after a rotation old rows still open and
`quantumlayer secrets rotate-key` can re-seal them with the new key. The associated data binds a
ciphertext to its row (id, owner, name): copied onto another row it no longer opens.

Keys come from QL_SECRETS_KEYS (`id:base64key,...`, the first one seals) or, in local mode, from a
keyring file under QL_HOME (created 0600 on first use).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from quantumlayer.config import Settings
from quantumlayer.errors import QuantumLayerError, UserError

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12


class SecretDecryptionError(QuantumLayerError):
    """A stored secret does not open: wrong or missing key, or the row was tampered with."""

    code = "secret_unreadable"


@dataclass(frozen=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes


def new_key_id() -> str:
    return f"k{time.strftime('%Y%m%d')}-{uuid.uuid4().hex[:8]}"


class Keyring:
    """Named AES-256 keys; `active` seals, every key opens."""

    def __init__(self, keys: dict[str, bytes], active: str) -> None:
        if active not in keys:
            raise UserError(f"the active secrets key {active!r} is not in the keyring")
        for kid, key in keys.items():
            if len(key) != KEY_BYTES:
                raise UserError(f"secrets key {kid!r} must be {KEY_BYTES} bytes, not {len(key)}")
            if not kid or ":" in kid or "," in kid or len(kid) > 64:
                raise UserError(f"invalid secrets key id {kid!r}")
        self.keys = dict(keys)
        self.active = active

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """A keyring from `id:base64key,id2:base64key2` (the first is active)."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            kid, sep, b64 = part.partition(":")
            if not sep:
                raise UserError("QL_SECRETS_KEYS entries read 'id:base64key'")
            try:
                keys[kid.strip()] = base64.b64decode(b64.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise UserError(f"secrets key {kid!r} is not valid base64") from None
            order.append(kid.strip())
        if not order:
            raise UserError("QL_SECRETS_KEYS holds no key")
        return cls(keys, order[0])

    @staticmethod
    def generate_key() -> bytes:
        return secrets.token_bytes(KEY_BYTES)

    def with_new_active_key(self) -> Keyring:
        """This keyring plus a fresh key, which becomes the active one."""
        kid = new_key_id()
        return Keyring({**self.keys, kid: self.generate_key()}, kid)

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(self.keys[self.active]).encrypt(nonce, plaintext, aad)
        return Sealed(key_id=self.active, nonce=nonce, ciphertext=ciphertext)

    def decrypt(self, sealed: Sealed, *, aad: bytes) -> bytes:
        key = self.keys.get(sealed.key_id)
        if key is None:
            raise SecretDecryptionError(
                f"secrets key {sealed.key_id!r} is not in the keyring (was it removed too soon?)"
            )
        try:
            return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, aad)
        except InvalidTag:
            raise SecretDecryptionError("a stored secret failed its integrity check") from None


def keyring_path(home: Path) -> Path:
    return home / "keys" / "secrets.keyring"


def _write_keyring_file(path: Path, keyring: Keyring) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "active": keyring.active,
        "keys": {kid: base64.b64encode(key).decode() for kid, key in keyring.keys.items()},
    }
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def _read_keyring_file(path: Path) -> Keyring:
    try:
        data = json.loads(path.read_text())
        keys = {kid: base64.b64decode(b64) for kid, b64 in data["keys"].items()}
        return Keyring(keys, data["active"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"cannot read the secrets keyring {path}: {exc}") from None


def keyring_from_settings(settings: Settings, *, create: bool = True) -> Keyring:
    """The configured keyring: QL_SECRETS_KEYS, else (local mode) the file under QL_HOME."""
    if settings.secrets_keys is not None:
        return Keyring.parse(settings.secrets_keys.get_secret_value())
    if not settings.effective_database_url().startswith("sqlite"):
        raise UserError(
            "set QL_SECRETS_KEYS ('id:base64 of 32 random bytes'): with a shared database "
            "every process must hold the same secrets keys"
        )
    path = keyring_path(settings.home)
    if not path.exists() and create:
        fresh = Keyring.generate_key()
        kid = new_key_id()
        with contextlib.suppress(FileExistsError):  # another process made it first
            _write_keyring_file(path, Keyring({kid: fresh}, kid))
    return _read_keyring_file(path)


def rotate_keyring_file(settings: Settings) -> Keyring:
    """Add a fresh active key to the local keyring file (QL_SECRETS_KEYS: rotate it by hand)."""
    if settings.secrets_keys is not None:
        raise UserError(
            "QL_SECRETS_KEYS is set: put a new key first in it, keep the old ones after it, "
            "then run `quantumlayer secrets rotate-key` to re-encrypt"
        )
    rotated = keyring_from_settings(settings).with_new_active_key()
    _write_keyring_file(keyring_path(settings.home), rotated)
    return rotated
