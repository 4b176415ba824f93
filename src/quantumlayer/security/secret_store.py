"""Where secrets (LLM API keys, deployment credentials) are kept: in the database, sealed with
AES-256-GCM, or in HashiCorp Vault's KV v2 engine (hvac) when QL_VAULT_ADDR is set.

Either way the `secrets` table has one row per secret (its name, kind, owner); with the database
backend the row holds the ciphertext, with Vault only the path and version of the value there.
Values never leave this module except through `reveal`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from quantumlayer.config import Settings
from quantumlayer.errors import NotFound, ServiceUnavailable, UserError
from quantumlayer.security.encryption import Keyring, Sealed, keyring_from_settings
from quantumlayer.store import auth_repositories as auth_repo
from quantumlayer.store.auth_models import SecretRecord

SECRET_KINDS = ("llm_api_key", "deployment_credential", "generic")
MAX_SECRET_BYTES = 64 * 1024


def associated_data(*, secret_id: str, owner_id: str | None, name: str, kind: str) -> bytes:
    """What a ciphertext is bound to: moved to another row (or renamed), it no longer opens."""
    return f"quantumlayer:secret:v1:{secret_id}:{owner_id or '-'}:{kind}:{name}".encode()


class SecretBackend(Protocol):
    name: str

    def seal(self, *, secret_id: str, aad: bytes, value: str) -> dict[str, Any]: ...
    def open(self, row: SecretRecord, *, aad: bytes) -> str: ...
    def discard(self, row: SecretRecord) -> None: ...


class DatabaseBackend:
    """AES-256-GCM ciphertext in the row, under the keyring's active key."""

    name = "database"

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def seal(self, *, secret_id: str, aad: bytes, value: str) -> dict[str, Any]:
        del secret_id
        sealed = self.keyring.encrypt(value.encode(), aad=aad)
        return {"key_id": sealed.key_id, "nonce": sealed.nonce, "ciphertext": sealed.ciphertext}

    def open(self, row: SecretRecord, *, aad: bytes) -> str:
        if row.key_id is None or row.nonce is None or row.ciphertext is None:
            raise NotFound(f"secret {row.id!r} has no stored value")
        sealed = Sealed(key_id=row.key_id, nonce=bytes(row.nonce), ciphertext=bytes(row.ciphertext))
        return self.keyring.decrypt(sealed, aad=aad).decode()

    def discard(self, row: SecretRecord) -> None:
        del row  # the ciphertext goes with the row


class VaultBackend:
    """Values in Vault's KV v2 engine at `<mount>/<prefix>/secrets/<id>`; Vault encrypts them."""

    name = "vault"

    def __init__(self, *, url: str, token: str | None, mount: str, prefix: str) -> None:
        import hvac

        self._client = hvac.Client(url=url, token=token, timeout=5)
        self._mount = mount
        self._prefix = prefix.strip("/")

    def _path(self, secret_id: str) -> str:
        return f"{self._prefix}/secrets/{secret_id}"

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import hvac.exceptions
        import requests

        try:
            return fn(*args, **kwargs)
        except hvac.exceptions.InvalidPath:
            raise NotFound(f"Vault has no value for this secret ({what})") from None
        except (hvac.exceptions.VaultError, requests.RequestException) as exc:
            raise ServiceUnavailable(f"Vault failed to {what}: {type(exc).__name__}") from None

    def seal(self, *, secret_id: str, aad: bytes, value: str) -> dict[str, Any]:
        path = self._path(secret_id)
        reply = self._call(
            "store a secret", self._client.secrets.kv.v2.create_or_update_secret,
            path=path, secret={"value": value, "binding": aad.decode()}, mount_point=self._mount,
        )
        version = (reply or {}).get("data", {}).get("version")
        return {"vault_path": path, "vault_version": version}

    def open(self, row: SecretRecord, *, aad: bytes) -> str:
        reply = self._call(
            "read a secret", self._client.secrets.kv.v2.read_secret_version,
            path=row.vault_path or self._path(row.id), mount_point=self._mount,
            version=row.vault_version, raise_on_deleted_version=True,
        )
        data = reply["data"]["data"]
        if data.get("binding") != aad.decode():
            raise NotFound(f"the value in Vault does not belong to secret {row.id!r}")
        return str(data["value"])

    def discard(self, row: SecretRecord) -> None:
        self._call(
            "delete a secret", self._client.secrets.kv.v2.delete_metadata_and_all_versions,
            path=row.vault_path or self._path(row.id), mount_point=self._mount,
        )

    def healthy(self) -> bool:
        try:
            return bool(self._client.is_authenticated())
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False


