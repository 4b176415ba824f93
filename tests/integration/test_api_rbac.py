"""Authorisation through real HTTP: every role against every operation of the route table,
ownership (404 for other people's projects), strict bodies, no internal fields, API keys,
admin networks."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from quantumlayer.security.rbac import ROLE_PERMISSIONS, Role
from tests import api_fixtures
from tests.api_fixtures import (
    ApiServer,
    assert_problem,
)

pytestmark = pytest.mark.integration

# The shared fixtures (pytest finds them in this module's namespace).
api = api_fixtures.api
api_pg = api_fixtures.api_pg
api_sqlite = api_fixtures.api_sqlite
pg_schema_url = api_fixtures.pg_schema_url
temporal_address = api_fixtures.temporal_address
WAITING = {"intent": "A REST API for a library: books and loans",
           "options": {"require_approval": True, "run_quality_gate": False}}
LEAKS = ("password_hash", "key_digest", "ciphertext", "$argon2", "nonce", "credentials_secret_id")


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


Example = tuple[dict[str, Any] | None, dict[str, Any] | None, set[int]]


def example(method: str, path: str) -> Example:
    """(json body, form body, statuses a permitted caller may get) for one operation.
    Operations with `{id}` in the path are called with an id that does not exist: 404."""
    if "{" in path:
        body = {"target": "local"} if path.endswith("/deployments") else None
        if method == "PATCH":
            body = {"email": "x@example.com"}
        return body, None, {404}
    table: dict[tuple[str, str], Example] = {
        ("GET", "/healthz"): (None, None, {200}),
        ("GET", "/readyz"): (None, None, {200}),
        ("POST", "/v1/auth/token"): (None, {"username": "nobody-x", "password": "wrong-pass"},
                                     {401}),
        ("POST", "/v1/auth/refresh"): ({"refresh_token": "x.y.z"}, None, {401}),
        ("POST", "/v1/auth/logout"): (None, None, set()),  # walked last, separately
        ("GET", "/v1/users/me"): (None, None, {200}),
        ("PATCH", "/v1/users/me"): ({"email": "me@example.com"}, None, {200}),
        ("POST", "/v1/users"): ({"username": fresh("walk"), "password": "walk-pass-1"}, None,
                                {201}),
        ("GET", "/v1/users"): (None, None, {200}),
        ("POST", "/v1/api-keys"): ({"name": "walk", "permissions": ["projects:read"]}, None,
                                   {201}),
        ("GET", "/v1/api-keys"): (None, None, {200}),
        ("POST", "/v1/projects"): (WAITING, None, {202}),
        ("GET", "/v1/projects"): (None, None, {200}),
        ("POST", "/v1/intents:analyze"): ({"intent": "A CLI to rename photos"}, None, {200}),
        ("GET", "/v1/templates"): (None, None, {200}),
        ("GET", "/v1/deployment-targets"): (None, None, {200}),
        ("POST", "/v1/deployment-targets"): ({"name": fresh("t"), "kind": "local"}, None,
                                             {201}),
        ("GET", "/v1/agents"): (None, None, {200}),
        ("POST", "/v1/secrets"): ({"name": fresh("s"), "value": "v-123"}, None, {201}),
        ("GET", "/v1/secrets"): (None, None, {200}),
        ("GET", "/v1/audit"): (None, None, {200}),
    }
    return table[(method, path)]


def operations(server: ApiServer) -> list[tuple[str, str, str]]:
    with server.client() as c:
        spec = c.get("/v1/openapi.json").json()
    return [(m.upper(), path, op["x-permission"])
            for path, ops in spec["paths"].items() for m, op in ops.items()]


def service_key(server: ApiServer) -> str:
    """An API key holding everything a service may hold (made by the admin)."""
    perms = sorted(p.value for p in ROLE_PERMISSIONS[Role.SERVICE])
    with server.admin() as admin:
        r = admin.post("/v1/api-keys", json={"name": "walk-service", "permissions": perms})
        assert r.status_code == 201, r.text
        return r.json()["key"]


def test_every_role_against_every_operation(api: ApiServer) -> None:
    ops = operations(api)
    assert len(ops) >= 30
    callers: dict[str, tuple[dict[str, str], frozenset[str]]] = {}
    for role in ("admin", "developer", "viewer"):
        user = api.new_user(role)
        callers[role] = (user.headers, frozenset(p.value for p in ROLE_PERMISSIONS[Role(role)]))
    callers["service"] = ({"X-API-Key": service_key(api)},
                          frozenset(p.value for p in ROLE_PERMISSIONS[Role.SERVICE]))
    callers["anonymous"] = ({}, frozenset())
    seen = 0
    with api.client() as c:
        for name, (headers, perms) in callers.items():
            for method, path, needs in ops:
                if path == "/v1/auth/logout":
                    continue
                body, form, allowed = example(method, path)
                url = path.replace("{", "").replace("}", "-missing")
                r = c.request(method, url, json=body, data=form, headers=headers)
                where = f"{name} {method} {path} -> {r.status_code} {r.text[:200]}"
                if needs == "public":
                    assert r.status_code in allowed, where
                elif name == "anonymous":
                    assert_problem(r, 401)
                elif needs != "authenticated" and needs not in perms:
                    assert_problem(r, 403, "forbidden")
                else:
                    assert r.status_code in allowed, where
                if r.status_code >= 400:
                    assert_problem(r, r.status_code)
                assert r.status_code < 500, where
                assert not any(leak in r.text for leak in LEAKS), where
                seen += 1
        # Logout last: it ends each login.
        for name, (headers, _) in callers.items():
            r = c.post("/v1/auth/logout", headers=headers)
            expected = {"anonymous": 401, "service": 422}.get(name, 204)
            assert r.status_code == expected, (name, r.text)
    assert seen == len(callers) * (len(ops) - 1)


def test_other_users_projects_do_not_exist_for_them(api: ApiServer) -> None:
    owner, other = api.new_user("developer"), api.new_user("developer")
    with owner.client() as c:
        r = c.post("/v1/projects", json=WAITING)
        assert r.status_code == 202, r.text
        project_id = r.json()["id"]
        assert r.headers["location"] == f"/v1/projects/{project_id}"
        assert c.get(f"/v1/projects/{project_id}").status_code == 200
    routes = [("GET", ""), ("GET", "/events"), ("POST", "/approve"), ("POST", "/cancel"),
              ("GET", "/artifacts"), ("GET", "/artifacts.zip"), ("POST", "/deployments"),
              ("GET", "/deployments"), ("GET", "/deployments/abc123")]
    with other.client() as c:
        for method, suffix in routes:
            body = {"target": "local"} if suffix == "/deployments" else None
            r = c.request(method, f"/v1/projects/{project_id}{suffix}", json=body)
            assert_problem(r, 404, "not_found")
        listed = c.get("/v1/projects").json()
        assert project_id not in [p["id"] for p in listed["data"]]
    with api.admin() as admin:  # projects:read_all
        assert admin.get(f"/v1/projects/{project_id}").status_code == 200
    with owner.client() as c:
        assert c.post(f"/v1/projects/{project_id}/cancel").status_code == 202


def test_bodies_forbid_unknown_fields_and_roles_cannot_be_self_granted(api: ApiServer) -> None:
    user = api.new_user("viewer")
    with user.client() as c:
        r = c.patch("/v1/users/me", json={"role": "admin"})
        body = assert_problem(r, 422, "invalid_input")
        assert body["error"]["details"][0]["loc"][-1] == "role"
        r = c.patch(f"/v1/users/{user.id}", json={"role": "admin"})
        assert_problem(r, 403)
        assert c.get("/v1/users/me").json()["role"] == "viewer"
        # Nothing of the password comes back, even in the validation error.
        r = c.patch("/v1/users/me", json={"password": "x", "current_password": "hunter22hunter"})
        assert "hunter22" not in r.text
    with api.admin() as admin:
        r = admin.post("/v1/users", json={"username": fresh("u"), "password": "long-enough",
                                          "is_admin": True})
        assert_problem(r, 422)


def test_api_keys_are_scoped_shown_once_and_revocable(api: ApiServer) -> None:
    dev = api.new_user("developer")
    with dev.client() as c:
        assert_problem(c.post("/v1/api-keys", json={"name": "k",
                                                    "permissions": ["users:manage"]}), 403)
        assert_problem(c.post("/v1/api-keys", json={"name": "k", "expires_in_days": True,
                                                    "permissions": ["projects:read"]}), 422)
        r = c.post("/v1/api-keys", json={"name": "ci", "permissions": ["projects:read"]})
        assert r.status_code == 201, r.text
        created = r.json()
        key = created["key"]
        assert key.startswith("ql_") and created["permissions"] == ["projects:read"]
        listed = c.get("/v1/api-keys").json()
        assert listed["count"] == 1 and "key" not in listed["data"][0]
        assert key not in c.get("/v1/api-keys").text
    with api.client(headers={"X-API-Key": key}) as svc:
        me = svc.get("/v1/users/me").json()
        assert me["authenticated_by"] == "api_key" and me["permissions"] == ["projects:read"]
        assert svc.get("/v1/projects").status_code == 200
        assert_problem(svc.post("/v1/projects", json=WAITING), 403)
        assert_problem(svc.get("/v1/api-keys"), 403)
    with api.client(headers={"X-API-Key": key[:-2] + "xx"}) as bad:
        assert_problem(bad.get("/v1/projects"), 401)
    with api.client(headers={"X-API-Key": key, **dev.headers}) as both:
        assert_problem(both.get("/v1/projects"), 401)
    with dev.client() as c:
        assert c.delete(f"/v1/api-keys/{created['id']}").status_code == 204
    with api.client(headers={"X-API-Key": key}) as svc:
        assert_problem(svc.get("/v1/projects"), 401)
    other = api.new_user("developer")
    with other.client() as c:  # someone else's key does not exist for them
        assert_problem(c.delete(f"/v1/api-keys/{created['id']}"), 404)
    with api.admin() as admin:
        actions = [e["action"] for e in admin.get(
            "/v1/audit", params={"actor_id": dev.id}).json()["data"]]
    assert "api_key.create" in actions and "api_key.revoke" in actions


def test_role_changes_apply_at_once_and_are_audited(api: ApiServer) -> None:
    user = api.new_user("viewer")
    with user.client() as c:
        assert_problem(c.post("/v1/projects", json=WAITING), 403)
    with api.admin() as admin:
        r = admin.patch(f"/v1/users/{user.id}", json={"role": "developer"})
        assert r.status_code == 200 and r.json()["role"] == "developer"
        events = admin.get("/v1/audit", params={"action": "user.role_change"}).json()["data"]
        assert any(e["target_id"] == user.id and e["details"] == {"from": "viewer",
                                                                  "to": "developer"}
                   for e in events)
        me = admin.get("/v1/users/me").json()
        assert_problem(admin.delete(f"/v1/users/{me['id']}"), 409)
    with user.client() as c:
        assert c.get("/v1/users/me").json()["role"] == "developer"


def test_admin_endpoints_only_from_allowed_networks(api_sqlite: ApiServer) -> None:
    """The SQLite server allows admin calls from 127.0.0.1/32 only: 127.0.0.2 is refused."""
    token = api_sqlite.admin_token()
    elsewhere = httpx.Client(
        base_url=api_sqlite.url.replace("127.0.0.1", "127.0.0.1"),
        transport=httpx.HTTPTransport(local_address="127.0.0.2"),
        headers={"Authorization": f"Bearer {token}"}, timeout=30,
    )
    with elsewhere:
        for path in ("/v1/users", "/v1/audit", "/v1/secrets"):
            body = assert_problem(elsewhere.get(path), 403)
            assert "network" in body["detail"]
        assert elsewhere.get("/v1/projects").status_code == 200  # not an admin endpoint
    with api_sqlite.admin() as admin:
        assert admin.get("/v1/users").status_code == 200
