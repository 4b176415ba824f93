"""Secrets at rest (AES-256-GCM, key rotation, Vault), PII kept out of logs, and the audit trail,
through the real API and CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from quantumlayer.config import Settings
from quantumlayer.security.secret_store import store_from_settings
from quantumlayer.store import db
from tests import api_fixtures
from tests.api_fixtures import (
    ApiServer,
    VaultStandIn,
    assert_problem,
    base_env,
    cli,
    need_redis,
    start_api,
)

pytestmark = pytest.mark.integration

# The shared fixtures (pytest finds them in this module's namespace).
api = api_fixtures.api
api_pg = api_fixtures.api_pg
api_sqlite = api_fixtures.api_sqlite
pg_schema_url = api_fixtures.pg_schema_url
temporal_address = api_fixtures.temporal_address


def plant_secrets(server: ApiServer) -> dict[str, str]:
    """An LLM key, a deployment credential, a user's password and an API key, via the API;
    returns the plaintexts that must never be found at rest."""
    llm_key = f"sk-proj-{uuid.uuid4().hex}{uuid.uuid4().hex}"
    cloud_secret = f"aws-secret-{uuid.uuid4().hex}"
    password = f"pw-{uuid.uuid4().hex}"
    with server.admin() as admin:
        r = admin.post("/v1/secrets", json={"name": f"openai-{uuid.uuid4().hex[:6]}",
                                            "kind": "llm_api_key", "value": llm_key})
        assert r.status_code == 201, r.text
        assert llm_key not in r.text and "value" not in r.json()
        target = f"prod-{uuid.uuid4().hex[:6]}"
        r = admin.post("/v1/deployment-targets", json={
            "name": target, "kind": "kubernetes", "config": {"context": "prod"},
            "credentials": {"aws_secret_access_key": cloud_secret},
        })
        assert r.status_code == 201, r.text
        assert r.json()["has_credentials"] is True and cloud_secret not in r.text
        listed = admin.get("/v1/deployment-targets").text
        assert cloud_secret not in listed and "credentials_secret_id" not in listed
        # Credentials in the plain config are refused.
        r = admin.post("/v1/deployment-targets", json={
            "name": f"x-{uuid.uuid4().hex[:6]}", "kind": "local",
            "config": {"token": "sk-proj-abcdefghijklmnopqrstuvwxyz0123"}})
        assert_problem(r, 422)
        name = f"sec-{uuid.uuid4().hex[:8]}"
        r = admin.post("/v1/users", json={"username": name, "password": password})
        assert r.status_code == 201
        listed = admin.get("/v1/secrets").json()
        assert listed["count"] >= 2 and llm_key not in json.dumps(listed)
    with server.client() as c:  # the password works, so it was stored in a usable form
        assert c.post("/v1/auth/token",
                      data={"username": name, "password": password}).status_code == 200
    with server.admin() as admin:
        key = admin.post("/v1/api-keys", json={"name": "dump",
                                               "permissions": ["projects:read"]}).json()["key"]
    return {"llm key": llm_key, "cloud secret": cloud_secret, "password": password,
            # ql_<prefix>_<secret>: the secret itself may contain "_" (token_urlsafe)
            "api key": key, "api key secret part": key.split("_", 2)[2]}


def sqlite_dump(home: Path) -> bytes:
    """Everything on disk of the SQLite database (the file, its WAL) and a SQL text dump."""
    path = home / "quantumlayer.db"
    raw = b"".join(p.read_bytes() for p in home.glob("quantumlayer.db*"))
    con = sqlite3.connect(path)
    try:
        text = "\n".join(con.iterdump()).encode()
    finally:
        con.close()
    return raw + text


def test_no_plaintext_secret_in_a_sqlite_dump(api_sqlite: ApiServer) -> None:
    planted = plant_secrets(api_sqlite)
    dump = sqlite_dump(api_sqlite.home)
    assert b"CREATE TABLE secrets" in dump
    for what, value in planted.items():
        assert value.encode() not in dump, what


def test_no_plaintext_secret_in_a_postgres_dump(api_pg: ApiServer, pg_schema_url: str) -> None:
    planted = plant_secrets(api_pg)
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    done = subprocess.run(["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-d", "test",
                           "-n", schema], capture_output=True, timeout=120)
    if done.returncode != 0:  # no pg_dump client: dump every table's rows as text instead
        engine = sa.create_engine(pg_schema_url)
        with engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                {"s": schema}).scalars().all()
            dump = "\n".join(str(conn.execute(sa.text(f'SELECT * FROM "{schema}"."{t}"')).all())
                             for t in tables).encode()
        engine.dispose()
    else:
        dump = done.stdout
    assert b"secrets" in dump
    for what, value in planted.items():
        assert value.encode() not in dump, what


def test_rotate_key_reencrypts_every_secret(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = base_env(home)
    settings = Settings(home=home)
    engine = db.create_engine_for(settings.effective_database_url())
    db.migrate(engine)
    store = store_from_settings(settings)
    sessions = db.session_factory(engine)
    with sessions.begin() as session:
        ids = [store.create(session, name=f"s{i}", value=f"value-{i}", kind="llm_api_key",
                            owner_id=None).id for i in range(3)]
    old_key = store.database.keyring.active
    done = cli("secrets", "rotate-key", env=env)
    assert done.returncode == 0, done.stderr
    assert "re-encrypted 3 secret(s)" in done.stdout
    rotated = store_from_settings(Settings(home=home))
    assert rotated.database.keyring.active != old_key
    with sessions() as session:
        rows = session.execute(sa.text("SELECT id, key_id FROM secrets")).all()
        assert {key_id for _, key_id in rows} == {rotated.database.keyring.active}
        assert [rotated.reveal(session, secret_id=i) for i in ids] == [
            "value-0", "value-1", "value-2"]
    # A ciphertext moved onto another row no longer opens.
    with sessions.begin() as session:
        session.execute(sa.text(
            "UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE id = :a), "
            "nonce = (SELECT nonce FROM secrets WHERE id = :a) WHERE id = :b"),
            {"a": ids[0], "b": ids[1]})
    from quantumlayer.security.encryption import SecretDecryptionError

    with sessions() as session, pytest.raises(SecretDecryptionError):
        rotated.reveal(session, secret_id=ids[1])
    engine.dispose()


def test_vault_backend_keeps_values_in_vault(tmp_path: Path, temporal_address: str) -> None:
    """hvac against a stand-in speaking Vault's KV v2 HTTP API (no Vault binary here)."""
    need_redis()
    vault = VaultStandIn(token="root-token")
    home = tmp_path / "home"
    try:
        env = base_env(home, QL_TEMPORAL_ADDRESS=temporal_address, QL_API_RUN_WORKERS="0",
                       QL_VAULT_ADDR=vault.url, QL_VAULT_TOKEN="root-token")
        server = start_api(home, env=env)
        try:
            value = f"sk-ant-{uuid.uuid4().hex}"
            with server.admin() as admin:
                r = admin.post("/v1/secrets", json={"name": "anthropic", "kind": "llm_api_key",
                                                    "value": value})
                assert r.status_code == 201, r.text
                info = r.json()
                assert info["backend"] == "vault" and info["key_id"] is None
            assert value.encode() not in sqlite_dump(home)
            stored = vault.data[f"quantumlayer/secrets/{info['id']}"]
            assert stored[-1]["value"] == value
            settings = Settings(home=home, vault_addr=vault.url, vault_token="root-token")
            engine = db.create_engine_for(settings.effective_database_url())
            with db.session_factory(engine)() as session:
                assert store_from_settings(settings).reveal(
                    session, secret_id=info["id"]) == value
            engine.dispose()
            with server.admin() as admin:
                assert admin.delete(f"/v1/secrets/{info['id']}").status_code == 204
            assert f"quantumlayer/secrets/{info['id']}" not in vault.data
            # Vault refusing the token is a 503, never a 500.
            bad = Settings(home=home, vault_addr=vault.url, vault_token="wrong")
            from quantumlayer.errors import ServiceUnavailable

            engine = db.create_engine_for(bad.effective_database_url())
            with db.session_factory(engine)() as session, pytest.raises(ServiceUnavailable):
                store_from_settings(bad).create(session, name="n", value="v", kind="generic",
                                                owner_id=None)
            engine.dispose()
        finally:
            server.stop()
    finally:
        vault.close()
    assert ("POST", f"/v1/secret/data/quantumlayer/secrets/{info['id']}") in vault.requests


def test_personal_data_stays_out_of_the_logs(api_sqlite: ApiServer) -> None:
    dev = api_sqlite.new_user("developer")
    email, card = f"jane.{uuid.uuid4().hex[:6]}@example.com", "4111 1111 1111 1111"
    idea = f"A REST API for a shop: orders and customers. Bill {card}, mail {email}."
    with dev.client() as c:
        r = c.post("/v1/projects", json={"intent": idea, "options": {
            "require_approval": True, "run_quality_gate": False}})
        assert r.status_code == 202
        project_id = r.json()["id"]
        detail = c.get(f"/v1/projects/{project_id}").json()
        assert detail["pii_found"] == {"card_number": 1, "email": 1}
        c.post(f"/v1/projects/{project_id}/cancel")
    log = api_sqlite.log()
    assert f"project {project_id} created" in log
    assert email not in log and card not in log
    assert "[REDACTED:email]" in log
    with api_sqlite.admin() as admin:
        events = admin.get("/v1/audit", params={"action": "project.create"}).json()["data"]
    event = next(e for e in events if e["target_id"] == project_id)
    assert event["details"] == {"pii_found": {"card_number": 1, "email": 1}}
    assert email not in json.dumps(events)
