"""The llama.cpp backend's own contract: seeds, usage, constrained JSON, context overflow."""

from __future__ import annotations

import json

import pytest

from noetic.errors import ContextOverflowError
from noetic.models.base import Message, Sampling
from noetic.models.llama_cpp import LlamaCppModel
from noetic.settings import ModelSettings

pytestmark = pytest.mark.integration
PROMPT = [Message(role="user", content="Name one colour.")]


async def test_same_seed_same_text_and_usage_counts(real_model: LlamaCppModel) -> None:
    sampling = Sampling(temperature=0.9, max_tokens=24, seed=5)
    first = await real_model.complete(PROMPT, sampling)
    second = await real_model.complete(PROMPT, sampling)
    assert first.texts == second.texts
    assert first.usage.prompt_tokens > 0 and 0 < first.usage.completion_tokens <= 24


async def test_n_samples_with_distinct_seeds(real_model: LlamaCppModel) -> None:
    completion = await real_model.complete(
        PROMPT, Sampling(temperature=1.2, max_tokens=16, seed=1), n=4
    )
    assert len(completion.texts) == 4
    assert len(set(completion.texts)) > 1


async def test_json_schema_constrains_output(real_model: LlamaCppModel) -> None:
    schema = {
        "type": "object",
        "properties": {"colour": {"type": "string", "maxLength": 20}},
        "required": ["colour"],
    }
    completion = await real_model.complete(
        PROMPT, Sampling(max_tokens=40, seed=2), json_schema=schema
    )
    assert isinstance(json.loads(completion.texts[0], strict=False)["colour"], str)


async def test_prompt_beyond_context_is_a_clear_error() -> None:
    small = LlamaCppModel(ModelSettings(n_ctx=512))
    long_prompt = [Message(role="user", content="word " * 2000)]
    with pytest.raises(ContextOverflowError, match="context window") as caught:
        await small.complete(long_prompt, Sampling(max_tokens=8))
    assert "n_ctx" in str(caught.value)


def test_gpu_layers_setting_reaches_llama_cpp() -> None:
    # On a CPU build llama.cpp accepts the offload request and runs on the CPU.
    model = LlamaCppModel(ModelSettings(n_gpu_layers=-1, n_ctx=512))
    assert model.settings.n_gpu_layers == -1 and model.n_ctx == 512
