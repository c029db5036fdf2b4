"""noetic.testing, the kit plugin authors test with: valid filler for any schema, a scripted
model, a deterministic embedder, and a whole run in one call."""

from __future__ import annotations

import datetime
import enum
import math
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from noetic.agents import Critic, PromptTemplate, available_roles, load_role
from noetic.models.base import Message, Sampling, ScoreRequest
from noetic.models.structured import generate_structured, json_schema_for
from noetic.testing import (
    FillerModel,
    HashingEmbedder,
    RoleScript,
    ScriptedRequest,
    arun_graph,
    filler,
    run_graph,
)

ROLES = sorted(info.name for info in available_roles())


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    label: str = Field(min_length=150, max_length=160)
    weight: float = Field(gt=0, lt=1)


class Constrained(BaseModel):
    short: str = Field(max_length=3)
    exact: str = Field(min_length=20, max_length=20)
    count: int = Field(ge=5, le=7)
    above: int = Field(gt=10)
    negative: float = Field(lt=-2)
    step: int = Field(ge=1, multiple_of=4)
    tags: list[Annotated[str, Field(min_length=1, max_length=8)]] = Field(min_length=3)
    unique: set[str] = Field(min_length=2)
    pair: tuple[int, bool]
    choice: Literal["b", "a"]
    color: Color
    maybe: Inner | None
    inners: list[Inner] = Field(min_length=2)
    table: dict[str, int]
    when: datetime.datetime
    ident: uuid.UUID
    optional: int = Field(3, ge=100)


def schemas(model: type[BaseModel]) -> list[dict[str, Any]]:
    """A model's schema as pydantic writes it ($refs) and as roles send it (inlined, ranges
    as enums)."""
    return [model.model_json_schema(), json_schema_for(model)]


@pytest.mark.parametrize("name", ROLES)
def test_filler_is_a_valid_reply_for_every_registered_role(name: str) -> None:
    output = load_role(name).output_schema
    for schema in schemas(output):
        output.model_validate(filler(schema))


def test_filler_meets_every_constraint_at_its_smallest() -> None:
    for schema in schemas(Constrained):
        value = Constrained.model_validate(filler(schema))
        assert len(value.short) == 3 and len(value.exact) == 20
        assert (value.count, value.above, value.step) == (5, 11, 4)
        assert value.negative < -2 and 0 < value.inners[0].weight < 1
        assert len(value.tags) == 3 and len(value.unique) == 2 and len(value.inners) == 2
        assert (value.choice, value.color) == ("b", Color.RED)
        assert value.table == {} and value.optional == 3  # optional fields keep their defaults


def test_filler_strings_are_words_that_differ_by_reply() -> None:
    schema = json_schema_for(load_role("generator").output_schema)
    first, second = filler(schema, reply=1), filler(schema, reply=2)
    assert first["text"] == "Reply 1, text: lorem ipsum dolor sit amet consectetur adipiscing elit."
    assert second["text"].startswith("Reply 2, text: ") and first["concepts"] != second["concepts"]


def test_a_pattern_is_refused_with_the_way_out() -> None:
    class Code(BaseModel):
        code: str = Field(pattern=r"^[A-Z]{3}$")

    with pytest.raises(ValueError, match="'Reply 1, code'.*ScriptedModel"):
        filler(Code.model_json_schema())


async def test_filler_model_answers_schemas_and_scores_every_text_alike() -> None:
    model = FillerModel()
    output = load_role("meta_thinker").output_schema
    messages = [Message(role="user", content="Task: x")]
    replies, _ = await generate_structured(model, messages, output, Sampling(), n=2)
    assert [r.decision for r in replies] == ["continue", "continue"]  # type: ignore[attr-defined]
    assert [r.schema_title for r in model.requests] == ["Reflection", "Reflection"]
    free = await model.complete(messages, Sampling())
    assert free.texts[0].startswith("Reply 3: lorem")

    a, b = await model.score_each(
        [
            ScoreRequest(messages=messages, continuation="one two three", options=["1", "9"]),
            ScoreRequest(messages=messages, continuation="other words here"),
        ]
    )
    assert a.logprobs == b.logprobs and len(set(a.options.values())) == 1


def test_role_script_fills_the_schemas_it_does_not_script() -> None:
    request = ScriptedRequest(
        messages=[Message(role="user", content="Task: x")],
        sampling=Sampling(),
        n=1,
        json_schema=json_schema_for(Inner),
        sample=0,
    )
    assert Inner.model_validate_json(RoleScript()(request)).label.startswith("Reply 1, label")


async def test_hashing_embedder_is_deterministic_and_reads_words() -> None:
    rolls, rests, quokka, again = await HashingEmbedder().embed(
        ["the boulder rolls", "the boulder rests", "a quokka smiles", "the boulder rolls"]
    )
    cosine = lambda x, y: sum(p * q for p, q in zip(x, y, strict=True))  # noqa: E731
    assert rolls == again and math.isclose(cosine(rolls, rolls), 1.0)
    assert cosine(rolls, rests) > cosine(rolls, quokka)


def test_run_graph_runs_in_its_own_home_from_default_settings(
    tmp_path: Path, isolated_home: Path
) -> None:
    (tmp_path / "noetic.toml").write_text("rounds = 3\ncandidates = 1\n")  # the cwd's config
    home = tmp_path / "kit-home"
    model = FillerModel()
    result = run_graph(task="What is time?", home=home, model=model)

    assert result.stop_reason == "max_rounds" and len(result.rounds) == 1
    assert len(result.rounds[0].candidates) == 3  # the default, not noetic.toml's
    assert result.answer.startswith("Reply ") and result.sources
    # no checks: the presets ask for no synthesis, the answer is the best thought
    assert {r.schema_title for r in model.requests} == {None, "Reflection"}
    assert any(home.iterdir()) and not isolated_home.exists()


async def test_roles_given_by_stage_are_seated_in_the_prebuilt_graph(tmp_path: Path) -> None:
    class Skeptic(Critic):
        name = "skeptic"
        description = "Rates each candidate as a skeptic would."
        prompt = PromptTemplate(
            system="You are a skeptic. You reply with a single digit.",
            user="Task: $task\nAnswer: $candidate\n\n$question Reply with one digit.",
        )
        rates = True

    model = FillerModel()
    result = await arun_graph(
        {"critique": Skeptic()}, task="What is time?", home=tmp_path, model=model, candidates=2
    )
    candidates = result.rounds[0].candidates
    assert len(candidates) == 2
    assert all(c.critique is not None and c.critique.relevance is not None for c in candidates)
    assert any("skeptic" in r.messages[0].content for r in model.score_requests if r.options)
