"""The grader: one 0-10 score for an answer to an open task, from a model that may differ from
the one under test (`--judge-model`), so a stronger model can grade a weaker one.

It is not a deliberation `Role`: it grades finished answers outside the graph, so it has no
state to read and is not a node. It is built the same way (a prompt file and a pydantic schema
that constrains the reply), at temperature 0 with a fixed seed so a score is repeatable.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from noetic.agents.base import PromptTemplate
from noetic.models.base import ChatModel, Sampling, Usage
from noetic.models.structured import generate_structured
from noetic.record import Prose

MAX_ANSWER_CHARS = 2000
"""Longer answers are cut for the judge, so a rambling answer cannot overflow its context."""


class Verdict(BaseModel):
    """The judge's reply: a reason first (so a capable judge reasons before it scores)."""

    reason: Prose = Field(max_length=240)
    score: Annotated[int, Field(ge=0, le=10)]


class Grader:
    prompt = PromptTemplate.from_package(__package__, "judge")
    sampling = Sampling(temperature=0.0, max_tokens=120, seed=0)

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    async def score(self, task: str, answer: str) -> tuple[Verdict, Usage]:
        (verdict,), usage = await generate_structured(
            self.model,
            self.prompt.render(task=task, answer=answer[:MAX_ANSWER_CHARS]),
            Verdict,
            self.sampling,
        )
        return verdict, usage
