"""Continuity: the facts of the earlier work a task continues, and an answer's share of them."""

from __future__ import annotations

from noetic.agents.signals.continuity import continuity, earlier_facts
from noetic.policies import load_policies

TOWN = "Describe the harbor town of Brannoch: its keeper is Odrevan, its lighthouse has 317 steps."
STEPS = "In two sentences, say how many steps the Brannoch keeper climbs each night."


def test_the_facts_are_the_earlier_names_and_numbers_the_task_does_not_state() -> None:
    assert earlier_facts(STEPS, [TOWN]) == ["odrevan", "317"]
    # Another place's task is not earlier work on this one.
    assert earlier_facts(STEPS, ["The village of Tarrowmere has 12 bakers named Quillon."]) == []
    # What the task states itself is no fact to remember.
    assert earlier_facts("Odrevan of Brannoch climbs at night.", [TOWN]) == ["317"]


def test_an_answer_that_keeps_the_facts_outscores_one_that_invents() -> None:
    facts = earlier_facts(STEPS, [TOWN])
    kept, _ = continuity("Odrevan climbs all 317 steps of the Brannoch light each night.", facts)
    invented, missing = continuity(
        "The keeper climbs 20 steps each night to reach the lamp.", facts
    )
    assert kept == 1.0 and invented == 0.0 and missing == ["odrevan", "317"]
    weights = load_policies()["safe"].weights
    plain = {"fluency": 0.7, "informativeness": 0.5}
    assert weights.combine({**plain, "continuity": kept}) > weights.combine(
        {**plain, "continuity": invented}
    )
