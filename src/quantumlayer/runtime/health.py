"""Health checks: each returns None when the service answers, else raises ServiceUnavailable."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
import redis.exceptions
from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError

from quantumlayer.errors import ServiceUnavailable

T = TypeVar("T")

GRAPH_USER = "default"
GRAPH_PASSWORD = ""


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when called inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # asyncio.run refuses to nest: use a thread with its own loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def check_temporal(address: str, *, namespace: str = "default", timeout: float = 2.0) -> None:
    """The frontend's gRPC health check passes and `namespace` is registered."""
    host, _, port = address.rpartition(":")
    try:
        # A plain TCP connect first: refused in microseconds while the server is still starting,
        # where a client connect would spend its whole timeout retrying.
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ServiceUnavailable(
            f"Temporal at {address} is not accepting connections ({exc})"
        ) from exc

    async def probe() -> None:
        client = await Client.connect(
            address, namespace=namespace, connect_timeout=timedelta(seconds=timeout)
        )
        rpc_timeout = timedelta(seconds=timeout)
        if not await client.service_client.check_health(timeout=rpc_timeout):
            raise ServiceUnavailable(f"Temporal at {address} reports NOT_SERVING")
        # Workers and clients need the namespace, not just a serving frontend: healthy means
        # the namespace answers too.
        await client.workflow_service.describe_namespace(
            DescribeNamespaceRequest(namespace=namespace), timeout=rpc_timeout
        )

    try:
        _run(asyncio.wait_for(probe(), timeout=timeout * 2))
    except (RuntimeError, RPCError, TimeoutError, OSError) as exc:
        # temporalio reports a failed connect as RuntimeError("Failed client connect: ...").
        raise ServiceUnavailable(f"Temporal at {address} is not healthy ({exc})") from exc


def check_redis(url: str, *, timeout: float = 1.0) -> None:
    """Redis answers PING."""
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        if not client.ping():
            raise ServiceUnavailable(f"Redis at {url} did not answer PING")
    except (redis.exceptions.RedisError, OSError) as exc:
        raise ServiceUnavailable(f"Redis at {url} is not healthy ({exc})") from exc
    finally:
        client.close()


def check_graph(
    url: str,
    *,
    user: str = GRAPH_USER,
    password: str = GRAPH_PASSWORD,
    timeout: float = 2.0,
) -> None:
    """A Bolt session runs `RETURN 1` and gets the record [1].

    This speaks Bolt 5.1 itself instead of going through the neo4j driver, because the driver
    ends every connection with a GOODBYE message, and FalkorDB 4.16 frees such a client without
    removing its socket from the event loop: the next connection accepted on the same file
    descriptor (Redis or Bolt) then never gets an answer. A probe that just closes its socket
    takes the server's clean end-of-stream path. Same messages as the driver otherwise: HELLO,
    LOGON (basic auth), RUN, PULL.
    """
    host, port = host_port(url)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            _bolt_exchange(sock, user=user, password=password)
    except (OSError, ValueError) as exc:
        raise ServiceUnavailable(f"graph at {url} is not healthy ({exc})") from exc


_BOLT_MAGIC = b"\x60\x60\xb0\x17"
_BOLT_5_1 = b"\x00\x00\x01\x05"  # FalkorDB answers with the first proposal it is offered
_SUCCESS, _RECORD, _IGNORED, _FAILURE = 0x70, 0x71, 0x7E, 0x7F


def _pack(value: str | int | dict[str, Any]) -> bytes:
    """The PackStream subset the probe needs: short strings, tiny ints, small maps."""
    if isinstance(value, str):
        data = value.encode()
        if len(data) < 16:
            return bytes([0x80 | len(data)]) + data
        return bytes([0xD0, len(data)]) + data  # string8; probe strings stay under 256 bytes
    if isinstance(value, int):
        return (value & 0xFF).to_bytes(1, "big")  # tiny int, -16..127
    out = bytes([0xA0 | len(value)])
    for key, item in value.items():
        out += _pack(key) + _pack(item)
    return out


def _message(signature: int, *fields: str | int | dict[str, Any]) -> bytes:
    body = bytes([0xB0 | len(fields), signature]) + b"".join(_pack(f) for f in fields)
    return len(body).to_bytes(2, "big") + body + b"\x00\x00"


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    return data


def _read_message(sock: socket.socket) -> bytes:
    body = b""
    while size := int.from_bytes(_recv_exact(sock, 2), "big"):
        body += _recv_exact(sock, size)
    return body


def _expect_success(sock: socket.socket, step: str) -> None:
    reply = _read_message(sock)
    if len(reply) < 2 or reply[1] != _SUCCESS:
        raise ConnectionError(f"{step} refused: {reply[2:200]!r}")


def _bolt_exchange(sock: socket.socket, *, user: str, password: str) -> None:
    sock.sendall(_BOLT_MAGIC + _BOLT_5_1 + bytes(12))
    if _recv_exact(sock, 4) != _BOLT_5_1:
        raise ConnectionError("the server did not accept Bolt 5.1")
    sock.sendall(_message(0x01, {"user_agent": "quantumlayer-health/1"}))  # HELLO
    _expect_success(sock, "HELLO")
    auth = {"scheme": "basic", "principal": user}
    if password:  # like the neo4j driver: FalkorDB then only checks that PING is allowed
        auth["credentials"] = password
    sock.sendall(_message(0x6A, auth))  # LOGON
    _expect_success(sock, "LOGON")
    # No database in RUN's extra map: FalkorDB ignores the database name anyway and takes the
    # graph name from the map's first string; an empty map means its default graph "falkordb",
    # which is also where managed transactions go, so the probe creates no graph of its own.
    sock.sendall(_message(0x10, "RETURN 1", {}, {}) + _message(0x3F, {"n": -1}))
    _expect_success(sock, "RUN")
    records = []
    while (reply := _read_message(sock))[1] == _RECORD:
        records.append(reply)
    if reply[1] != _SUCCESS:
        raise ConnectionError(f"PULL failed: {reply[2:200]!r}")
    # One RECORD (struct of 1 field, 0x71) holding a list of 1 (0x91) with the integer 1, which
    # PackStream allows as TINY_INT (0x01) or INT_8 (0xC8 0x01, what FalkorDB sends).
    if records not in ([b"\xb1\x71\x91\x01"], [b"\xb1\x71\x91\xc8\x01"]):
        raise ConnectionError(f"RETURN 1 answered {records!r}")
    # Deliberately no GOODBYE (see check_graph); closing the socket ends the session.


def host_port(url: str) -> tuple[str, int]:
    """(host, port) of a URL such as redis://127.0.0.1:6379/0 or bolt://127.0.0.1:7687."""
    parts = urlsplit(url)
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"no host:port in {url!r}")
    return parts.hostname, parts.port
