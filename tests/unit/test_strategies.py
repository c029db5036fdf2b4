"""Strategies: the accumulator tallies which way of drawing a candidate wins per kind of task,
and the generator's draw follows the tallies (Thompson sampling)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from noetic import adeliberate
from noetic.memory import ACCUMULATOR_FILE, WeightAccumulator
from noetic.memory.accumulator import StrategyOutcome, StrategyWeight, tallied
from noetic.policies.policy import load_policy_file, load_preset, policy_toml
from noetic.policies.strategies import Strategy, draw
from noetic.settings import CheckSpec
from noetic.testing import HashingEmbedder, RoleScript
from noetic.testing.scripted import ScriptedRequest

STRATEGIES = {
    "plain": Strategy(),
    "cool": Strategy(temperature=0.3),
    "guided": Strategy(prompt="guided"),
}


def test_untried_strategies_are_drawn_alike() -> None:
    drawn = Counter(draw(STRATEGIES, [], 3000, random.Random(0)))
    assert set(drawn) == set(STRATEGIES)
    assert all(900 < count < 1100 for count in drawn.values())


def test_the_draw_follows_what_won_and_keeps_trying_the_rest() -> None:
    tallies = [
        StrategyWeight(strategy="cool", wins=8.0, trials=10.0),
        StrategyWeight(strategy="plain", wins=1.0, trials=10.0),
    ]  # guided never tried: the uniform prior
    drawn = Counter(draw(STRATEGIES, tallies, 1000, random.Random(0)))
    assert drawn["cool"] > 600 and drawn["plain"] < 50 and drawn["guided"] > 50


def test_a_tally_decays_counts_trials_and_the_win() -> None:
    first = tallied({}, StrategyOutcome("form", frozenset({"plain", "cool"}), "cool"))
    assert (first["cool"].wins, first["cool"].trials) == (1.0, 1.0)
    assert (first["plain"].wins, first["plain"].trials) == (0.0, 1.0)
    second = tallied(first, StrategyOutcome("form", frozenset({"plain"}), None))
    assert second["cool"].trials < 1.0 and second["plain"].trials > 1.9
    assert second["cool"].rate > second["plain"].rate


def test_tallies_are_per_kind_saved_and_counted_once_per_round(tmp_path: Path) -> None:
    acc = WeightAccumulator.load(tmp_path / ACCUMULATOR_FILE)
    won = StrategyOutcome("form", frozenset({"plain", "guided"}), "guided")
    assert acc.reinforce(["a"], 1.0, run_id="r", round=1, strategies=won)
    assert not acc.reinforce(["a"], 1.0, run_id="r", round=1, strategies=won)  # a replay
    acc.reinforce(
        ["b"],
        1.0,
        run_id="r",
        round=2,
        strategies=StrategyOutcome("open", frozenset({"plain"}), "plain"),
    )
    acc.save()
    again = WeightAccumulator.load(tmp_path / ACCUMULATOR_FILE).strategies()
    assert [t.strategy for t in again["form"]] == ["guided", "plain"]
    assert again["form"][0].wins == 1.0 and again["form"][0].trials == 1.0
    assert [t.strategy for t in again["open"]] == ["plain"]


def test_the_shipped_modes_draw_plainly_and_a_policy_may_add_strategies(tmp_path: Path) -> None:
    """The presets draw every fresh candidate plainly (the variants measured no better); a
    policy file of the user's own adds them."""
    assert (
        set(load_preset("safe").strategies)
        == set(load_preset("experimental").strategies)
        == {"plain"}
    )
    path = tmp_path / "mine.toml"
    path.write_text(
        '[strategies.plain]\n[strategies.guided]\nprompt = "guided"\n'
        "[strategies.cool]\ntemperature = 0.3\n",
        encoding="utf-8",
    )
    assert load_policy_file(path).strategies["cool"].temperature == 0.3


class GuidedPasses(RoleScript):
    """Only a guided candidate says the word the run's check asks for."""

    def __call__(self, request: ScriptedRequest) -> str:
        text = super().__call__(request)
        if request.schema_title is None and "Keep in mind" in request.messages[-1].content:
            return f"{text} A zebra grazes."
        return text


async def test_later_runs_of_a_kind_draw_what_won_before(isolated_home: Path) -> None:
    """Where the guided prompt's candidates pass the check and the others fail, the tally for
    the kind comes to favour it, and later runs draw most of their candidates guided."""
    zebra = [CheckSpec(name="form", params={"must_contain": ["zebra"]})]
    three = load_preset("safe").model_copy(update={"strategies": STRATEGIES})
    isolated_home.mkdir(parents=True, exist_ok=True)
    policy = isolated_home / "three-strategies.toml"
    policy.write_text(policy_toml(three), encoding="utf-8")
    drawn: list[Counter[str]] = []
    for i in range(8):
        result = await adeliberate(
            f"Name an animal of the savanna, take {i}.",
            model=GuidedPasses().model(),
            embedder=HashingEmbedder(),
            checks=zebra,
            mode="safe",
            policies={"safe": policy},
            rounds=1,
            candidates=6,
            run_id=f"run{i}",
        )
        (record,) = result.rounds
        chosen = record.candidates[record.selected or 0]
        assert chosen.strategy == "guided" and "zebra" in chosen.text
        drawn.append(Counter(c.strategy for c in record.candidates))
        assert drawn[-1]["greedy"] == 1  # round 1 still holds what the plain model says
    acc = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE)
    assert acc.strategies()["form"][0].strategy == "guided"
    early = sum(d["guided"] for d in drawn[:2])
    late = sum(d["guided"] for d in drawn[-2:])
    assert late > early and late >= 8  # of the last two runs' ten drawn candidates


async def test_a_guided_prompt_lists_every_check_the_run_has(isolated_home: Path) -> None:
    """Two checks of one name (two `form`s) are two instructions, each worded as its fix."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    guided_only = load_preset("safe").model_copy(
        update={"strategies": {"guided": Strategy(prompt="guided")}}
    )
    policy = isolated_home / "guided.toml"
    policy.write_text(policy_toml(guided_only), encoding="utf-8")
    model = RoleScript().model()
    await adeliberate(
        "Name two animals of the savanna.",
        model=model,
        embedder=HashingEmbedder(),
        checks=[
            CheckSpec(name="form", params={"must_contain": ["zebra"]}),
            CheckSpec(name="form", params={"must_contain": ["lion"]}),
        ],
        mode="safe",
        policies={"safe": policy},
        rounds=1,
        candidates=2,
    )
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    (guided,) = [p for p in prompts if "Keep in mind" in p]
    assert "'zebra'" in guided and "'lion'" in guided
