"""The devil's advocate: a critic that rates each candidate as it stands after the strongest
objection to it.

It is the built-in critic with another prompt for its ratings: every other signal (likelihood,
relevance, degeneracy) and the `Critique` record stay the same, so selection, filters and memory
treat its verdicts like the critic's, and it can take the critique stage of any graph. Its
ratings are always asked for; they count in `overall` as much as the policy's `relevance`,
`coherence` and `novelty` weights say.
"""

from __future__ import annotations

from noetic.agents import Critic, PromptTemplate


class DevilsAdvocate(Critic):
    name = "devils_advocate"
    description = "Critic that rates each candidate after the strongest objection to it."
    prompt = PromptTemplate.from_package(__package__, "devils_advocate")
    rates = (
        True  # its ratings are its point: recorded in every critique, weighed as the policy says
    )
