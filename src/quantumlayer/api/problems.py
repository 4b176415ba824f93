"""One error shape for every error response: RFC 9457 problem details carrying our
`{error: {code, message, details}}`, with the request id.

    {"type": "urn:quantumlayer:error:not_found", "title": "Not Found", "status": 404,
     "detail": "project 'x' not found", "instance": "/v1/projects/x", "request_id": "...",
     "error": {"code": "not_found", "message": "project 'x' not found", "details": null}}

Our exception hierarchy is mapped here once (status and code come from the class); validation
errors, unknown routes and anything unexpected get the same shape. No traceback ever reaches a
client: unexpected errors are logged with the request id and answered with a generic message.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from quantumlayer.errors import QuantumLayerError
from quantumlayer.security.errors import AuthenticationFailed, RateLimited

log = logging.getLogger("quantumlayer.api")
PROBLEM_MEDIA_TYPE = "application/problem+json"
_HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
    413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_input",
    429: "rate_limited", 500: "internal_error", 503: "service_unavailable",
}


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class Problem(BaseModel):
    """An error response (RFC 9457 problem details plus `error`)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    error: ErrorBody


def problem_body(
    *, status: int, code: str, message: str, details: Any = None, instance: str | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {
        "type": f"urn:quantumlayer:error:{code}", "title": title, "status": status,
        "detail": message, "instance": instance, "request_id": request_id,
        "error": {"code": code, "message": message, "details": details},
    }


def request_id_of(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def problem_response(
    request: Request, *, status: int, code: str, message: str, details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(
        status=status, code=code, message=message, details=details,
        instance=request.url.path, request_id=request_id_of(request),
    )
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        # `input` may echo a password or a secret back: never include it.
        details.append({
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        })
    return details


def install(app: FastAPI) -> None:
    """Map every error to a problem response, once, for the whole app."""

    @app.exception_handler(QuantumLayerError)
    async def _ours(request: Request, exc: QuantumLayerError) -> JSONResponse:
        headers: dict[str, str] = {}
        if isinstance(exc, AuthenticationFailed):
            headers["WWW-Authenticate"] = 'Bearer realm="quantumlayer"'
        if isinstance(exc, RateLimited):
            headers.update(exc.headers)
            headers["Retry-After"] = str(exc.retry_after)
        status = exc.http_status
        if status >= 500:
            log.warning("request %s failed: %s: %s", request_id_of(request), exc.code, exc)
        return problem_response(
            request, status=status, code=exc.code, message=str(exc), headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(
            request, status=422, code="invalid_input", message="the request is not valid",
            details=_validation_details(exc),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        code = _HTTP_CODES.get(status, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        return problem_response(
            request, status=status, code=code, message=message,
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled error in request %s (%s %s): %s", request_id_of(request), request.method,
            request.url.path, type(exc).__name__, exc_info=exc,
        )
        return problem_response(
            request, status=500, code="internal_error",
            message="an unexpected error occurred; quote the request id when reporting it",
        )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status in (400, 401, 403, 404, 409, 413, 422, 429, 500, 503)
}
