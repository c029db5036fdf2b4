"""What a model server's failures mean to a user: each final failure becomes one `NoeticError`
line naming the server URL and the fix (a context overflow stays a `ContextOverflowError`, so
callers handle it the same for every backend).

`is_transient` is the one place that decides whether a reply is worth sending again: a timeout,
a rate limit or an overloaded server may pass; a bad request, or a server started without
embeddings, fails the same way every time, so it becomes its `rejection` at once.
"""

from __future__ import annotations

import httpx

from noetic.errors import ContextOverflowError, ModelLoadError, NoeticError

TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
EMBEDDINGS_OFF_SIGNS = (
    "not support",
    "n't support",
    "not enabled",
    "--embedding",
    "embedding=true",
)


class ModelServerError(ModelLoadError):
    """The model server is unreachable, keeps failing, or rejects what Noetic sends."""


class NoEmbeddingsError(ModelServerError):
    """The model server serves no embeddings: the one refusal with a local way out (the
    packaged model embeds in process)."""


def server_message(response: httpx.Response) -> str:
    """The server's own words: OpenAI's `{"error": {"message"}}`, FastAPI's `detail`, vLLM's
    older top-level `message`, or text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
        if isinstance(error, str):
            return error[:300]
        said = body.get("detail") or body.get("message")
        if said:
            return str(said)[:300]
    return str(body)[:300]


def is_context_overflow(response: httpx.Response, message: str) -> bool:
    if response.status_code != 400:
        return False
    lowered = message.lower()
    return "context_length_exceeded" in response.text or "context length" in lowered


def embeddings_off(message: str) -> bool:
    """Whether the server says it serves no embeddings, in its own words: llama.cpp's "This
    server does not support embeddings. Start it with `--embeddings`" (a 501), llama-cpp-python's
    "Llama model must be created with embedding=True to call this method" (a 500, so it would
    be retried), vLLM's "The model does not support Embeddings API" (a 400)."""
    lowered = message.lower()
    return "embedding" in lowered and any(sign in lowered for sign in EMBEDDINGS_OFF_SIGNS)


def is_transient(response: httpx.Response) -> bool:
    """Whether the same request may succeed later: most 5xx may, but a server without
    embeddings fails the same way every time, whatever status it says it with."""
    return response.status_code in TRANSIENT_STATUS and not embeddings_off(server_message(response))


def rejection(response: httpx.Response, url: str, api_key_env: str) -> NoeticError:
    """The error for a final non-2xx reply (transient ones have been retried by then)."""
    status = response.status_code
    message = server_message(response)
    if is_context_overflow(response, message):
        return ContextOverflowError(
            f"the prompt does not fit in the context window of the model at {url} ({message})",
            "start the server with a larger context, or use fewer rounds, candidates or "
            "recalled memories",
        )
    if embeddings_off(message):
        return NoEmbeddingsError(
            f"the model server at {url} serves no embeddings (HTTP {status}: {message})",
            "set memory.embedding_model to a local GGUF to embed in process "
            "(NOETIC_MEMORY__EMBEDDING_MODEL; the chat model's own file works), serve "
            "embeddings from this server (llama-cpp-python: --embedding true; llama-server "
            "--embeddings serves nothing else), or turn memory off (memory.enabled = false)",
        )
    if status in (401, 403):
        return ModelServerError(
            f"the model server at {url} refused the API key (HTTP {status}: {message})",
            f"set ${api_key_env} (the variable model.api_key_env names) to a valid key",
        )
    if status == 404:
        return ModelServerError(
            f"the model server at {url} has no such endpoint or model (HTTP 404: {message})",
            "set model.base_url (--base-url) to the server's OpenAI API root, usually ending "
            "in /v1, and model.api_model to a model it serves",
        )
    return ModelServerError(
        f"the model server at {url} rejected the request (HTTP {status}: {message})",
        "check model.api_flavor (llama_cpp, vllm or openai) and model.api_model against "
        "what the server supports",
    )


def gave_up(url: str, attempts: int, failure: str) -> ModelServerError:
    return ModelServerError(
        f"the model server at {url} failed {attempts} time(s) in a row ({failure})",
        "start the server (or wait for it) and check model.base_url (--base-url); transient "
        "failures are retried model.max_retries times",
    )


def timed_out(url: str, timeout_s: float) -> ModelServerError:
    return ModelServerError(
        f"the model server at {url} did not answer within {timeout_s:g}s",
        "raise model.timeout_s, or lower --concurrency so fewer requests queue on the server",
    )
