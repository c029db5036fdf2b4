"""Policies, filters and budgets acting inside a scripted deliberation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from risk_flags import flagging_graph

from noetic import adeliberate
from noetic.errors import ConfigError
from noetic.testing import HashingEmbedder, RoleScript
from noetic.testing.role_script import thought

RISKY = frozenset({thought(1)})


async def run(script: RoleScript, risky: frozenset[str] = frozenset(), **overrides: Any):  # type: ignore[no-untyped-def]
    model = script.model()
    graph = flagging_graph(risky)
    result = await adeliberate(
        "A question", model=model, embedder=HashingEmbedder(), graph=graph, **overrides
    )
    return result, model


async def test_risky_candidate_is_filtered_but_kept_with_reason() -> None:
    script = RoleScript(
        critique=lambda text: (10, 10, 10) if "number 1 " in text else (5, 5, 5),
    )
    result, _ = await run(script, RISKY, rounds=1, mode="safe")
    first = result.rounds[0].candidates[0]
    assert first.filtered is not None and "risk flag" in first.filtered
    assert result.rounds[0].selected != 0
    assert len(result.rounds[0].candidates) == 3


async def test_experimental_filters_over_its_looser_limit() -> None:
    """Exploring tolerates one flag (see test_deliberation_graph's risky candidate), not two."""
    script = RoleScript(
        critique=lambda text: (10, 10, 10) if "number 1 " in text else (5, 5, 5),
    )
    result, _ = await run(script, RISKY, rounds=1, mode="experimental")
    first = result.rounds[0].candidates[0]
    assert first.filtered == "2 risk flag(s) (harmful, offensive) over the limit of 1"
    assert result.rounds[0].selected != 0


async def test_blocked_topic_from_a_user_policy_file(tmp_path: Path) -> None:
    policy = tmp_path / "strict.toml"
    policy.write_text('name = "strict"\n[filters]\nblocked_topics = ["number"]\n')
    result, _ = await run(RoleScript(), rounds=1, mode="safe", policies={"safe": policy})
    record = result.rounds[0]
    assert record.selected is None
    assert all("blocked topic 'number'" in (c.filtered or "") for c in record.candidates)


async def test_bad_user_policy_file_is_a_config_error(tmp_path: Path) -> None:
    policy = tmp_path / "bad.toml"
    policy.write_text('name = "bad"\ncreativity = 11\n')
    with pytest.raises(ConfigError, match="unknown key 'creativity'"):
        await run(RoleScript(), rounds=1, policies={"safe": policy})


async def test_max_tokens_stops_gracefully_with_best_answer() -> None:
    result, model = await run(RoleScript(), rounds=5, mode="safe", budget={"max_tokens": 300})
    assert result.stop_reason == "max_tokens"
    assert len(result.rounds) < 5
    best = max(
        (r.candidates[r.selected] for r in result.rounds if r.selected is not None),
        key=lambda c: c.scores["overall"],
    )
    assert result.answer == best.text
    assert "Synthesis" not in {r.schema_title for r in model.requests}


async def test_max_seconds_budget_stops() -> None:
    result, _ = await run(RoleScript(), rounds=5, mode="safe", budget={"max_seconds": 1e-9})
    assert result.stop_reason == "max_seconds"
    assert len(result.rounds) == 1


async def test_think_longer_adds_rounds_while_scores_are_low() -> None:
    script = RoleScript(critique=lambda text: (2, 2, 2))
    result, _ = await run(script, rounds=2, mode="safe", budget={"extra_rounds": 2})
    assert len(result.rounds) == 4
    assert result.stop_reason == "max_rounds"


async def test_converges_when_best_score_plateaus_high() -> None:
    # without memory, so the resonance term cannot lift the score round by round
    script = RoleScript(critique=lambda text: (9, 9, 9))
    result, _ = await run(
        script, rounds=6, mode="safe", budget={"plateau_rounds": 2}, memory={"enabled": False}
    )
    assert result.stop_reason == "converged"
    assert len(result.rounds) == 3


async def test_stage_token_caps_reach_the_model() -> None:
    result, model = await run(
        RoleScript(), rounds=1, mode="safe", budget={"stage_tokens": {"meta_thinker": 40}}
    )
    caps = {r.schema_title: r.sampling.max_tokens for r in model.requests}
    assert caps["Reflection"] == 40
    assert caps[None] == 256  # the generator answers in plain text


async def test_modes_differ_in_sampling_and_candidates() -> None:
    _, safe = await run(RoleScript(), rounds=1, mode="safe")
    _, wild = await run(RoleScript(), rounds=1, mode="experimental")
    temp = lambda m: {r.sampling.temperature for r in m.requests if r.schema_title is None}  # noqa: E731
    count = lambda m: sum(r.schema_title is None for r in m.requests)  # noqa: E731
    # Round 1 has one greedy answer; each fresh one samples at its drawn strategy's temperature.
    assert 0.0 in temp(safe) and temp(safe) <= {0.0, 0.3, 0.6}
    assert 0.0 in temp(wild) and temp(wild) <= {0.0, 0.6, 1.0} and 1.0 in temp(wild)
    assert (count(safe), count(wild)) == (3, 4)
