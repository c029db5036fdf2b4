"""One real llama.cpp model for the whole integration session (loading is cheap, but shared
state such as the KV prefix is what a real run sees too)."""

from __future__ import annotations

import pytest

from noetic.models.llama_cpp import LlamaCppModel
from noetic.settings import ModelSettings


@pytest.fixture(scope="session")
def real_model() -> LlamaCppModel:
    return LlamaCppModel(ModelSettings(n_ctx=2048), seed=0)
