"""Authentication through real HTTP against `quantumlayer api` (SQLite with RS256 tokens,
PostgreSQL with HS256), every attempt to break it answered 401."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization

from tests import api_fixtures
from tests.api_fixtures import (
    ApiServer,
    assert_problem,
    server_engine,
)

pytestmark = pytest.mark.integration

# The shared fixtures (pytest finds them in this module's namespace).
api = api_fixtures.api
api_pg = api_fixtures.api_pg
api_sqlite = api_fixtures.api_sqlite
pg_schema_url = api_fixtures.pg_schema_url
temporal_address = api_fixtures.temporal_address


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unverified(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def me(server: ApiServer, token: str) -> httpx.Response:
    with server.client() as c:
        return c.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})


def hand_signed(header: dict[str, Any], payload: dict[str, Any], key: bytes) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    sig = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


def test_login_issues_a_pair_with_the_configured_lifetimes(api: ApiServer) -> None:
    user = api.new_user("viewer")
    pair = user.tokens
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 900
    access, refresh = unverified(pair["access_token"]), unverified(pair["refresh_token"])
    assert access["exp"] - access["iat"] == 900
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600
    assert access["sub"] == refresh["sub"] == user.id
    assert access["token_use"] == "access" and refresh["token_use"] == "refresh"
    r = me(api, pair["access_token"])
    assert r.status_code == 200 and r.json()["username"] == user.username
    assert "password_hash" not in r.text


def test_forged_and_misused_tokens_are_401(api_sqlite: ApiServer) -> None:
    """The SQLite server signs with RS256: try every trick on it."""
    user = api_sqlite.new_user("viewer")
    good = unverified(user.tokens["access_token"])
    now = int(time.time())
    private = serialization.load_pem_private_key(
        api_sqlite.env["QL_JWT_PRIVATE_KEY"].encode(), password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def sign(payload: dict[str, Any], key: Any = private, typ: str = "at+jwt") -> str:
        return jwt.encode(payload, key, algorithm="RS256", headers={"typ": typ})

    head, body, sig = user.tokens["access_token"].split(".")
    tampered = {**good, "sub": "someone-else"}
    attempts = {
        "alg none": f"{b64(json.dumps({'alg': 'none', 'typ': 'at+jwt'}).encode())}."
                    f"{b64(json.dumps(good).encode())}.",
        "wrong key": sign(good, key=other_key),
        "algorithm swap (HS256 with the public key)": hand_signed(
            {"alg": "HS256", "typ": "at+jwt"}, good, public_pem),
        "expired": sign({**good, "iat": now - 2000, "nbf": now - 2000, "exp": now - 1000}),
        "before nbf": sign({**good, "nbf": now + 120}),
        "wrong aud": sign({**good, "aud": "another-api"}),
        "wrong iss": sign({**good, "iss": "https://evil.example"}),
        "tampered payload": f"{head}.{b64(json.dumps(tampered).encode())}.{sig}",
        "refresh as access": user.tokens["refresh_token"],
        "no type": sign(good, typ="JWT"),
        "unknown session": sign({**good, "sid": uuid.uuid4().hex}),
        "garbage": "abc.def.ghi",
    }
    for name, token in attempts.items():
        r = me(api_sqlite, token)
        body_ = assert_problem(r, 401, "unauthenticated")
        assert r.headers["www-authenticate"].startswith("Bearer"), name
        assert name and body_["error"]["message"]
    with api_sqlite.client() as c:
        assert_problem(c.get("/v1/users/me"), 401)
        assert_problem(c.get("/v1/users/me", headers={"Authorization": "Basic eDp5"}), 401)
        # An access token is no refresh token either.
        r = c.post("/v1/auth/refresh", json={"refresh_token": user.tokens["access_token"]})
        assert_problem(r, 401)


def test_hs256_server_refuses_tokens_signed_elsewhere(api_pg: ApiServer) -> None:
    user = api_pg.new_user("viewer")
    good = unverified(user.tokens["access_token"])
    for token in (
        jwt.encode(good, "x" * 64, algorithm="HS256", headers={"typ": "at+jwt"}),
        jwt.encode(good, api_pg.env["QL_JWT_SECRET"] * 2, algorithm="HS512",
                   headers={"typ": "at+jwt"}),
    ):
        assert_problem(me(api_pg, token), 401)
    forged = jwt.encode({**good, "sub": "admin"}, api_pg.env["QL_JWT_SECRET"],
                        algorithm="HS256", headers={"typ": "at+jwt"})
    assert_problem(me(api_pg, forged), 401)  # right key, but no such user in that session


def test_refresh_rotates_and_reuse_revokes_the_family(api: ApiServer) -> None:
    user = api.new_user("viewer")
    first = user.tokens
    with api.client() as c:
        r = c.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert r.status_code == 200, r.text
        second = r.json()
        assert second["refresh_token"] != first["refresh_token"]
        # The family's end is fixed at login: rotation never extends it.
        assert unverified(second["refresh_token"])["exp"] == unverified(
            first["refresh_token"])["exp"]
        assert unverified(second["access_token"])["exp"] - unverified(
            second["access_token"])["iat"] == 900
        assert me(api, second["access_token"]).status_code == 200
        # The spent token comes back: someone copied it. The whole login dies.
        r = c.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert_problem(r, 401)
        assert_problem(c.post("/v1/auth/refresh",
                              json={"refresh_token": second["refresh_token"]}), 401)
        assert_problem(me(api, second["access_token"]), 401)
        assert_problem(me(api, first["access_token"]), 401)
    with api.admin() as admin:
        events = admin.get("/v1/audit", params={"actor_id": user.id}).json()["data"]
    actions = [(e["action"], e["outcome"]) for e in events]
    assert ("auth.refresh_reuse", "denied") in actions
    assert ("auth.refresh", "success") in actions and ("auth.login", "success") in actions


def test_twenty_concurrent_refreshes_at_most_one_succeeds(api: ApiServer) -> None:
    user = api.new_user("viewer")
    token = user.tokens["refresh_token"]
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def attempt() -> None:
        with api.client() as c:
            barrier.wait(timeout=10)
            statuses.append(c.post("/v1/auth/refresh", json={"refresh_token": token}).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(statuses) == 20
    assert statuses.count(200) <= 1, statuses
    assert set(statuses) <= {200, 401}, statuses


def test_logout_ends_the_login(api: ApiServer) -> None:
    user = api.new_user("viewer")
    with user.client() as c:
        assert c.post("/v1/auth/logout").status_code == 204
        assert_problem(c.get("/v1/users/me"), 401)
        r = c.post("/v1/auth/refresh", json={"refresh_token": user.tokens["refresh_token"]})
        assert_problem(r, 401)


def test_login_does_not_tell_unknown_users_from_wrong_passwords(api: ApiServer) -> None:
    user = api.new_user("viewer")
    with api.client() as c:
        wrong = c.post("/v1/auth/token", data={"username": user.username, "password": "nope-nope"})
        ghost = f"ghost-{uuid.uuid4().hex[:8]}"
        unknown = c.post("/v1/auth/token", data={"username": ghost, "password": "nope-nope"})
    a, b = assert_problem(wrong, 401), assert_problem(unknown, 401)
    for body in (a, b):
        body.pop("request_id")
    assert a == b
    assert wrong.headers.get("www-authenticate") == unknown.headers.get("www-authenticate")


def test_repeated_login_failures_are_throttled(api_sqlite: ApiServer) -> None:
    user = api_sqlite.new_user("viewer")
    with api_sqlite.client() as c:
        for _ in range(5):
            r = c.post("/v1/auth/token", data={"username": user.username, "password": "bad-pass"})
            assert_problem(r, 401)
        # Even the right password waits now: the attempts are what is limited.
        r = c.post("/v1/auth/token", data={"username": user.username, "password": user.password})
        assert_problem(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1
    with api_sqlite.admin() as admin:
        events = admin.get("/v1/audit", params={"action": "auth.login",
                                                "actor_id": user.id}).json()["data"]
    assert sum(e["outcome"] == "failure" for e in events) == 5


def test_deactivated_users_are_locked_out_at_once(api: ApiServer) -> None:
    user = api.new_user("developer")
    with api.admin() as admin:
        # "no" is no boolean: nothing changes
        assert_problem(admin.patch(f"/v1/users/{user.id}", json={"is_active": "no"}), 422)
        assert admin.get(f"/v1/users/{user.id}").json()["is_active"] is True
        r = admin.patch(f"/v1/users/{user.id}", json={"is_active": False})
        assert r.status_code == 200 and r.json()["is_active"] is False
    assert_problem(me(api, user.tokens["access_token"]), 401)
    with api.client() as c:
        assert_problem(c.post("/v1/auth/token", data={"username": user.username,
                                                      "password": user.password}), 401)


def test_a_login_dies_at_its_fixed_end_however_often_it_rotates(api: ApiServer) -> None:
    user = api.new_user("viewer")
    pair = user.tokens
    with api.client() as c:
        for _ in range(3):
            r = c.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
            assert r.status_code == 200, r.text
            pair = r.json()
        assert unverified(pair["refresh_token"])["exp"] == unverified(
            user.tokens["refresh_token"])["exp"]
        # Thirty days pass: the login's end (fixed at login) is now behind us.
        engine = server_engine(api)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE auth_sessions SET expires_at = :t WHERE user_id = :u"),
                             {"t": datetime.now(UTC) - timedelta(seconds=1), "u": user.id})
        finally:
            engine.dispose()
        assert_problem(c.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
                       401)
        assert_problem(me(api, pair["access_token"]), 401)
