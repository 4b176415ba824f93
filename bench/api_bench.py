"""API gateway overhead: an authenticated `GET /v1/projects` against a bare FastAPI endpoint,
and what the rate limiter adds.

    .venv/bin/python bench/api_bench.py [--duration 10] [--connections 16] [--json]

Starts, on loopback only: `quantumlayer api` (SQLite, the local Redis at QL_TEST_REDIS_URL or
redis://127.0.0.1:6379/0, no Temporal needed) twice, with the rate limiter on and off, and a
bare FastAPI app under the same uvicorn settings; loads each with wrk (`apt-get install wrk`) and
prints requests/s and p50/p99 latency, the ratio to the bare endpoint, and the limiter's own cost
per check measured in-process against the same Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent / "quantumlayer"
REDIS_URL = os.environ.get("QL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "bench-password-1"
BARE_APP = textwrap.dedent('''
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/bare")
    def bare() -> dict:
        return {"data": [], "count": 0}
''')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99,
            "errors": float(non2xx.group(1)) if non2xx else 0.0}


def wrk(url: str, *, duration: int, connections: int, headers: dict[str, str]) -> dict[str, float]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for name, value in headers.items():
        cmd[1:1] = ["-H", f"{name}: {value}"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return parse_wrk(done.stdout)


def start_api(home: Path, *, limiter: bool) -> tuple[subprocess.Popen[bytes], str, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env.update({
        "QL_HOME": str(home), "QL_REDIS_URL": REDIS_URL, "QL_API_RUN_WORKERS": "0",
        "QL_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",  # not needed for this route
        "QL_RATE_LIMIT": "100000000/minute", "QL_RATE_LIMIT_ENABLED": str(limiter).lower(),
        "QL_RATE_LIMIT_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
    })
    port = free_port()
    proc = subprocess.Popen([str(BIN), "api", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_up(f"{url}/healthz", proc)
    return proc, url, env


def seed(env: dict[str, str], owner: str, count: int = 20) -> None:
    """Projects of the benchmark user, so the page has rows to read."""
    code = textwrap.dedent(f'''
        from quantumlayer.config import get_settings
        from quantumlayer.store import db, repositories as repo
        s = get_settings(); e = db.create_engine_for(s.effective_database_url())
        with db.session_factory(e).begin() as session:
            user = repo.get_user_by_username(session, username={owner!r})
            for i in range({count}):
                repo.create_project(session, id=f"bench{{i:04d}}", intent="A REST API for a "
                                    "library", name="library-api", owner_id=user.id)
    ''')
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


async def limiter_cost(checks: int) -> dict[str, float]:
    """Mean and p99 time of one rate-limit check (a hit and a window read in Redis)."""
    from quantumlayer.api.ratelimit import RateLimiter
    from quantumlayer.config import Settings

    limiter = RateLimiter(Settings(rate_limit="100000000/minute",
                                   rate_limit_key_prefix=f"bench-{uuid.uuid4().hex[:8]}"),
                          REDIS_URL)
    times = []
    for _ in range(checks):
        t = time.perf_counter()
        await limiter.check_request(caller="user:bench", method="GET", path="/v1/projects")
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"mean_ms": sum(times) / len(times), "p50_ms": times[len(times) // 2],
            "p99_ms": times[int(len(times) * 0.99)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bare_app.py").write_text(BARE_APP)
        bare_port = free_port()
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port),
             "--no-access-log", "--log-level", "warning", "--no-server-header"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(f"http://127.0.0.1:{bare_port}/bare", bare)
            results["bare FastAPI GET /bare"] = wrk(
                f"http://127.0.0.1:{bare_port}/bare", duration=args.duration,
                connections=args.connections, headers={})
        finally:
            bare.terminate()
            bare.wait(timeout=10)
        for limiter in (True, False):
            home = root / f"home-{limiter}"
            env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
            env["QL_HOME"] = str(home)
            subprocess.run([str(BIN), "users", "create", "--username", "bench", "--role",
                            "developer", "--password-stdin"], input=PASSWORD + "\n", env=env,
                           check=True, capture_output=True, text=True)
            proc, url, api_env = start_api(home, limiter=limiter)
            try:
                seed(api_env, "bench")
                token = httpx.post(f"{url}/v1/auth/token", data={
                    "username": "bench", "password": PASSWORD}).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                page = httpx.get(f"{url}/v1/projects", headers=headers).json()
                assert page["count"] == 20, page
                name = ("authenticated GET /v1/projects"
                        + (" (rate limiter on)" if limiter else " (rate limiter off)"))
                results[name] = wrk(f"{url}/v1/projects", duration=args.duration,
                                    connections=args.connections, headers=headers)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
    results["rate-limit check in-process (hit + window)"] = asyncio.run(limiter_cost(2000))
    bare_rps = results["bare FastAPI GET /bare"]["rps"]
    on = results["authenticated GET /v1/projects (rate limiter on)"]
    off = results["authenticated GET /v1/projects (rate limiter off)"]
    summary = {
        "api_over_bare_rps_ratio": round(on["rps"] / bare_rps, 3),
        "limiter_added_p50_ms": round(on["p50_ms"] - off["p50_ms"], 2),
        "limiter_rps_cost_percent": round(100 * (1 - on["rps"] / off["rps"]), 1),
    }
    if args.json:
        print(json.dumps({"results": results, "summary": summary}, indent=2))
        return
    print(f"wrk -t1 -c{args.connections} -d{args.duration}s on loopback, "
          f"{os.cpu_count()} CPUs shared by server and load generator")
    print(f"{'run':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        if "rps" in r:
            print(f"{name:<52} {r['rps']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}"
                  + (f"  ({r['errors']:.0f} non-2xx)" if r["errors"] else ""))
        else:
            print(f"{name:<52} {'':>9} {r['p50_ms']:>8.3f} {r['p99_ms']:>8.3f}"
                  f"  (mean {r['mean_ms']:.3f} ms)")
    print(f"authenticated API / bare endpoint throughput: {summary['api_over_bare_rps_ratio']}")
    print(f"rate limiter: +{summary['limiter_added_p50_ms']} ms p50, "
          f"-{summary['limiter_rps_cost_percent']}% req/s")


if __name__ == "__main__":
    main()
