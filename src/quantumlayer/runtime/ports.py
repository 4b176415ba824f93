"""Loopback ports: pick a free one, refuse a taken one clearly, wait for one to open."""

from __future__ import annotations

import errno
import random
import socket
import time
from collections.abc import Iterable

from quantumlayer.errors import ServiceUnavailable

LOOPBACK = "127.0.0.1"
# FalkorDB's Bolt listener cannot be told an address: it binds [::] (all interfaces, IPv4 too).
ALL_INTERFACES = "::"


def _bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # The servers themselves set SO_REUSEADDR, so a port left in TIME_WAIT by a server we just
        # stopped is usable by them; without it here we would call such a port "taken".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def free_port(host: str = LOOPBACK, *, avoid: Iterable[int] = (), below: int | None = None) -> int:
    """A port nobody listens on now, not in `avoid`.

    By default the kernel's pick for a bind to port 0. With `below`, a random free port in
    [10000, below): for servers that cannot take a port from the kernel's ephemeral range
    (32768 and up on Linux), which is where port-0 picks come from.
    """
    avoid = set(avoid)
    if below is not None:
        candidates = [p for p in random.sample(range(10_000, below), 200) if p not in avoid]
        for port in candidates:
            if not port_in_use(host, port):
                return port
        raise ServiceUnavailable(f"no free port found on {host} below {below}")
    while True:
        with _bind_socket(host, 0) as sock:
            port = int(sock.getsockname()[1])
        if port not in avoid:
            return port


def port_in_use(host: str, port: int) -> bool:
    """True when binding `host:port` fails because something already holds it."""
    try:
        _bind_socket(host, port).close()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return True
        raise
    return False


def ensure_port_free(port: int, *, host: str = LOOPBACK, setting: str) -> None:
    """Raise ServiceUnavailable naming the port and the `setting` that chose it, if it is taken."""
    try:
        taken = port_in_use(host, port)
    except OSError as exc:  # e.g. a privileged port, or an address this machine does not have
        raise ServiceUnavailable(f"cannot use port {port} ({exc}; set {setting})") from exc
    if taken:
        raise ServiceUnavailable(
            f"port {port} is already in use (set {setting} or stop what uses it)"
        )


def wait_for_port(host: str, port: int, timeout: float) -> None:
    """Block until `host:port` accepts a TCP connection; ServiceUnavailable after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise ServiceUnavailable(
                    f"{host}:{port} did not accept connections within {timeout:g} s ({exc})"
                ) from exc
        time.sleep(0.05)
