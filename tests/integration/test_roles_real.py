"""Every sampling role's structured output validates over at least 20 real calls of the default
model (the critic samples nothing: test_judgment_real tests what its signals mean)."""

from __future__ import annotations

import pytest

from noetic.agents import (
    AssociativeGenerator,
    DeliberationContext,
    MetaThinker,
    ModeSwitcher,
    Synthesizer,
)
from noetic.agents.base import Role
from noetic.models.llama_cpp import LlamaCppModel
from noetic.settings import load_settings

pytestmark = pytest.mark.integration
CALLS = 20
TASK = "Read the word 'resistance' across acoustics, politics and biology"
CANDIDATES = [
    "Resistance in acoustics is impedance; in politics, refusal; in biology, immunity.",
    "All three meanings share one idea: a system pushing back against a force.",
    "A resistor, a protest and an antibody are the same pattern at different scales.",
    "Bananas are yellow.",
]
VALUES = {
    MetaThinker: {
        "task": TASK,
        "trajectory": f"Round 1 (safe, score 0.55): {CANDIDATES[0]}",
        "current": CANDIDATES[1],
        "score": "0.61",
        "round": 2,
        "max_rounds": 4,
    },
    ModeSwitcher: {
        "task": TASK,
        "mode": "safe",
        "signals": "best_score_trend: 0.00\nscore_spread: 0.05\n"
        "mean_novelty: 0.20\nrisk_flags: 0.00",
    },
    Synthesizer: {"task": TASK, "thoughts": "\n".join(f"- {c}" for c in CANDIDATES[:3])},
}


@pytest.mark.parametrize("role_cls", list(VALUES), ids=lambda cls: cls.name)
async def test_role_output_validates(real_model: LlamaCppModel, role_cls: type[Role]) -> None:
    role = role_cls()
    context = DeliberationContext(settings=load_settings(), model=real_model)
    sampling = role.sampling(context, {"mode": "experimental", "round": 1})
    outputs, usage = await role.ask(context, sampling, n=CALLS, **VALUES[role_cls])
    assert len(outputs) == CALLS
    assert all(isinstance(o, role.output_schema) for o in outputs)
    assert usage.completion_tokens > CALLS


async def test_the_generator_answers_in_plain_text(real_model: LlamaCppModel) -> None:
    """A refinement as round 2 asks it: the draft and the judge's fix, a plain-text answer."""
    role = AssociativeGenerator()
    context = DeliberationContext(settings=load_settings(), model=real_model)
    sampling = role.sampling(context, {"mode": "experimental", "round": 2})
    refine = role.prompt.render(task=TASK, previous=CANDIDATES[0], fix="Fix this: add biology.")
    asks = [(refine, sampling.model_copy(update={"seed": i})) for i in range(4)]
    texts, usage = await role.say_each(context, asks)
    assert len(texts) == 4 and all(t.strip() for t in texts)
    # Sampled at temperature, an answer may come out short (which ones depends on the prefix
    # cache the earlier tests of the worker left, so on test order); half must be sentences.
    assert sum(len(t.split()) >= 5 for t in texts) >= 2
    assert not any(t.lstrip().startswith("{") for t in texts)  # an answer, not JSON
    assert usage.completion_tokens > 4 * 5
