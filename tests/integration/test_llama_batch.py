"""Batched candidates and prefix reuse in the llama.cpp backend, on the real default model."""

from __future__ import annotations

import json

import pytest

from noetic.models.base import Message, Request, Sampling, ScoreRequest
from noetic.models.llama_cpp import LlamaCppModel
from noetic.settings import MAX_CANDIDATES, ModelSettings

pytestmark = pytest.mark.integration

SYSTEM = (
    "You are a careful assistant. You answer briefly and concretely. "
    "You name colours, animals and places when asked, one per answer. " * 3
)
SCHEMA = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "maxLength": 20},
        "shade": {"enum": [1, 2, 3, 4, 5]},
    },
    "required": ["colour", "shade"],
}


def ask(question: str) -> list[Message]:
    return [Message(role="system", content=SYSTEM), Message(role="user", content=question)]


async def test_batched_samples_are_valid_under_the_grammar(real_model: LlamaCppModel) -> None:
    completion = await real_model.complete(
        ask("Name one colour and its shade."),
        Sampling(temperature=1.0, max_tokens=48, seed=3),
        n=6,
        json_schema=SCHEMA,
    )
    assert len(completion.texts) == 6
    for text in completion.texts:
        reply = json.loads(text, strict=False)
        assert isinstance(reply["colour"], str) and reply["shade"] in range(1, 6)


async def test_batched_samples_differ_and_repeat_for_a_fixed_seed(
    real_model: LlamaCppModel,
) -> None:
    sampling = Sampling(temperature=1.0, max_tokens=20, seed=11)
    first = await real_model.complete(ask("Describe the sea."), sampling, n=MAX_CANDIDATES)
    again = await real_model.complete(ask("Describe the sea."), sampling, n=MAX_CANDIDATES)
    assert len(set(first.texts)) >= MAX_CANDIDATES // 2
    assert again.texts == first.texts


async def test_a_batch_samples_what_single_calls_with_consecutive_seeds_do(
    real_model: LlamaCppModel,
) -> None:
    # Over the same cached prompt: a prefix cached from another prompt may round differently.
    messages = ask("Describe the sea.")
    sampling = Sampling(temperature=1.0, max_tokens=16, seed=40)
    real_model.clear_cache()
    batch = await real_model.complete(messages, sampling, n=4)
    singles = [
        (await real_model.complete(messages, sampling.model_copy(update={"seed": 40 + i}))).texts[0]
        for i in range(4)
    ]
    assert batch.texts == singles


async def test_different_prompts_decode_together_behind_their_shared_prefix(
    real_model: LlamaCppModel,
) -> None:
    questions = ["Name one colour.", "Name a dark colour.", "Name the colour of the sea at night."]
    requests = [
        Request(messages=ask(q), sampling=Sampling(temperature=0.5, max_tokens=40, seed=i))
        for i, q in enumerate(questions)
    ]
    real_model.clear_cache()
    before = real_model.prefix_stats
    first = await real_model.complete_each(requests, json_schema=SCHEMA)
    between = real_model.prefix_stats
    prompts = [real_model.count_prompt(r.messages) for r in requests]
    shared = real_model.count_tokens(SYSTEM)
    # the shared system prompt is evaluated once, not once per prompt
    evaluated, reused = between.evaluated - before.evaluated, between.reused - before.reused
    assert evaluated + reused == sum(prompts)
    assert evaluated <= sum(prompts) - (len(prompts) - 1) * (shared - 4)
    for completion, prompt in zip(first, prompts, strict=True):
        assert len(completion.texts) == 1 and completion.usage.prompt_tokens == prompt
        reply = json.loads(completion.texts[0], strict=False)
        assert isinstance(reply["colour"], str) and reply["shade"] in range(1, 6)
    again = await real_model.complete_each(requests, json_schema=SCHEMA)
    assert [c.texts for c in again] == [c.texts for c in first]
    assert real_model.prefix_stats.reused - between.reused >= shared


async def test_one_sample_keeps_the_contract(real_model: LlamaCppModel) -> None:
    messages = ask("Name one animal.")
    completion = await real_model.complete(messages, Sampling(max_tokens=12, seed=1))
    assert len(completion.texts) == 1 and completion.texts[0].strip()
    assert completion.usage.prompt_tokens == real_model.count_prompt(messages)
    assert 0 < completion.usage.completion_tokens <= 12 and completion.seconds > 0


async def test_prompt_is_counted_once_for_many_samples(real_model: LlamaCppModel) -> None:
    messages = ask("Name one place.")
    completion = await real_model.complete(messages, Sampling(max_tokens=6, seed=2), n=3)
    assert completion.usage.prompt_tokens == real_model.count_prompt(messages)
    assert completion.usage.completion_tokens <= 3 * 6


