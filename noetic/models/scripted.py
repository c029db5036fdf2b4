"""A scripted backend for unit tests of orchestration logic: no model, deterministic replies.

A script is a function from a request to the reply text, so a test can answer by role (the schema
title says which role is asking) and inspect every request afterwards in `requests`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from noetic.models.base import Completion, Message, Sampling, Usage


class ScriptedRequest(BaseModel):
    """What a role asked for: its messages, sampling, sample count and schema title."""

    messages: list[Message]
    sampling: Sampling
    n: int
    schema_title: str | None
    sample: int


Script = Callable[[ScriptedRequest], str]


class ScriptedModel:
    """Answers every request with `script(request)`, once per sample."""

    def __init__(self, script: Script, name: str = "scripted") -> None:
        self.name = name
        self._script = script
        self.requests: list[ScriptedRequest] = []

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        title = json_schema.get("title") if json_schema else None
        texts = []
        for sample in range(n):
            request = ScriptedRequest(
                messages=list(messages), sampling=sampling, n=n, schema_title=title, sample=sample
            )
            self.requests.append(request)
            texts.append(self._script(request))
        prompt = sum(len(m.content.split()) for m in messages)
        completion = sum(len(t.split()) for t in texts)
        return Completion(
            texts=texts, usage=Usage(prompt_tokens=prompt, completion_tokens=completion)
        )
