"""What a model server's failures mean to a user: each final failure becomes one `NoeticError`
line naming the server URL and the fix (a context overflow stays a `ContextOverflowError`, so
callers handle it the same for every backend)."""

from __future__ import annotations

import httpx

from noetic.errors import ContextOverflowError, ModelLoadError, NoeticError


class ModelServerError(ModelLoadError):
    """The model server is unreachable, keeps failing, or rejects what Noetic sends."""


def server_message(response: httpx.Response) -> str:
    """The server's own words: OpenAI's `{"error": {"message"}}`, FastAPI's `detail`, or text."""
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
        if body.get("detail"):
            return str(body["detail"])[:300]
    return str(body)[:300]


def is_context_overflow(response: httpx.Response, message: str) -> bool:
    if response.status_code != 400:
        return False
    lowered = message.lower()
    return "context_length_exceeded" in response.text or "context length" in lowered


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