@dataclass(frozen=True)
class SecretInfo:
    """What may be shown about a secret: never its value."""

    id: str
    name: str
    kind: str
    backend: str
    owner_id: str | None
    key_id: str | None
    created_at: Any
    updated_at: Any

    @classmethod
    def of(cls, row: SecretRecord) -> SecretInfo:
        return cls(row.id, row.name, row.kind, row.backend, row.owner_id, row.key_id,
                   row.created_at, row.updated_at)


class SecretStore:
    """Create, reveal, delete and re-encrypt secrets with the configured backend.

    Rows sealed by the database backend always open with the keyring, whichever backend is
    configured now; rows kept in Vault need Vault.
    """

    def __init__(self, *, keyring: Keyring, vault: VaultBackend | None = None) -> None:
        self.database = DatabaseBackend(keyring)
        self.vault = vault

    @property
    def backend(self) -> SecretBackend:
        return self.vault if self.vault is not None else self.database

    def _backend_of(self, row: SecretRecord) -> SecretBackend:
        if row.backend == "vault":
            if self.vault is None:
                raise ServiceUnavailable(f"secret {row.name!r} is kept in Vault: set QL_VAULT_ADDR")
            return self.vault
        return self.database

    def create(
        self, session: Session, *, name: str, value: str, kind: str, owner_id: str | None
    ) -> SecretInfo:
        if kind not in SECRET_KINDS:
            raise UserError(f"secret kind must be one of {', '.join(SECRET_KINDS)}")
        if not value or len(value.encode()) > MAX_SECRET_BYTES:
            raise UserError(f"a secret value must be 1 to {MAX_SECRET_BYTES} bytes")
        secret_id = uuid.uuid4().hex
        aad = associated_data(secret_id=secret_id, owner_id=owner_id, name=name, kind=kind)
        backend = self.backend
        stored = backend.seal(secret_id=secret_id, aad=aad, value=value)
        row = auth_repo.create_secret(
            session, id=secret_id, owner_id=owner_id, name=name, kind=kind,
            backend=backend.name, **stored,
        )
        return SecretInfo.of(row)

    def reveal(self, session: Session, *, secret_id: str) -> str:
        row = auth_repo.get_secret(session, secret_id=secret_id)
        if row is None:
            raise NotFound(f"secret {secret_id!r} not found")
        aad = associated_data(
            secret_id=row.id, owner_id=row.owner_id, name=row.name, kind=row.kind
        )
        return self._backend_of(row).open(row, aad=aad)

    def delete(self, session: Session, *, secret_id: str) -> None:
        row = auth_repo.get_secret(session, secret_id=secret_id)
        if row is None:
            raise NotFound(f"secret {secret_id!r} not found")
        self._backend_of(row).discard(row)
        auth_repo.delete_secret(session, secret_id=secret_id)

    def reencrypt(self, session: Session, *, batch: int = 500) -> int:
        """Re-seal every database-backed secret not under the active key; how many."""
        keyring = self.database.keyring
        done = 0
        while True:
            rows = auth_repo.secrets_not_under_key(session, key_id=keyring.active, limit=batch)
            if not rows:
                return done
            for row in rows:
                aad = associated_data(
                    secret_id=row.id, owner_id=row.owner_id, name=row.name, kind=row.kind
                )
                plain = self.database.open(row, aad=aad).encode()
                sealed = keyring.encrypt(plain, aad=aad)
                auth_repo.update_secret_ciphertext(
                    session, secret_id=row.id, key_id=sealed.key_id, nonce=sealed.nonce,
                    ciphertext=sealed.ciphertext,
                )
                done += 1
            session.flush()


def store_from_settings(settings: Settings) -> SecretStore:
    """The secret store for the configured keyring and (if QL_VAULT_ADDR is set) Vault."""
    vault = None
    if settings.vault_addr:
        vault = VaultBackend(
            url=settings.vault_addr,
            token=settings.vault_token.get_secret_value() if settings.vault_token else None,
            mount=settings.vault_mount,
            prefix=settings.vault_path_prefix,
        )
    return SecretStore(keyring=keyring_from_settings(settings), vault=vault)