async def test_more_samples_than_one_batch_holds(real_model: LlamaCppModel) -> None:
    completion = await real_model.complete(
        ask("Name one colour."), Sampling(max_tokens=4, seed=4), n=MAX_CANDIDATES + 2
    )
    assert len(completion.texts) == MAX_CANDIDATES + 2


async def test_shared_prefix_is_reused_not_evaluated(real_model: LlamaCppModel) -> None:
    await real_model.complete(ask("Name one colour."), Sampling(max_tokens=4, seed=5))
    before = real_model.prefix_stats
    other = ask("Name one animal that lives in the sea.")
    await real_model.complete(other, Sampling(max_tokens=4, seed=5))
    after = real_model.prefix_stats
    shared = real_model.count_tokens(SYSTEM)
    assert after.reused - before.reused >= shared
    assert after.evaluated - before.evaluated < real_model.count_prompt(other) - shared + 8


async def test_cold_cache_evaluates_the_whole_prompt(real_model: LlamaCppModel) -> None:
    messages = ask("Name one bird.")
    real_model.clear_cache()
    before = real_model.prefix_stats
    await real_model.complete(messages, Sampling(max_tokens=4, seed=6))
    after = real_model.prefix_stats
    assert after.evaluated - before.evaluated == real_model.count_prompt(messages)
    assert after.reused == before.reused


async def test_small_context_evicts_cached_prompts_and_still_answers() -> None:
    model = LlamaCppModel(ModelSettings(n_ctx=512))
    sampling = Sampling(max_tokens=16, seed=7)
    prompt_tokens = 0
    for topic in ("rivers", "mountains", "deserts", "forests", "rivers"):
        prompt = [Message(role="user", content=f"Tell me about {topic}. " * 20)]
        completion = await model.complete(prompt, sampling, n=4)
        assert len(completion.texts) == 4
        prompt_tokens += model.count_prompt(prompt)
    stats = model.prefix_stats
    assert stats.evaluated + stats.reused == prompt_tokens
    model.close()


async def test_identical_requests_count_one_evaluation_and_the_rest_reused(
    real_model: LlamaCppModel,
) -> None:
    messages = ask("Name one tree.")
    requests = [
        Request(messages=messages, sampling=Sampling(max_tokens=4, seed=i)) for i in range(3)
    ]
    real_model.clear_cache()
    before = real_model.prefix_stats
    completions = await real_model.complete_each(requests)
    after = real_model.prefix_stats
    prompt = real_model.count_prompt(messages)
    assert after.evaluated - before.evaluated == prompt
    assert after.reused - before.reused == 2 * prompt
    assert sum(c.usage.prompt_tokens for c in completions) == 3 * prompt


async def test_reading_back_sampled_texts_evaluates_nothing_and_agrees_with_evaluating(
    real_model: LlamaCppModel,
) -> None:
    """The judge's read of a plain candidate after the task it was sampled for comes from the
    log-probabilities recorded while sampling; evaluating the text gives about the same."""
    task = [Message(role="user", content="Explain why the sky is blue.")]
    requests = [
        Request(messages=task, sampling=Sampling(temperature=t, max_tokens=40, seed=i))
        for i, t in enumerate([0.0, 0.8, 0.8])
    ]
    real_model.clear_cache()
    texts = [c.texts[0].strip() for c in await real_model.complete_each(requests)]
    reads = [ScoreRequest(messages=task, continuation=t) for t in texts]
    before = real_model.prefix_stats
    recorded = await real_model.score_each(reads)
    after = real_model.prefix_stats
    assert after.evaluated == before.evaluated
    assert after.reused - before.reused == sum(r.usage.prompt_tokens for r in recorded)
    real_model.clear_cache()  # forgets the recorded reads too
    evaluated = await real_model.score_each(reads)
    assert real_model.prefix_stats.evaluated > after.evaluated
    for mine, theirs in zip(recorded, evaluated, strict=True):
        assert len(mine.logprobs) == len(theirs.logprobs) > 5
        # llama.cpp rounds a batch of sampled rows differently from prompt rows
        assert mine.logprobs == pytest.approx(theirs.logprobs, abs=0.4)
        assert sum(mine.logprobs) == pytest.approx(sum(theirs.logprobs), abs=1.5)
    other = [ScoreRequest(messages=ask("Explain why the sky is blue."), continuation=texts[0])]
    await real_model.score_each(other)  # another prompt: evaluated
    assert real_model.prefix_stats.evaluated > after.evaluated + len(texts[0]) // 8
