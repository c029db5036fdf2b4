"""The devil's advocate: a critic that scores each candidate by how well it survives the
strongest objection to it.

It is the built-in critic with another prompt: same `Critique` output, so selection, filters and
memory treat its verdicts like the critic's, and it can take the critique stage of any graph.
"""

from __future__ import annotations

from noetic.agents import Critic, PromptTemplate


class DevilsAdvocate(Critic):
    name = "devils_advocate"
    description = "Critic that raises the strongest objection to each candidate, then scores it."
    prompt = PromptTemplate.from_package(__package__, "devils_advocate")
