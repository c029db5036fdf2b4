"""The plugin's judging signal, as Noetic loads it: registered, scored, weighed by name."""

from __future__ import annotations

from pathlib import Path

from noetic_pov_roles.signals import Concreteness

from noetic.agents.signals.task_parts import TaskReading
from noetic.agents.signals.text import text_signals
from noetic.policies import load_policy_file
from noetic.testing import RoleScript, run_graph

TASK = "Should cities be designed for silence?"


def test_concreteness_reads_numbers_examples_and_names() -> None:
    task = TaskReading.of(TASK)
    vague = Concreteness().read(task, "Quiet matters. Noise is bad for people.")
    concrete = Concreteness().read(task, "Traffic at 70 dB raises blood pressure. Quiet matters.")
    assert vague.score == 0.0 and vague.defect is not None
    assert concrete.score == 0.5 and concrete.defect is None


def test_the_judge_scores_it_in_every_run_and_a_policy_weighs_it(tmp_path: Path) -> None:
    assert "concreteness" in {s.name for s in text_signals()}
    result = run_graph(task=TASK, home=tmp_path, model=RoleScript().model())
    assert all("concreteness" in c.scores for r in result.rounds for c in r.candidates)
    policy_file = tmp_path / "concrete.toml"
    policy_file.write_text('name = "concrete"\n[weights]\nconcreteness = 0.5\n')
    weights = load_policy_file(policy_file).weights
    assert weights.combine({"concreteness": 1.0}) > weights.combine({"concreteness": 0.0})
