"""Chat and embeddings from an OpenAI-compatible server (llama.cpp's, vLLM, Ollama, OpenAI).

When one machine is not enough, the model runs elsewhere and many deliberations share it: the
server batches or queues their requests, Noetic keeps the orchestration. Structured output goes
as `response_format` in the server's flavor (see `noetic.models.openai_wire`). `n > 1` samples
are asked for with the server's `n`; a server that returns fewer choices (llama-cpp-python's
ignores `n`) gets the rest as concurrent requests, and from then on only those.

Construction checks the server (a blocking `GET /models`, retried), so an unreachable server or a
refused key is one error before the run starts, not in its first stage.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

import structlog

from noetic.models.base import Completion, Message, Sampling, Usage
from noetic.models.concurrent import gather_or_cancel
from noetic.models.http_errors import ModelServerError
from noetic.models.model_server import ModelServer, display_name
from noetic.models.openai_wire import ChatReply, EmbeddingReply, ModelList, chat_request
from noetic.settings import ModelSettings

log = structlog.get_logger(__name__)

DIMENSION_PROBE = "dimension probe"


class OpenAICompatModel:
    """A `ChatModel` served over HTTP."""

    def __init__(
        self,
        settings: ModelSettings,
        *,
        server: ModelServer | None = None,
        listed: ModelList | None = None,
    ) -> None:
        """`listed`: the server's model list, when the caller has asked for it already."""
        self.server = server or ModelServer(settings)
        self.api_model = self.server.served_model(settings.api_model, listed)
        self.name = display_name(self.api_model)
        self.flavor = settings.api_flavor
        self._honours_n: bool | None = None
        log.info(
            "model_server_ready", url=self.server.url, model=self.api_model, flavor=self.flavor
        )

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        started = time.perf_counter()
        seed = sampling.seed if sampling.seed is not None else random.randrange(2**31)
        replies: list[ChatReply] = []
        if n == 1 or self._honours_n is not False:
            replies.append(await self._chat(messages, sampling, seed, n, json_schema))
            if n > 1 and self._honours_n is None:
                self._honours_n = len(replies[0].choices) >= n
                if not self._honours_n:
                    log.info("model_server_ignores_n", url=self.server.url, fallback="concurrent")
        have = sum(len(reply.choices) for reply in replies)
        replies += await gather_or_cancel(
            self._chat(messages, sampling, seed + sample, 1, json_schema)
            for sample in range(have, n)
        )
        usage = sum((reply.token_usage for reply in replies), Usage())
        texts = [text for reply in replies for text in reply.texts][:n]
        return Completion(texts=texts, usage=usage, seconds=time.perf_counter() - started)

    async def aclose(self) -> None:
        await self.server.aclose()

    async def _chat(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        seed: int,
        n: int,
        json_schema: dict[str, Any] | None,
    ) -> ChatReply:
        body = chat_request(
            model=self.api_model,
            messages=messages,
            sampling=sampling,
            seed=seed,
            n=n,
            json_schema=json_schema,
            flavor=self.flavor,
        )
        return await self.server.post("/chat/completions", body, ChatReply)


class OpenAICompatEmbedder:
    """An `Embedder` served over HTTP; vectors come back unit-length, like the in-process one.

    The server must serve embeddings (llama-cpp-python's: `--embedding true`). The dimension is
    measured with one probe at construction, since memory collections are sized by it. The
    `llama_cpp` flavor sends one text per request (concurrently): llama-cpp-python's server
    returns wrong vectors for the second and later texts of one request when it pools none.
    """

    def __init__(self, settings: ModelSettings, *, server: ModelServer | None = None) -> None:
        self.server = server or ModelServer(settings)
        self.api_model = self.server.served_model(settings.api_model)
        self.name = display_name(self.api_model)
        self.flavor = settings.api_flavor
        probe = self.server.request_sync(
            "POST", "/embeddings", EmbeddingReply, self._body([DIMENSION_PROBE])
        )
        self.dimension = len(probe.vectors()[0])

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        if not texts:
            return []
        batches = [[text] for text in texts] if self.flavor == "llama_cpp" else [list(texts)]
        replies = await gather_or_cancel(
            self.server.post("/embeddings", self._body(batch), EmbeddingReply) for batch in batches
        )
        vectors = [vector for reply in replies for vector in reply.vectors()]
        if len(vectors) != len(texts) or any(len(v) != self.dimension for v in vectors):
            raise ModelServerError(
                f"the model server at {self.server.url} returned {len(vectors)} embeddings for "
                f"{len(texts)} texts, or of another width than {self.dimension}",
                "check that model.api_model names one embedding model on the server",
            )
        return vectors

    async def aclose(self) -> None:
        await self.server.aclose()

    def _body(self, texts: Sequence[str]) -> dict[str, Any]:
        # Servers reject empty inputs; a blank embeds like any near-empty text.
        return {"model": self.api_model, "input": [t if t.strip() else " " for t in texts]}
