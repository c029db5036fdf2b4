"""Structured output: a pydantic model becomes a JSON-schema constraint, and replies are
validated back into it.

Backends turn the schema into whatever constrained decoding they support (a GBNF grammar for
llama.cpp, `response_format` for an OpenAI-compatible server). A reply that still fails
validation (a sample cut off by `max_tokens`, say) is resampled once with a new seed; a second
failure is a `StructuredOutputError`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ValidationError

from noetic.errors import StructuredOutputError, first_problem
from noetic.models.base import ChatModel, Message, Request, Sampling, Usage, complete_each

T = TypeVar("T", bound=BaseModel)
log = structlog.get_logger(__name__)


MAX_ENUM_RANGE = 32
MAX_RETRY_TOKENS = 2048
MAX_GRAMMAR_STRING = 256
"""Longer string bounds are left to `max_tokens` and validation: grammar converters expand a
length bound into one nested rule per character, which llama.cpp refuses past a few hundred."""


def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema handed to backends, shaped for grammar converters.

    Refs are inlined, small bounded integer ranges (scores 0-10) become enums (converters
    enforce `enum` but not `minimum`/`maximum`), and long string bounds are dropped.
    """
    return _grammar_friendly(_inline_refs(schema.model_json_schema()))


def _grammar_friendly(node: Any) -> Any:
    if isinstance(node, list):
        return [_grammar_friendly(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _grammar_friendly(v) for k, v in node.items()}
    if node.get("type") == "string" and node.get("maxLength", 0) > MAX_GRAMMAR_STRING:
        node = {k: v for k, v in node.items() if k != "maxLength"}
    low, high = node.get("minimum"), node.get("maximum")
    if (
        node.get("type") == "integer"
        and isinstance(low, int)
        and isinstance(high, int)
        and 0 <= high - low <= MAX_ENUM_RANGE
    ):
        node = {k: v for k, v in node.items() if k not in ("type", "minimum", "maximum")}
        node["enum"] = list(range(low, high + 1))
    return node


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


def parse_reply(text: str, schema: type[T]) -> T:
    """Validate a reply; raw control characters inside strings (newlines a grammar let through)
    are accepted, as a lenient JSON reader would."""
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg})") from None
    return schema.model_validate(data)


async def generate_structured(
    model: ChatModel,
    messages: Sequence[Message],
    schema: type[T],
    sampling: Sampling,
    *,
    n: int = 1,
    min_valid: int | None = None,
) -> tuple[list[T], Usage]:
    """Sample `n` replies constrained to `schema` and validate each.

    A bad reply is resampled once with a new seed and twice the token room (a reply cut off by
    `max_tokens` is the usual failure). A reply bad twice is dropped while at least `min_valid`
    (default: all `n`) remain; below that it is a `StructuredOutputError`.
    """
    json_schema = json_schema_for(schema)
    completion = await model.complete(messages, sampling, n=n, json_schema=json_schema)
    checked = [
        await _validated(model, messages, schema, sampling, json_schema, text, index)
        for index, text in enumerate(completion.texts)
    ]
    return _collect(model, schema, checked, completion.usage, n if min_valid is None else min_valid)


async def generate_structured_each(
    model: ChatModel, requests: Sequence[Request], schema: type[T]
) -> tuple[list[T], Usage]:
    """One reply per request, constrained to `schema`, in request order: the requests decode
    together where the backend can (`complete_each`). Each bad reply gets the same one retry;
    a reply bad twice is a `StructuredOutputError`."""
    json_schema = json_schema_for(schema)
    completions = await complete_each(model, requests, json_schema=json_schema)
    checked = [
        await _validated(model, r.messages, schema, r.sampling, json_schema, c.texts[0], 0)
        for r, c in zip(requests, completions, strict=True)
    ]
    usage = sum((c.usage for c in completions), Usage())
    return _collect(model, schema, checked, usage, len(requests))


async def _validated(
    model: ChatModel,
    messages: Sequence[Message],
    schema: type[T],
    sampling: Sampling,
    json_schema: dict[str, Any],
    text: str,
    index: int,
) -> tuple[T | None, Usage, Exception | None]:
    """`text` validated, or else one resample's: (output or None, the retry's usage, problem)."""
    try:
        return parse_reply(text, schema), Usage(), None
    except (ValueError, ValidationError):
        pass
    retry_sampling = sampling.model_copy(
        update={
            "seed": None if sampling.seed is None else sampling.seed + 7919 * (index + 1),
            "max_tokens": min(2 * sampling.max_tokens, MAX_RETRY_TOKENS),
        }
    )
    retry = await model.complete(messages, retry_sampling, n=1, json_schema=json_schema)
    try:
        return parse_reply(retry.texts[0], schema), retry.usage, None
    except (ValueError, ValidationError) as exc:
        log.warning("reply_dropped", schema=schema.__name__, problem=_first_problem(exc))
        return None, retry.usage, exc


def _collect(
    model: ChatModel,
    schema: type[T],
    checked: Sequence[tuple[T | None, Usage, Exception | None]],
    usage: Usage,
    required: int,
) -> tuple[list[T], Usage]:
    results = [output for output, _, _ in checked if output is not None]
    usage = sum((used for _, used, _ in checked), usage)
    if len(results) < required:
        problems = [problem for _, _, problem in checked if problem is not None]
        raise StructuredOutputError(
            f"model {model.name} twice returned a {schema.__name__} that does not validate "
            f"({_first_problem(problems[-1]) if problems else 'no reply'})",
            "raise the role's max_tokens or use a stronger model with --model",
        )
    return results, usage


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        where, problem = first_problem(exc, "top level")
        return f"{problem} at {where}"
    return str(exc)
