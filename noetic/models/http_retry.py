"""Retries with exponential backoff for calls to a model server.

A restarting or overloaded server is normal at scale: refused connections, dropped connections
and the replies `is_transient` calls so (408, 429, most 5xx) are retried with doubling, jittered
delays (a server's `Retry-After` wins when longer). A read timeout is not retried: the request
may still be running on the server, and sending it again only adds to the queue that made it
slow. Any other reply is final at once.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import structlog

from noetic.models.http_errors import (
    ModelServerError,
    gave_up,
    is_transient,
    server_message,
    timed_out,
)

log = structlog.get_logger(__name__)

TRANSIENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
MAX_DELAY_S = 30.0

Outcome = httpx.Response | httpx.HTTPError


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry one server (`url` names it in errors and logs)."""

    url: str
    max_retries: int
    backoff_s: float
    timeout_s: float

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds before retry number `retry` (from 0): jittered so that many runs waiting on
        one restarting server do not come back in lockstep."""
        delay = min(MAX_DELAY_S, self.backoff_s * 2**retry) * random.uniform(0.5, 1.0)
        return min(MAX_DELAY_S, max(delay, retry_after or 0.0))

    def after(self, retry: int, outcome: Outcome) -> float | None:
        """None when `outcome` is final (a response to hand back), else the delay before the
        next attempt; raises the user-facing error when it is final and a failure."""
        if isinstance(outcome, httpx.Response):
            if not is_transient(outcome):
                return None
            failure = f"HTTP {outcome.status_code}: {server_message(outcome)}"
            retry_after = _retry_after(outcome)
        elif isinstance(outcome, TRANSIENT_ERRORS):
            failure, retry_after = _describe(outcome), None
        elif isinstance(outcome, httpx.TimeoutException):
            raise timed_out(self.url, self.timeout_s) from None
        else:
            raise ModelServerError(
                f"the request to the model server at {self.url} failed ({_describe(outcome)})",
                "check model.base_url (--base-url)",
            ) from None
        if retry >= self.max_retries:
            raise gave_up(self.url, retry + 1, failure) from None
        delay = self.delay(retry, retry_after)
        log.warning(
            "model_server_retry",
            url=self.url,
            failure=failure,
            retry=retry + 1,
            max_retries=self.max_retries,
            delay_s=round(delay, 2),
        )
        return delay


async def send_with_retries(
    send: Callable[[], Awaitable[httpx.Response]], policy: RetryPolicy
) -> httpx.Response:
    """`send()` until a final response; transient failures wait `policy.delay` between tries."""
    retry = 0
    while True:
        outcome: Outcome
        try:
            outcome = await send()
        except httpx.HTTPError as exc:
            outcome = exc
        delay = policy.after(retry, outcome)
        if delay is None:
            assert isinstance(outcome, httpx.Response)
            return outcome
        await asyncio.sleep(delay)
        retry += 1


def send_with_retries_sync(
    send: Callable[[], httpx.Response], policy: RetryPolicy
) -> httpx.Response:
    """The blocking twin of `send_with_retries`, for the checks made while a model loads."""
    retry = 0
    while True:
        outcome: Outcome
        try:
            outcome = send()
        except httpx.HTTPError as exc:
            outcome = exc
        delay = policy.after(retry, outcome)
        if delay is None:
            assert isinstance(outcome, httpx.Response)
            return outcome
        time.sleep(delay)
        retry += 1


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("retry-after", ""))
    except ValueError:
        return None


def _describe(exc: httpx.HTTPError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
