"""The deliberation graph: state schema, runtime context, stages and the prebuilt builder."""

from noetic.graphs.context import DeliberationContext, default_policies
from noetic.graphs.deliberation import (
    ROLE_STAGES,
    STAGES,
    DeliberationGraph,
    build_deliberation_graph,
)
from noetic.graphs.instrument import instrument
from noetic.graphs.state import DeliberationState

__all__ = [
    "ROLE_STAGES",
    "STAGES",
    "DeliberationContext",
    "DeliberationGraph",
    "DeliberationState",
    "build_deliberation_graph",
    "default_policies",
    "instrument",
]
