"""Several prompts, one validated reply each: batched where the backend can, retried one by one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import BaseModel

from noetic.errors import StructuredOutputError
from noetic.models.base import Completion, Request, Sampling, Usage, complete_each
from noetic.models.structured import generate_structured_each
from noetic.testing import ScriptedModel, ScriptedRequest


class Score(BaseModel):
    value: int


def reply(request: ScriptedRequest) -> str:
    """A valid score for "n=<int>" prompts; "bad" prompts are cut off unless resampled with
    more room."""
    text = request.messages[-1].content
    if text == "bad" and request.sampling.max_tokens < 20:
        return '{"value": '
    return json.dumps({"value": len(text)})


def requests(*texts: str) -> list[Request]:
    return [
        Request(
            messages=[{"role": "user", "content": t}],  # type: ignore[list-item]
            sampling=Sampling(max_tokens=10, seed=i),
        )
        for i, t in enumerate(texts)
    ]


class Batching(ScriptedModel):
    """A scripted model that says it batches, recording each batch it gets."""

    def __init__(self) -> None:
        super().__init__(reply)
        self.batches: list[int] = []

    async def complete_each(
        self, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
    ) -> list[Completion]:
        self.batches.append(len(requests))
        return [
            await self.complete(r.messages, r.sampling, json_schema=json_schema) for r in requests
        ]


async def test_a_batching_backend_gets_all_prompts_in_one_call() -> None:
    model = Batching()
    outputs, usage = await generate_structured_each(model, requests("a", "bb", "ccc"), Score)
    assert [o.value for o in outputs] == [1, 2, 3]
    assert model.batches == [3] and usage.completion_tokens > 0


async def test_other_backends_get_the_prompts_in_order() -> None:
    model = ScriptedModel(reply)
    completions = await complete_each(model, requests("x", "yy"))
    assert [c.texts for c in completions] == [['{"value": 1}'], ['{"value": 2}']]
    assert [r.messages[-1].content for r in model.requests] == ["x", "yy"]


async def test_no_requests_make_no_call() -> None:
    model = Batching()
    assert await generate_structured_each(model, [], Score) == ([], Usage())
    assert model.batches == [] and model.requests == []


async def test_a_bad_reply_is_retried_alone_with_more_room() -> None:
    model = Batching()
    outputs, _ = await generate_structured_each(model, requests("a", "bad"), Score)
    assert [o.value for o in outputs] == [1, 3]
    retries = [r for r in model.requests if r.sampling.max_tokens == 20]
    assert [r.messages[-1].content for r in retries] == ["bad"]


async def test_a_reply_bad_twice_is_an_error() -> None:
    def always_bad(request: ScriptedRequest) -> str:
        return "{"

    with pytest.raises(StructuredOutputError, match="does not validate"):
        await generate_structured_each(ScriptedModel(always_bad), requests("a", "b"), Score)
