"""The POV debate as a registered graph, with the one plain stage it adds.

`POV_DEBATE` is registered in `noetic.graphs` and `announce_winner` in `noetic.stages`, so a user
runs, resumes and reports the debate from the CLI (`noetic run TASK --graph pov_debate`) with no
Python of their own.
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import structlog

from noetic.graphs import GraphSpec

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents import DeliberationContext, DeliberationState

log = structlog.get_logger("noetic_pov_roles")

POV_DEBATE = GraphSpec.model_validate(
    tomllib.loads(files(__package__).joinpath("pov_debate.toml").read_text(encoding="utf-8"))
)


async def announce_winner(
    state: DeliberationState, runtime: Runtime[DeliberationContext]
) -> dict[str, Any]:
    """Log whose perspective won the round (a plain stage: no model, no state change)."""
    selected = state.get("selected")
    if selected is not None:
        winner = state["candidates"][selected]
        log.info("round_winner", round=state["round"], discipline=winner.concepts[0])
    return {}
