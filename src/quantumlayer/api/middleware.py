"""The gateway middleware (pure ASGI, so it neither buffers responses nor breaks streaming):

* a request id on every request and response (`X-Request-ID`: the client's if it is a sane
  token, else a new one), also in the logs and in error bodies;
* request size limits: a declared `Content-Length` over the limit is refused at once (413), a
  body without one is read up to the limit and refused beyond it;
* security headers on every response, and `Cache-Control: no-store` on API answers;
* the `RateLimit-*` headers the rate-limit check left for the response;
* one access-log line per request (PII redacted by the logging filter);
* the last line of defence: an exception nothing handled becomes a 500 problem, no traceback.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from quantumlayer.api.problems import PROBLEM_MEDIA_TYPE, problem_body

log = logging.getLogger("quantumlayer.api")
access_log = logging.getLogger("quantumlayer.api.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
]
API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The interactive docs load Swagger UI from its CDN and run an inline bootstrap script.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
    b"frame-ancestors 'none'; base-uri 'none'"
)
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class GatewayMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        status_seen: list[int] = []
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_seen.append(message["status"])
                raw = list(message.get("headers", []))
                names = {name.lower() for name, _ in raw}
                raw.append((b"x-request-id", request_id.encode()))
                for name, value in SECURITY_HEADERS:
                    if name not in names:
                        raw.append((name, value))
                if b"content-security-policy" not in names:
                    csp = DOCS_CSP if path.startswith("/docs") else API_CSP
                    raw.append((b"content-security-policy", csp))
                if b"cache-control" not in names:
                    raw.append((b"cache-control", b"no-store"))
                for name, value in state.get("rate_limit_headers", {}).items():
                    if name.lower().encode() not in names:
                        raw.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": raw}
            await send(message)

        try:
            if method in _BODY_METHODS:
                refusal = await self._check_size(scope, headers, receive)
                if isinstance(refusal, int):
                    await self._problem(send_wrapper, status=refusal, path=path,
                                        request_id=request_id)
                    return
                receive = refusal or receive
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:  # the last line of defence: no traceback to the client
            log.error("unhandled error in request %s (%s %s): %s", request_id, method, path,
                      type(exc).__name__, exc_info=exc)
            if not response_started:
                await self._problem(send_wrapper, status=500, path=path, request_id=request_id)
        finally:
            client = scope.get("client") or ("-", 0)
            access_log.info(
                '%s "%s %s" %s %.1fms rid=%s', client[0], method, path,
                status_seen[0] if status_seen else "-", (time.perf_counter() - started) * 1000,
                request_id,
            )

    async def _check_size(
        self, scope: Scope, headers: dict[bytes, bytes], receive: Receive
    ) -> int | Receive | None:
        """413 (or 400) to refuse the body, a replaying `receive` for a body read here, or
        None to let the request through as it is."""
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                return 400
            return 413 if length > self.max_body_bytes else None
        # No Content-Length (chunked): read the body here, up to the limit.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return 400
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return 413
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        del scope
        return replay

    async def _problem(self, send: Send, *, status: int, path: str, request_id: str) -> None:
        messages = {
            400: ("bad_request", "the request body could not be read"),
            413: ("payload_too_large",
                  f"the request body is larger than {self.max_body_bytes} bytes"),
            500: ("internal_error",
                  "an unexpected error occurred; quote the request id when reporting it"),
        }
        code, message = messages[status]
        body = json.dumps(problem_body(
            status=status, code=code, message=message, instance=path, request_id=request_id,
        )).encode()
        await send({
            "type": "http.response.start", "status": status,
            "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})
