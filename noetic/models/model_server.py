"""One OpenAI-compatible model server as Noetic talks to it: its API root, the API key, retries,
and a pooled HTTP client with a concurrency limit.

The key is read once from the environment variable `model.api_key_env` names and travels only
in the `Authorization` header: never in logs, errors or reprs. An `httpx.AsyncClient` and an
`asyncio.Semaphore` belong to the event loop that first used them, so each loop gets its own
pair (the synchronous `deliberate()` runs a fresh loop per call on a model it may reuse).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

import httpx
from pydantic import BaseModel

from noetic.errors import ConfigError
from noetic.models.http_errors import ModelServerError, rejection
from noetic.models.http_retry import RetryPolicy, send_with_retries, send_with_retries_sync
from noetic.models.openai_wire import ModelList, parse_reply
from noetic.settings import ModelSettings

ReplyT = TypeVar("ReplyT", bound=BaseModel)
CONNECT_TIMEOUT_S = 10.0


def api_root(base_url: str) -> str:
    """The URL requests are relative to: a bare `http://host:port` means its `/v1`."""
    url = base_url.rstrip("/")
    return url + "/v1" if urlsplit(url).path in ("", "/") else url


def display_name(model_id: str) -> str:
    """A served GGUF's file name, as the in-process backend names it; other ids as they are."""
    return PurePosixPath(model_id).name if model_id.endswith(".gguf") else model_id


@dataclass
class _Session:
    client: httpx.AsyncClient
    limit: asyncio.Semaphore


class ModelServer:
    """Requests to one server, retried and rate-limited as `ModelSettings` says."""

    def __init__(
        self, settings: ModelSettings, *, transport: httpx.MockTransport | None = None
    ) -> None:
        """`transport` replaces the network for both the async and the blocking client (tests
        pass an `httpx.MockTransport`)."""
        if settings.base_url is None:
            raise ConfigError("no model server is configured", "set model.base_url (--base-url)")
        self.url = api_root(settings.base_url)
        self.api_key_env = settings.api_key_env
        key = os.environ.get(settings.api_key_env, "").strip()
        self._headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._timeout = httpx.Timeout(
            settings.timeout_s, connect=min(CONNECT_TIMEOUT_S, settings.timeout_s), pool=None
        )
        self._max_concurrency = settings.max_concurrency
        self.retry = RetryPolicy(
            url=self.url,
            max_retries=settings.max_retries,
            backoff_s=settings.retry_backoff_s,
            timeout_s=settings.timeout_s,
        )
        self._transport = transport
        self._sessions: WeakKeyDictionary[asyncio.AbstractEventLoop, _Session] = WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"ModelServer({self.url!r})"

    async def post(self, path: str, body: dict[str, Any], reply_type: type[ReplyT]) -> ReplyT:
        """POST `body`, at most `max_concurrency` at once per loop, retried; the reply parsed."""
        session = self._session()
        async with session.limit:
            response = await send_with_retries(
                lambda: session.client.post(path, json=body), self.retry
            )
        return self._parse(response, reply_type)

    def request_sync(
        self, method: str, path: str, reply_type: type[ReplyT], body: dict[str, Any] | None = None
    ) -> ReplyT:
        """A blocking request, for the checks made while a model loads."""
        with httpx.Client(
            base_url=self.url,
            headers=self._headers,
            timeout=self._timeout,
            transport=self._transport,
        ) as c:
            response = send_with_retries_sync(
                lambda: c.request(method, path, json=body), self.retry
            )
        return self._parse(response, reply_type)

    def models(self) -> ModelList:
        """What the server serves; answering at all shows it is up and takes the key."""
        return self.request_sync("GET", "/models", ModelList)

    def served_model(self, wanted: str | None, listed: ModelList | None = None) -> str:
        """`wanted`, or the first model the server lists (`listed`, else asked now)."""
        listed = listed or self.models()
        if wanted:
            return wanted
        if not listed.data:
            raise ModelServerError(
                f"the model server at {self.url} serves no models",
                "load a model on the server, or name one with model.api_model",
            )
        return listed.data[0].id

    async def aclose(self) -> None:
        """Close the current loop's connections (other loops' go with their loop)."""
        session = self._sessions.pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.client.aclose()

    def _session(self) -> _Session:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None:
            client = httpx.AsyncClient(
                base_url=self.url,
                headers=self._headers,
                timeout=self._timeout,
                transport=self._transport,
                limits=httpx.Limits(
                    max_connections=self._max_concurrency,
                    max_keepalive_connections=self._max_concurrency,
                ),
            )
            session = _Session(client, asyncio.Semaphore(self._max_concurrency))
            self._sessions[loop] = session
        return session

    def _parse(self, response: httpx.Response, reply_type: type[ReplyT]) -> ReplyT:
        if not response.is_success:
            raise rejection(response, self.url, self.api_key_env)
        return parse_reply(response, reply_type, self.url)
