"""Fixtures of the API tests: real `quantumlayer api` servers (uvicorn in a subprocess) on SQLite
and PostgreSQL, the real Redis, a Temporal dev server, and HTTP clients.

Servers are shared per session (starting one takes a couple of seconds); tests isolate
themselves with fresh users (and so fresh projects, keys and rate-limit buckets), and every
server gets its own Redis key prefix and Temporal task queues.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import fresh_pg_schema, require_services

BIN = Path(sys.executable).parent / "quantumlayer"
REDIS_URL = os.environ.get("QL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "user-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_available(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def need_redis() -> None:
    if not redis_available():
        if require_services():
            pytest.fail(f"Redis at {REDIS_URL} is not reachable")
        pytest.skip("Redis is not reachable")


def rsa_private_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def cli(*args: str, env: dict[str, str], stdin: str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=timeout)


@dataclass
class ApiServer:
    """A running `quantumlayer api` process."""

    url: str
    env: dict[str, str]
    home: Path
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    admin_password: str = ADMIN_PASSWORD
    _admin_token: str | None = field(default=None, repr=False)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    # -- users ----------------------------------------------------------------------------------
    def admin_token(self) -> str:
        if self._admin_token is None:
            self._admin_token = login(self, "admin", self.admin_password)["access_token"]
        return self._admin_token

    def admin(self) -> httpx.Client:
        return self.client(headers={"Authorization": f"Bearer {self.admin_token()}"})

    def new_user(self, role: str = "developer", *, password: str = PASSWORD) -> User:
        """A fresh user of `role`, made through the admin API, logged in."""
        name = f"{role[:3]}-{uuid.uuid4().hex[:10]}"
        with self.admin() as admin:
            r = admin.post("/v1/users", json={"username": name, "password": password,
                                              "role": role})
            assert r.status_code == 201, r.text
            user_id = r.json()["id"]
        tokens = login(self, name, password)
        return User(self, user_id, name, role, password, tokens)


@dataclass
class User:
    server: ApiServer
    id: str
    username: str
    role: str
    password: str
    tokens: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}

    def client(self, **kwargs: Any) -> httpx.Client:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.server.client(headers=headers, **kwargs)


def login(server: ApiServer, username: str, password: str) -> dict[str, Any]:
    with server.client() as c:
        r = c.post("/v1/auth/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return r.json()


def base_env(home: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env.update({
        "QL_HOME": str(home),
        "QL_REDIS_URL": REDIS_URL,
        "QL_RATE_LIMIT_KEY_PREFIX": f"qltest-{uuid.uuid4().hex[:10]}",
        "QL_TASK_QUEUE_PREFIX": f"qlapi{uuid.uuid4().hex[:8]}",
        "QL_RATE_LIMIT": "100000/minute",
        "QL_AUTH_RATE_LIMIT": "100000/minute",
        "QL_SANDBOX_TIMEOUT_S": "120",
    })
    env.update(overrides)
    return env


def start_api(home: Path, *, env: dict[str, str], admin: bool = True,
              timeout: float = 60, host: str = "127.0.0.1") -> ApiServer:
    """Start `quantumlayer api` on a free port and wait until it answers /healthz."""
    home.mkdir(parents=True, exist_ok=True)
    if admin:
        done = cli("users", "create", "--username", "admin", "--role", "admin",
                   "--password-stdin", env=env, stdin=ADMIN_PASSWORD + "\n")
        assert done.returncode == 0 or "already exists" in done.stderr, done.stderr
    port = free_port()
    log_path = home / f"api-{port}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        [str(BIN), "api", "--host", host, "--port", str(port)], env=env,
        stdout=log_file, stderr=subprocess.STDOUT,
    )
    log_file.close()
    server = ApiServer(url=f"http://{host}:{port}", env=env, home=home, log_path=log_path,
                       proc=proc)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"the API exited with {proc.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise AssertionError(f"the API did not start in {timeout}s:\n{server.log()}")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def temporal_address(temporal_env: Any) -> str:
    """The address of the session's Temporal dev server (conftest's `temporal_env`)."""
    return str(temporal_env.client.service_client.config.target_host)


# Every test module that imports these fixtures gets its own instance of a session fixture, so
# the schema's name is chosen once per process: the API server and the tests that inspect its
# database must meet in the same schema.
_PG_SCHEMA = f"ql_api_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """Like conftest's `pg_url`, but for a server shared by many tests of a session."""
    with fresh_pg_schema("ql_api", name=_PG_SCHEMA) as url:
        yield url


def secrets_keyring() -> str:
    import base64

    return f"k1:{base64.b64encode(os.urandom(32)).decode()}"


# Test modules import these fixtures, and pytest makes one fixture definition per importing
# module; the servers are kept here so that the whole session shares one of each.
_SHARED: dict[str, ApiServer] = {}


