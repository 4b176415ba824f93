"""quantumlayer.security without services: tokens, passwords, API keys, roles, encryption, PII."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from quantumlayer.config import Settings
from quantumlayer.errors import UserError
from quantumlayer.security import api_keys, passwords
from quantumlayer.security.encryption import Keyring, SecretDecryptionError, keyring_from_settings
from quantumlayer.security.errors import AuthenticationFailed
from quantumlayer.security.network import address_allowed
from quantumlayer.security.pii import PiiKind, find_pii, luhn_ok, redact
from quantumlayer.security.rbac import Permission, Role, api_key_permissions, permissions_for
from quantumlayer.security.tokens import TokenCodec, TokenUse, codec_from_settings

SECRET = b"k" * 64


def hs_codec(secret: bytes = SECRET) -> TokenCodec:
    return TokenCodec(algorithm="HS256", signing_key=secret, verifying_key=secret,
                      issuer="quantumlayer", audience="quantumlayer-api", leeway_s=0)


def claims(**over: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": "quantumlayer", "aud": "quantumlayer-api", "sub": "u1", "iat": now, "nbf": now,
        "exp": now + 900, "jti": "j1", "sid": "s1", "token_use": "access",
    }
    base.update(over)
    return base


def forge(payload: dict[str, object], key: object = SECRET, alg: str = "HS256",
          typ: str = "at+jwt") -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"typ": typ})


# --- tokens ------------------------------------------------------------------------------------


def test_access_token_round_trip_and_lifetime() -> None:
    codec = hs_codec()
    issued = codec.encode(subject="u1", use=TokenUse.ACCESS, session_id="s1", ttl_s=900)
    got = codec.decode(issued.token, use=TokenUse.ACCESS)
    assert (got.subject, got.session_id, got.use) == ("u1", "s1", TokenUse.ACCESS)
    assert got.expires_at - got.issued_at == 900
    assert jwt.get_unverified_header(issued.token)["typ"] == "at+jwt"


def test_refresh_expiry_is_capped_by_the_session() -> None:
    codec = hs_codec()
    now = int(time.time())
    issued = codec.encode(subject="u", use=TokenUse.REFRESH, session_id="s", ttl_s=10_000,
                          now=now, expires_at=now + 50)
    assert issued.expires_at == now + 50


@pytest.mark.parametrize(
    "token_factory",
    [
        pytest.param(lambda: jwt.encode(claims(), None, algorithm="none",
                                        headers={"typ": "at+jwt"}), id="alg-none"),
        pytest.param(lambda: forge(claims(), key=b"x" * 64), id="wrong-key"),
        pytest.param(lambda: forge(claims(exp=int(time.time()) - 10)), id="expired"),
        pytest.param(lambda: forge(claims(nbf=int(time.time()) + 60)), id="not-yet-valid"),
        pytest.param(lambda: forge(claims(aud="someone-else")), id="wrong-aud"),
        pytest.param(lambda: forge(claims(iss="evil")), id="wrong-iss"),
        pytest.param(lambda: forge(claims(token_use="refresh")), id="refresh-claim"),
        pytest.param(lambda: forge(claims(), typ="JWT"), id="untyped-header"),
        pytest.param(lambda: forge({k: v for k, v in claims().items() if k != "exp"}),
                     id="no-exp"),
        pytest.param(lambda: forge({k: v for k, v in claims().items() if k != "aud"}),
                     id="no-aud"),
        pytest.param(lambda: forge(claims(), alg="HS512"), id="other-hmac-alg"),
        pytest.param(lambda: "not.a.token", id="garbage"),
        pytest.param(lambda: "", id="empty"),
    ],
)
def test_bad_access_tokens_are_refused(token_factory) -> None:  # noqa: ANN001
    with pytest.raises(AuthenticationFailed):
        hs_codec().decode(token_factory(), use=TokenUse.ACCESS)


def test_a_tampered_payload_is_refused() -> None:
    token = hs_codec().encode(subject="u1", use=TokenUse.ACCESS, session_id="s",
                              ttl_s=900).token
    head, payload, sig = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["sub"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    with pytest.raises(AuthenticationFailed):
        hs_codec().decode(f"{head}.{forged}.{sig}", use=TokenUse.ACCESS)


def test_refresh_and_access_tokens_are_not_interchangeable() -> None:
    codec = hs_codec()
    refresh = codec.encode(subject="u", use=TokenUse.REFRESH, session_id="s", ttl_s=60).token
    access = codec.encode(subject="u", use=TokenUse.ACCESS, session_id="s", ttl_s=60).token
    with pytest.raises(AuthenticationFailed):
        codec.decode(refresh, use=TokenUse.ACCESS)
    with pytest.raises(AuthenticationFailed):
        codec.decode(access, use=TokenUse.REFRESH)


def test_rs256_refuses_the_algorithm_swap_attack() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    codec = codec_from_settings(Settings(jwt_algorithm="RS256", jwt_private_key=pem))
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # HS256 "signed" with the public key as the HMAC secret (PyJWT refuses to make one with a
    # PEM key, so build it by hand as an attacker would).
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (b64(json.dumps({"alg": "HS256", "typ": "at+jwt"}).encode()) + "."
                     + b64(json.dumps(claims()).encode()))
    sig = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(AuthenticationFailed):
        codec.decode(f"{signing_input}.{b64(sig)}", use=TokenUse.ACCESS)
    good = codec.encode(subject="u1", use=TokenUse.ACCESS, session_id="s", ttl_s=900)
    assert codec.decode(good.token, use=TokenUse.ACCESS).subject == "u1"


def test_key_configuration_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="QL_JWT_SECRET"):
        codec_from_settings(Settings(home=tmp_path, database_url="postgresql://x@h/db"))
    with pytest.raises(UserError, match="at least 32"):
        codec_from_settings(Settings(home=tmp_path, jwt_secret="short"))
    with pytest.raises(UserError, match="QL_JWT_PRIVATE_KEY"):
        codec_from_settings(Settings(home=tmp_path, jwt_algorithm="RS256"))
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    with pytest.raises(UserError, match="does not fit"):
        codec_from_settings(Settings(home=tmp_path, jwt_algorithm="RS256",
                                     jwt_private_key=ec_pem))
    # Local mode keeps one random key under QL_HOME, the same for every process.
    first = codec_from_settings(Settings(home=tmp_path))
    second = codec_from_settings(Settings(home=tmp_path))
    token = first.encode(subject="u", use=TokenUse.ACCESS, session_id="s", ttl_s=60).token
    assert second.decode(token, use=TokenUse.ACCESS).subject == "u"
    assert (tmp_path / "keys" / "jwt.key").stat().st_mode & 0o077 == 0


# --- passwords, API keys, roles, networks ---------------------------------------------------------


def test_passwords_are_argon2id_and_verify() -> None:
    hashed = passwords.hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "correct horse")
    assert not passwords.verify_password(hashed, "wrong horse")
    assert not passwords.verify_password(None, "anything")  # unknown user: dummy verify
    assert not passwords.verify_password("not a hash", "x")
    with pytest.raises(UserError):
        passwords.hash_password("short")


def test_api_keys_are_random_and_checked_by_digest() -> None:
    one, two = api_keys.generate(), api_keys.generate()
    assert one.key != two.key and one.prefix != two.prefix
    assert api_keys.parse_prefix(one.key) == one.prefix
    assert api_keys.matches(one.key, one.digest)
    assert not api_keys.matches(two.key, one.digest)
    assert one.key not in one.digest
    assert api_keys.parse_prefix("ql_short_x") is None


def test_roles_map_to_permissions_and_api_keys_cannot_escalate() -> None:
    assert Permission.USERS_MANAGE in permissions_for("admin")
    assert Permission.PROJECTS_CREATE in permissions_for("developer")
    assert Permission.PROJECTS_CREATE not in permissions_for("viewer")
    assert permissions_for("nonsense") == frozenset()
    # A developer's key asking for users:manage gets nothing of it; keys never manage keys.
    granted = api_key_permissions(["users:manage", "projects:read", "api_keys:manage"],
                                  Role.DEVELOPER)
    assert granted == {Permission.PROJECTS_READ}
    # Demoting the owner shrinks their keys at once.
    assert api_key_permissions(["projects:create"], Role.VIEWER) == frozenset()


def test_admin_networks() -> None:
    cidrs = ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]
    assert address_allowed("10.2.3.4", cidrs)
    assert address_allowed("127.0.0.1", cidrs)
    assert address_allowed("::1", cidrs)
    assert address_allowed("::ffff:10.0.0.1", cidrs)
    assert not address_allowed("127.0.0.2", cidrs)
    assert not address_allowed("192.168.1.1", cidrs)
    assert not address_allowed("garbage", cidrs)
    assert not address_allowed(None, cidrs)


# --- encryption ----------------------------------------------------------------------------------


def test_aes_gcm_fresh_nonces_bound_to_the_row_and_rotation() -> None:
    ring = Keyring({"k1": b"\x01" * 32}, "k1")
    a = ring.encrypt(b"sk-secret", aad=b"row-1")
    b = ring.encrypt(b"sk-secret", aad=b"row-1")
    assert a.nonce != b.nonce and a.ciphertext != b.ciphertext
    assert b"sk-secret" not in a.ciphertext
    assert ring.decrypt(a, aad=b"row-1") == b"sk-secret"
    with pytest.raises(SecretDecryptionError):
        ring.decrypt(a, aad=b"row-2")  # copied onto another row: does not open
    tampered = type(a)(a.key_id, a.nonce, a.ciphertext[:-1] + bytes([a.ciphertext[-1] ^ 1]))
    with pytest.raises(SecretDecryptionError):
        ring.decrypt(tampered, aad=b"row-1")
    rotated = ring.with_new_active_key()
    assert rotated.active != "k1"
    assert rotated.decrypt(a, aad=b"row-1") == b"sk-secret"  # old rows still open
    assert rotated.encrypt(b"x", aad=b"r").key_id == rotated.active
    with pytest.raises(SecretDecryptionError):
        Keyring({"k9": b"\x02" * 32}, "k9").decrypt(a, aad=b"row-1")


def test_keyrings_from_settings(tmp_path: Path) -> None:
    key = base64.b64encode(b"\x03" * 32).decode()
    ring = keyring_from_settings(Settings(home=tmp_path, secrets_keys=f"new:{key},old:{key}"))
    assert ring.active == "new" and set(ring.keys) == {"new", "old"}
    with pytest.raises(UserError):
        Keyring.parse("k1:not-base64!")
    with pytest.raises(UserError):
        Keyring.parse(f"k1:{base64.b64encode(b'short').decode()}")
    with pytest.raises(UserError, match="QL_SECRETS_KEYS"):
        keyring_from_settings(Settings(home=tmp_path, database_url="postgresql://x@h/db"))
    local = keyring_from_settings(Settings(home=tmp_path))
    assert keyring_from_settings(Settings(home=tmp_path)).keys == local.keys


# --- PII -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jane.doe+work@example.co.uk today", PiiKind.EMAIL),
        ("call +44 20 7946 0958", PiiKind.PHONE),
        ("call (555) 123-4567", PiiKind.PHONE),
        ("card 4111 1111 1111 1111", PiiKind.CARD),
        ("card 5555-5555-5555-4444", PiiKind.CARD),
        ("ssn 123-45-6789", PiiKind.NATIONAL_ID),
        ("NI AB 12 34 56 C", PiiKind.NATIONAL_ID),
        ("IBAN GB82 WEST 1234 5698 7654 32", PiiKind.IBAN),
        ("from 203.0.113.7", PiiKind.IP),
        ("from 2001:db8::8a2e:370:7334", PiiKind.IP),
        ("key sk-proj-abcdefghijklmnopqrstuvwxyz123456", PiiKind.CREDENTIAL),
        ("aws AKIAIOSFODNN7EXAMPLE", PiiKind.CREDENTIAL),
        ("gh ghp_abcdefghijklmnopqrstuvwxyz0123456789", PiiKind.CREDENTIAL),
        ("token Zx9Qm2Lp8Rt4Vw6Yb1Nc3Df5Gh7Jk0Ls2", PiiKind.CREDENTIAL),
    ],
)
def test_pii_is_found_and_redacted(text: str, kind: PiiKind) -> None:
    found = find_pii(text)
    assert [m.kind for m in found] == [kind], found
    assert f"[REDACTED:{kind.value}]" in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "A REST API for a library: books, authors, members and loans",
        "It must serve 5000 req/s with p99 < 50 ms and 99.9% uptime for 10000 users",
        "card 4111 1111 1111 1112 fails Luhn",
        "released on 2024-01-15, order 1234567890123",
        "listen on 127.0.0.1 and 0.0.0.0",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert find_pii(text) == []
    assert redact(text) == text


def test_service_processes_log_through_the_pii_filter() -> None:
    """`quantumlayer api` and `quantumlayer worker` set their logging up this way: a line any
    library logs (here Temporal's activity logger) reaches stderr redacted."""
    code = (
        "import logging\n"
        "from quantumlayer.api.app import configure_logging\n"
        "configure_logging()\n"
        "logging.getLogger('temporalio.activity').warning('failed for %s, key %s',"
        " 'jane.doe@example.com', 'sk-proj-abcdefghijklmnopqrstuvwxyz123456')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert "failed for [REDACTED:email], key [REDACTED:credential]" in done.stderr
    assert "jane.doe" not in done.stderr and "sk-proj" not in done.stderr


def test_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
