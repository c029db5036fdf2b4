"""Structured output: schema shaping for grammars, validation, the one retry."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from pydantic import BaseModel, Field

from noetic.agents.schemas import Synthesis, Thought
from noetic.errors import StructuredOutputError
from noetic.models.base import Message, Sampling
from noetic.models.structured import generate_structured, json_schema_for
from noetic.record import Prose
from noetic.testing import ScriptedModel

Rating = Annotated[int, Field(ge=0, le=10)]


class Verdict(BaseModel):
    """A judgment as a model would write it: bounded integers, flags, a rationale."""

    relevance: Rating
    coherence: Rating
    novelty: Rating
    risk_flags: list[str] = Field(default_factory=list, max_length=3)
    rationale: Prose = Field(max_length=240)


MESSAGES = [Message(role="user", content="judge")]
GOOD = {"relevance": 5, "coherence": 6, "novelty": 7, "risk_flags": [], "rationale": "fine"}


def test_bounded_integers_become_enums_and_long_strings_lose_their_bound() -> None:
    verdict = json_schema_for(Verdict)["properties"]
    assert verdict["relevance"]["enum"] == list(range(11))
    assert "minimum" not in verdict["relevance"]
    assert verdict["rationale"]["maxLength"] == 240
    assert "maxLength" not in json_schema_for(Synthesis)["properties"]["answer"]
    assert "$defs" not in json.dumps(json_schema_for(Thought))


async def test_valid_reply_is_parsed() -> None:
    model = ScriptedModel(lambda r: json.dumps(GOOD))
    (critique,), usage = await generate_structured(model, MESSAGES, Verdict, Sampling(seed=1))
    assert (critique.relevance, critique.coherence, critique.novelty) == (5, 6, 7)
    assert usage.completion_tokens > 0


async def test_raw_newlines_inside_strings_are_accepted() -> None:
    model = ScriptedModel(lambda r: '{"answer": "line one\nline two"}')
    (synthesis,), _ = await generate_structured(model, MESSAGES, Synthesis, Sampling())
    assert synthesis.answer == "line one\nline two"


async def test_leading_junk_is_stripped_and_pure_junk_is_resampled() -> None:
    replies = iter(['{"answer": "}, "}', '{"answer": "}\\n A real answer here."}'])
    model = ScriptedModel(lambda r: next(replies))
    (synthesis,), _ = await generate_structured(model, MESSAGES, Synthesis, Sampling(seed=3))
    assert synthesis.answer == "A real answer here."
    assert [r.sampling.seed for r in model.requests] == [3, 3 + 7919]


async def test_one_bad_reply_is_retried() -> None:
    replies = iter(['{"relevance": 5', json.dumps(GOOD)])
    model = ScriptedModel(lambda r: next(replies))
    (critique,), _ = await generate_structured(model, MESSAGES, Verdict, Sampling(seed=1))
    assert critique.novelty == 7
    assert len(model.requests) == 2


async def test_two_bad_replies_raise_a_clear_error() -> None:
    model = ScriptedModel(lambda r: '{"relevance": 11}')
    with pytest.raises(StructuredOutputError, match="twice returned a Verdict") as caught:
        await generate_structured(model, MESSAGES, Verdict, Sampling())
    assert "\n" not in str(caught.value)


async def test_retry_gets_twice_the_token_room() -> None:
    replies = iter(['{"relevance": 5', json.dumps(GOOD)])
    model = ScriptedModel(lambda r: next(replies))
    await generate_structured(model, MESSAGES, Verdict, Sampling(seed=1, max_tokens=100))
    assert [r.sampling.max_tokens for r in model.requests] == [100, 200]


async def test_a_sample_bad_twice_is_dropped_while_enough_remain() -> None:
    replies = iter([json.dumps(GOOD), "{", json.dumps(GOOD), "{"])
    model = ScriptedModel(lambda r: next(replies))
    critiques, _ = await generate_structured(
        model, MESSAGES, Verdict, Sampling(seed=1), n=3, min_valid=1
    )
    assert len(critiques) == 2


async def test_too_few_valid_samples_is_an_error() -> None:
    model = ScriptedModel(lambda r: "{")
    with pytest.raises(StructuredOutputError, match="twice returned"):
        await generate_structured(model, MESSAGES, Verdict, Sampling(), n=2, min_valid=1)