@pytest.fixture(scope="session")
def api_sqlite(tmp_path_factory: pytest.TempPathFactory, temporal_address: str
               ) -> Iterator[ApiServer]:
    """The API on SQLite, signing tokens with RS256, admin only from 127.0.0.1/32."""
    need_redis()
    if "sqlite" not in _SHARED:
        home = tmp_path_factory.mktemp("api-sqlite")
        env = base_env(home, QL_TEMPORAL_ADDRESS=temporal_address, QL_JWT_ALGORITHM="RS256",
                       QL_JWT_PRIVATE_KEY=rsa_private_pem(),
                       QL_ADMIN_ALLOWED_CIDRS="127.0.0.1/32",
                       QL_CORS_ORIGINS="https://dashboard.example")
        _SHARED["sqlite"] = start_api(home, env=env)
    yield _SHARED["sqlite"]
    _SHARED["sqlite"].stop()


@pytest.fixture(scope="session")
def api_pg(tmp_path_factory: pytest.TempPathFactory, temporal_address: str,
           pg_schema_url: str) -> Iterator[ApiServer]:
    """The API on PostgreSQL, signing tokens with HS256."""
    need_redis()
    if "postgresql" not in _SHARED:
        home = tmp_path_factory.mktemp("api-pg")
        env = base_env(home, QL_TEMPORAL_ADDRESS=temporal_address,
                       QL_DATABASE_URL=pg_schema_url,
                       QL_JWT_SECRET=uuid.uuid4().hex + uuid.uuid4().hex,
                       QL_SECRETS_KEYS=secrets_keyring())
        _SHARED["postgresql"] = start_api(home, env=env)
    yield _SHARED["postgresql"]
    _SHARED["postgresql"].stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest) -> ApiServer:
    """The API on each database backend."""
    return request.getfixturevalue("api_sqlite" if request.param == "sqlite" else "api_pg")


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    """The response is a problem document of `status` (and `code`), with a request id."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "error", "request_id"}, body
    assert body["status"] == status
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["request_id"] == response.headers["x-request-id"]
    if code is not None:
        assert body["error"]["code"] == code, body
    assert "Traceback" not in response.text
    return body


# --- a stand-in Vault (KV v2 over HTTP) ----------------------------------------------------------


class VaultStandIn:
    """A small HTTP server speaking the part of HashiCorp Vault's HTTP API that hvac's KV v2
    client uses (no Vault binary is available here): token check, create/read/delete secrets
    with versions, token lookup-self. Data lives in memory; `data` shows what Vault holds."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.data: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, body: Any | None = None) -> None:
                raw = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _route(self, method: str) -> None:
                outer.requests.append((method, self.path))
                if self.headers.get("X-Vault-Token") != outer.token:
                    self._reply(403, {"errors": ["permission denied"]})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}") if length else {}
                path = self.path.split("?", 1)[0]
                if path == "/v1/auth/token/lookup-self":
                    self._reply(200, {"data": {"id": "stand-in"}})
                    return
                parts = path.split("/")  # ['', 'v1', mount, 'data'|'metadata', *secret]
                if len(parts) < 5 or parts[1] != "v1":
                    self._reply(404, {"errors": []})
                    return
                kind, key = parts[3], "/".join(parts[4:])
                versions = outer.data.get(key)
                if kind == "data" and method in ("POST", "PUT"):
                    outer.data.setdefault(key, []).append(payload["data"])
                    n = len(outer.data[key])
                    self._reply(200, {"data": {"version": n, "created_time": "now",
                                               "deletion_time": "", "destroyed": False}})
                elif kind == "data" and method == "GET":
                    if not versions:
                        self._reply(404, {"errors": []})
                        return
                    query = self.path.partition("?")[2]
                    version = len(versions)
                    for part in query.split("&"):
                        if part.startswith("version=") and part[8:].isdigit() and int(part[8:]):
                            version = int(part[8:])
                    self._reply(200, {"data": {"data": versions[version - 1], "metadata": {
                        "version": version, "deletion_time": "", "destroyed": False}}})
                elif kind == "metadata" and method == "DELETE":
                    outer.data.pop(key, None)
                    self._reply(204)
                else:
                    self._reply(405, {"errors": []})

            def do_GET(self) -> None:  # noqa: N802
                self._route("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._route("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._route("PUT")

            def do_DELETE(self) -> None:  # noqa: N802
                self._route("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def server_engine(server: ApiServer) -> sa.Engine:
    """An engine on the server's own database (to look at or age what it stored)."""
    from quantumlayer.store import db

    url = server.env.get("QL_DATABASE_URL") or db.default_sqlite_url(server.home)
    return db.create_engine_for(url)
