"""One session owns what runs share: the models, the vector memory with its embedder, the weight
accumulator and the run store, opened once and closed once.

`noetic run`, `resume`, `batch`, `eval` and the Python API all open their resources here, so a
batch of a hundred runs loads each model once, and the runner only drives a graph. Concurrent
runs in one session share everything: the embedded Qdrant admits one client, and SQLite
connections writing side by side can fail as "database is locked".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

from noetic.agents.registry import check_role_names
from noetic.home import usable_home
from noetic.models.base import ChatModel, Embedder
from noetic.models.factory import RunModels, load_models, loaded_embedder
from noetic.settings import NoeticSettings
from noetic.stores.checkpoints import open_checkpointer
from noetic.stores.shared import SharedStores, open_stores


@dataclass(frozen=True)
class Session:
    """The resources of one or many runs; `settings` are those they were opened with."""

    settings: NoeticSettings
    models: RunModels
    stores: SharedStores
    checkpointer: BaseCheckpointSaver[Any]


@asynccontextmanager
async def open_session(
    settings: NoeticSettings,
    *,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
    embedder: Embedder | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> AsyncIterator[Session]:
    """Open everything `settings` name, or use what is given instead; close what was opened.

    A given model, embedder or checkpointer stays open: its owner closes it.
    """
    check_role_names(role_models or {})
    usable_home(settings.home)
    saver_in_use = (
        nullcontext(checkpointer) if checkpointer is not None else open_checkpointer(settings)
    )
    async with saver_in_use as saver:
        # The embedder's weights load beside the chat model's: llama.cpp lets the other thread
        # run, and round 1's recall no longer waits for them.
        models, ready = await asyncio.gather(
            load_models(settings, model, role_models),
            asyncio.to_thread(loaded_embedder, settings, embedder),
            return_exceptions=True,
        )
        if isinstance(models, BaseException):
            raise models
        if isinstance(ready, BaseException):
            await models.aclose()
            raise ready
        try:
            with open_stores(settings, ready) as stores:
                yield Session(settings, models, stores, saver)
        finally:
            await models.aclose()
