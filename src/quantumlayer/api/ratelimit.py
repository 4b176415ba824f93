"""Rate limits on Redis with the `limits` library (moving window: exact, atomic in Redis).

Every caller (a user, an API key's owner; a client address where nobody is authenticated) has one
budget, QL_RATE_LIMIT, shared by all endpoints, except that an endpoint named in QL_RATE_LIMITS
has its own budget per caller instead (`{"POST /v1/projects": "10/minute"}`). The counting
happens in one Lua script inside Redis, so a limit holds across any number of API processes
sharing the Redis. Every limiter key expires (TTL) with its window.

When Redis cannot be reached: authentication endpoints fail closed (503), since unthrottled
password guessing is worse than a login outage; other endpoints are served unlimited when
QL_RATE_LIMIT_FAIL_OPEN is on (the default; a warning is logged) and fail closed otherwise.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse, parse_many
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from quantumlayer.config import Settings
from quantumlayer.errors import ServiceUnavailable
from quantumlayer.security.errors import RateLimited

log = logging.getLogger("quantumlayer.api.ratelimit")
_STORAGE_ERRORS = (StorageError, ConnectionError, OSError, TimeoutError)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: the headers to send (RateLimit-*)."""

    headers: dict[str, str]


def _policy(item: RateLimitItem) -> str:
    return f"{item.amount};w={item.get_expiry()}"


class RateLimiter:
    """Checks and counts requests against the configured limits."""

    def __init__(self, settings: Settings, redis_url: str | None) -> None:
        self.enabled = settings.rate_limit_enabled and redis_url is not None
        self.fail_open = settings.rate_limit_fail_open
        self.default = parse_many(settings.rate_limit)[0]
        self.overrides = {
            key.split(" ", 1)[0].upper() + " " + key.split(" ", 1)[1]: parse_many(value)[0]
            for key, value in settings.rate_limits.items()
        }
        self.auth_limit = parse_many(settings.auth_rate_limit)[0]
        self.login_failures = parse_many(settings.login_failure_limit)[0]
        self._storage: RedisStorage | None = None
        self._limiter: MovingWindowRateLimiter | None = None
        if redis_url is not None:
            self._storage = RedisStorage(
                redis_url,
                implementation="redispy",
                wrap_exceptions=True,
                key_prefix=settings.rate_limit_key_prefix,
                # Redis answers in well under a millisecond; seconds mean it is down or stuck.
                socket_connect_timeout=1.0,
                socket_timeout=3.0,
            )
            self._limiter = MovingWindowRateLimiter(self._storage)

    def limit_for(self, method: str, path: str) -> RateLimitItem:
        """The limit of an endpoint (its override, else the default)."""
        return self.overrides.get(f"{method.upper()} {path}", self.default)

    async def _hit(
        self, item: RateLimitItem, key: str, *, fail_closed: bool, what: str
    ) -> Verdict:
        assert self._limiter is not None
        try:
            allowed = await self._limiter.hit(item, key)
            stats = await self._limiter.get_window_stats(item, key)
        except _STORAGE_ERRORS as exc:
            if fail_closed or not self.fail_open:
                raise ServiceUnavailable(
                    f"rate limiting is unavailable ({type(exc).__name__}); try again shortly"
                ) from None
            log.warning("rate limiter unreachable, serving %s unlimited: %s", what, exc)
            return Verdict({})
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = {
            "RateLimit-Limit": str(item.amount),
            "RateLimit-Remaining": str(max(0, stats.remaining)),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": _policy(item),
        }
        if not allowed:
            raise RateLimited(
                f"rate limit of {item} exceeded for {what}", retry_after=max(1, reset),
                headers=headers,
            )
        return Verdict(headers)

    async def check_request(self, *, caller: str, method: str, path: str) -> Verdict:
        """Count a request of `caller` (user:<id>, ip:<addr>) to an endpoint; RateLimited when
        over its limit."""
        if not self.enabled:
            return Verdict({})
        endpoint = f"{method.upper()} {path}"
        item = self.overrides.get(endpoint)
        bucket = endpoint if item is not None else "*"
        return await self._hit(
            item or self.default, f"{caller}|{bucket}", fail_closed=False, what=endpoint
        )

    async def check_auth(self, *, client_ip: str, endpoint: str) -> Verdict:
        """Count a token or refresh request from a client address (fails closed)."""
        if not self.enabled:
            return Verdict({})
        return await self._hit(
            self.auth_limit, f"auth|{endpoint}|{client_ip}", fail_closed=True, what=endpoint
        )

    async def login_blocked(self, *, username: str) -> int:
        """Seconds until a username may try to log in again (0: now). Fails closed."""
        if not self.enabled or self._limiter is None:
            return 0
        key = f"login-failures|{username.lower()}"
        try:
            if await self._limiter.test(self.login_failures, key):
                return 0
            stats = await self._limiter.get_window_stats(self.login_failures, key)
        except _STORAGE_ERRORS as exc:
            raise ServiceUnavailable(
                f"login throttling is unavailable ({type(exc).__name__}); try again shortly"
            ) from None
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def record_login_failure(self, *, username: str) -> None:
        if not self.enabled or self._limiter is None:
            return
        try:
            await self._limiter.hit(self.login_failures, f"login-failures|{username.lower()}")
        except _STORAGE_ERRORS as exc:
            raise ServiceUnavailable(
                f"login throttling is unavailable ({type(exc).__name__}); try again shortly"
            ) from None

    async def ping(self) -> bool:
        """Whether the limiter's Redis answers."""
        if self._storage is None:
            return False
        try:
            return bool(await self._storage.check())
        except _STORAGE_ERRORS:
            return False


def parse_limit(text: str) -> RateLimitItem:
    return parse(text)
