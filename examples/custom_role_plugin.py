"""Seat a plugged-in role in the prebuilt deliberation: the devil's advocate as the critic.

Needs the example plugin installed (`make` does it; by hand:
`pip install -e examples/noetic-pov-roles`). Small settings come from the environment as usual:

    NOETIC_ROUNDS=1 NOETIC_CANDIDATES=2 python examples/custom_role_plugin.py
"""

from __future__ import annotations

from noetic import deliberate
from noetic.agents import available_roles, load_role
from noetic.graphs import build_deliberation_graph

TASK = "Should cities be designed for silence?"


def main() -> None:
    plugged = [info for info in available_roles() if info.package != "noetic"]
    print("roles from plugins:", ", ".join(f"{i.name} ({i.package})" for i in plugged))

    advocate = load_role("devils_advocate")()
    graph = build_deliberation_graph({"critique": advocate})
    result = deliberate(TASK, graph=graph)

    for record in result.rounds:
        for candidate in record.candidates:
            objection = candidate.critique.rationale if candidate.critique else "-"
            fate = f"filtered ({candidate.filtered})" if candidate.filtered else "eligible"
            print(f"{candidate.id} {fate} overall={candidate.scores['overall']:.2f}")
            print(f"  objection: {objection}")
    print("answer:", result.answer)


if __name__ == "__main__":
    main()
