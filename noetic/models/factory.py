"""Turns model settings into a `ChatModel`: the one place that knows which backend serves which
settings, so the runner, per-role models and the CLI never pick a backend themselves."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from noetic.models.base import ChatModel, Embedder, LoadsWeights
from noetic.settings import ModelSettings, NoeticSettings

log = structlog.get_logger(__name__)


def load_chat_model(settings: ModelSettings, *, seed: int = 0) -> ChatModel:
    """The backend for `settings`: the OpenAI-compatible server at `base_url` when one is set
    (llama.cpp's own server gets the backend that also reads log-probabilities), else an
    in-process GGUF through llama.cpp (`seed` seeds its context).

    Blocking (a model load, or a server check with retries): call it from a worker thread.
    """
    if settings.base_url is not None:
        from noetic.models.llama_server import LlamaServerModel
        from noetic.models.model_server import ModelServer
        from noetic.models.openai_compat import OpenAICompatModel

        server = ModelServer(settings)
        listed = server.models()
        backend = LlamaServerModel if listed.from_llama_server else OpenAICompatModel
        return backend(settings, server=server, listed=listed)
    from noetic.models.llama_cpp import LlamaCppModel

    return LlamaCppModel(settings, seed=seed)


def load_embedder(settings: NoeticSettings) -> Embedder:
    """The memory's embedder: `memory.embedding_model` if set, else the chat model embeds
    (through llama.cpp in process, or the server at `model.base_url`). A server that serves no
    embeddings (most chat servers' default) is left for the packaged model in process, with one
    log line: a run just works, and memory stays keyed by the embedder that made its vectors."""
    from noetic.models.default_model import default_model_path

    if settings.memory.embedding_model is None and settings.model.base_url is not None:
        from noetic.models.http_errors import NoEmbeddingsError
        from noetic.models.openai_compat import OpenAICompatEmbedder

        try:
            return OpenAICompatEmbedder(settings.model)
        except NoEmbeddingsError as refused:
            packaged = default_model_path()
            log.info("embedding_in_process", model=packaged.name, server=refused.problem)
            return _in_process(packaged, settings)
    path = settings.memory.embedding_model or settings.model.path or default_model_path()
    return _in_process(path, settings)


def loaded_embedder(settings: NoeticSettings, embedder: Embedder | None = None) -> Embedder:
    """`embedder`, or the one `settings` name, its weights loaded now where it would load them on
    first use. Blocking: a session calls it in a worker thread beside the chat model's load."""
    embedder = embedder or load_embedder(settings)
    if isinstance(embedder, LoadsWeights):
        embedder.load()
    return embedder


def _in_process(path: Path, settings: NoeticSettings) -> Embedder:
    from noetic.models.llama_embedder import LlamaCppEmbedder

    return LlamaCppEmbedder(
        path, n_threads=settings.model.n_threads, n_gpu_layers=settings.model.n_gpu_layers
    )


@dataclass
class RunModels:
    """The models of a run: the shared one and each role's; `loaded` lists what was loaded here."""

    model: ChatModel
    role_models: dict[str, ChatModel]
    loaded: list[ChatModel] = field(default_factory=list)

    async def aclose(self) -> None:
        """Release what was loaded here (a server model's connections)."""
        for model in self.loaded:
            await model.aclose()


async def load_models(
    settings: NoeticSettings,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
) -> RunModels:
    """Each role's model: `role_models` given, else `[roles.NAME]`, else the shared `model`
    (given, or loaded from `settings.model`). Equal model settings share one loaded model."""
    loaded: dict[ModelSettings, ChatModel] = {}

    async def load(model_settings: ModelSettings) -> ChatModel:
        if model_settings not in loaded:
            loaded[model_settings] = await asyncio.to_thread(
                load_chat_model, model_settings, seed=settings.seed
            )
        return loaded[model_settings]

    shared = model if model is not None else await load(settings.model)
    if model is not None:
        loaded.setdefault(settings.model, model)
    chosen = dict(role_models or {})
    for name, model_settings in settings.roles.items():
        if name not in chosen:
            chosen[name] = await load(model_settings)
    mine = [m for m in loaded.values() if m is not model]
    return RunModels(model=shared, role_models=chosen, loaded=mine)
