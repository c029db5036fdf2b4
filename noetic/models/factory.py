"""Turns model settings into a `ChatModel`: the one place that knows which backend serves which
settings, so the runner, per-role models and the CLI never pick a backend themselves."""

from __future__ import annotations

from noetic.models.base import ChatModel
from noetic.settings import ModelSettings


def load_chat_model(settings: ModelSettings, *, seed: int = 0) -> ChatModel:
    """The backend for `settings`: an in-process GGUF through llama.cpp."""
    from noetic.models.llama_cpp import LlamaCppModel

    return LlamaCppModel(settings, seed=seed)
