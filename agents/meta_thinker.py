"""The meta-thinker: reads the trajectory and decides to continue, refocus or stop.

Its decision is advice; the graph's stop rules decide (a stop is honoured only once the best
score clears the policy's acceptance threshold, so a small model cannot quit on a whim).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.history import round_line, trajectory
from noetic.record import Reflection

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState


class MetaThinker(Role[Reflection]):
    name = "meta_thinker"
    description = "Reads the trajectory; decides continue / refocus / stop, why, and what next."
    output_schema = Reflection
    prompt = PromptTemplate.from_package(__package__, "meta_thinker")
    max_tokens = 140

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        selected = state.get("selected")
        current = state["candidates"][selected] if selected is not None else None
        (reflection,), usage = await self.ask(
            context,
            self.sampling(context, state),
            task=state["task"],
            trajectory=trajectory(
                state.get("history", []), round_line(state["round"], state["mode"], current)
            ),
            max_rounds=state["max_rounds"],
        )
        return {"reflection": reflection, "usage": usage}
