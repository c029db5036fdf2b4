"""Risk flags in scripted runs: the built-in critic leaves them to plugged-in roles that can
judge harm, so the tests of filters and of the mode switcher seat a critic that flags given
texts."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from noetic.agents import Critic
from noetic.graphs import DeliberationGraph, build_deliberation_graph

FLAGS = ["harmful", "offensive"]


class FlaggingCritic(Critic):
    """The built-in critic, plus two risk flags on each of the `risky` texts."""

    def __init__(self, risky: Collection[str]) -> None:
        self.risky = risky

    async def __call__(self, state: Any, runtime: Any) -> dict[str, Any]:
        update = await super().__call__(state, runtime)
        update["candidates"] = [
            c.model_copy(update={"critique": c.critique.model_copy(update={"risk_flags": FLAGS})})
            if c.text in self.risky and c.critique is not None
            else c
            for c in update["candidates"]
        ]
        return update


def flagging_graph(risky: Collection[str]) -> DeliberationGraph:
    """The prebuilt graph with a critic that flags the `risky` texts."""
    return build_deliberation_graph({"critique": FlaggingCritic(risky)})
