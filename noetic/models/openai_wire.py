"""The OpenAI wire format as servers actually speak it: request bodies per server flavor, and the
replies validated at the boundary.

Flavors differ in two places only:

| flavor      | structured output (`response_format`)                   | repeat penalty       |
| ----------- | ------------------------------------------------------- | -------------------- |
| `llama_cpp` | `{"type": "json_object", "schema": S}`                  | `repeat_penalty`     |
| `vllm`      | `{"type": "json_schema", "json_schema": {name, schema}}` | `repetition_penalty` |
| `openai`    | `{"type": "json_schema", "json_schema": {name, schema}}` | not sent             |

`llama_cpp` is llama-cpp-python's server (which rejects the `json_schema` type) and llama.cpp's
own `llama-server` (which takes both); `openai` also suits Ollama and other strict servers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from noetic.errors import first_problem
from noetic.models.base import Message, Sampling, Usage
from noetic.models.http_errors import ModelServerError

Flavor = Literal["llama_cpp", "vllm", "openai"]
ReplyT = TypeVar("ReplyT", bound=BaseModel)


def response_format(json_schema: dict[str, Any], flavor: Flavor) -> dict[str, Any]:
    if flavor == "llama_cpp":
        return {"type": "json_object", "schema": json_schema}
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(json_schema.get("title") or "reply"))[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": json_schema}}


def chat_request(
    *,
    model: str,
    messages: Sequence[Message],
    sampling: Sampling,
    seed: int,
    n: int,
    json_schema: dict[str, Any] | None,
    flavor: Flavor,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "max_tokens": sampling.max_tokens,
        "seed": seed,
    }
    if n > 1:
        body["n"] = n
    if flavor == "llama_cpp":
        body["repeat_penalty"] = sampling.repeat_penalty
    elif flavor == "vllm":
        body["repetition_penalty"] = sampling.repeat_penalty
    if json_schema is not None:
        body["response_format"] = response_format(json_schema, flavor)
    return body


class _ReplyMessage(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    index: int = 0
    message: _ReplyMessage


class _Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int | None = 0


def _token_usage(usage: _Usage | None) -> Usage:
    if usage is None:
        return Usage()
    return Usage(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens or 0)


class ChatReply(BaseModel):
    model_config = ConfigDict(title="chat completion")

    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage | None = None

    @property
    def texts(self) -> list[str]:
        return [c.message.content or "" for c in sorted(self.choices, key=lambda c: c.index)]

    @property
    def token_usage(self) -> Usage:
        return _token_usage(self.usage)


class _EmbeddingItem(BaseModel):
    index: int = 0
    embedding: list[float] | list[list[float]]


class EmbeddingReply(BaseModel):
    model_config = ConfigDict(title="embedding list")

    data: list[_EmbeddingItem] = Field(min_length=1)

    def vectors(self) -> list[list[float]]:
        """One unit vector per input, in input order. Servers that return one vector per token
        (llama-cpp-python's, for a model without a pooling type) are mean-pooled here."""
        return [_unit(_pooled(item.embedding)) for item in sorted(self.data, key=lambda i: i.index)]


class _ModelEntry(BaseModel):
    id: str
    owned_by: str | None = None


class ModelList(BaseModel):
    model_config = ConfigDict(title="model list")

    data: list[_ModelEntry]

    @property
    def from_llama_server(self) -> bool:
        """llama.cpp's own server says so in every entry; llama-cpp-python's, vLLM and OpenAI
        name other owners."""
        return bool(self.data) and all(entry.owned_by == "llamacpp" for entry in self.data)


class _TokenLogprob(BaseModel):
    token: str
    logprob: float
    bytes: list[int] = Field(default_factory=list)


class _ScoredToken(_TokenLogprob):
    top_logprobs: list[_TokenLogprob] = Field(default_factory=list)


class _Logprobs(BaseModel):
    content: list[_ScoredToken] = Field(default_factory=list)


class _ScoredChoice(BaseModel):
    logprobs: _Logprobs


class ScoredReply(BaseModel):
    """A chat completion asked with `logprobs`: each generated token's log-probability and the
    most likely tokens in its place."""

    model_config = ConfigDict(title="chat completion with logprobs")

    choices: list[_ScoredChoice] = Field(min_length=1)
    usage: _Usage | None = None

    @property
    def tokens(self) -> list[_ScoredToken]:
        return self.choices[0].logprobs.content

    @property
    def token_usage(self) -> Usage:
        return _token_usage(self.usage)


def parse_reply(response: httpx.Response, reply_type: type[ReplyT], url: str) -> ReplyT:
    try:
        return reply_type.model_validate_json(response.content)
    except ValidationError as exc:
        where, problem = first_problem(exc, "top level")
        raise ModelServerError(
            f"the model server at {url} sent a reply that is not an OpenAI "
            f"{reply_type.model_config.get('title')} ({problem} at {where})",
            "point model.base_url (--base-url) at an OpenAI-compatible API root",
        ) from None


def _pooled(embedding: list[float] | list[list[float]]) -> list[float]:
    if not embedding or not isinstance(embedding[0], list):
        return embedding  # type: ignore[return-value]
    rows: list[list[float]] = embedding
    return [sum(column) / len(rows) for column in zip(*rows, strict=True)]


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm > 0 else vector
