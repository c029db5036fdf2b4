"""The evaluation with checks, on the scripted model: the constraints suite is scored by its
items' checks, best_of_n picks by the overlay's judge, --match-tokens spends what deliberate
spent, ablations change what they name, and deliberate is paired with every other config."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_eval_harness import EvalScript, evaluate

from noetic.evaluation import Evaluation, ModelPool
from noetic.evaluation.configs import plan_configs
from noetic.evaluation.paired import paired_rows
from noetic.evaluation.records import ItemRecord
from noetic.evaluation.strategies import _remaining, medoid
from noetic.evaluation.suites import load_suite
from noetic.policies import load_policies
from noetic.settings import ModelSettings, NoeticSettings, load_settings
from noetic.testing import ScriptedModel


def words_of(task: str) -> list[str]:
    return task.split("words:", 1)[1].strip(" .").split(", ") if "words:" in task else []


def uses_all_on_third_sample(task: str, sample: int) -> str:
    """Samples 0-1 leave a required word out; later samples use them all in one sentence."""
    words = words_of(task)
    used = words if sample >= 2 else words[:-1]
    return f"In the story we see {' and the '.join(used)} together today."


async def test_constraints_items_are_scored_by_their_checks_and_the_signals() -> None:
    report = await evaluate(
        EvalScript(plain=uses_all_on_third_sample),
        suite="constraints",
        configs="single,best_of_n",
        limit=1,
        samples=3,
    )
    rows = {r.config: r for r in report.rows}
    assert rows["single"].accuracy == 0.0 and rows["best_of_n"].accuracy == 1.0
    single, best = report.records
    assert single.checks_passed is False and best.checks_passed is True
    assert best.answer == uses_all_on_third_sample(load_suite("constraints", 1)[0].task, 2)
    assert all(0 < (r.quality or 0) <= 1 for r in report.records)
    assert rows["single"].quality is not None and rows["single"].unreadable is None


async def test_match_tokens_runs_deliberate_first_and_draws_to_its_spend() -> None:
    report = await evaluate(
        EvalScript(plain=uses_all_on_third_sample),
        suite="constraints",
        configs="best_of_n,vote,deliberate",
        limit=2,
        match_tokens=True,
    )
    assert [r.config for r in report.rows] == ["best_of_n", "vote", "deliberate"]
    by = {(r.config, r.item_id): r for r in report.records}
    for item in ("cons-001", "cons-002"):
        target = by["deliberate", item].tokens
        for config in ("best_of_n", "vote"):
            spent, drawn = by[config, item].tokens, len(by[config, item].candidates)
            assert drawn > 5  # more than --samples: a deliberation costs many single answers
            # About the target: the cost per sample is measured on the first two.
            assert abs(spent - target) <= 0.2 * target
    assert {p.config for p in report.paired} == {"best_of_n", "vote"}


def test_remaining_samples_follow_the_target_or_the_sample_count() -> None:
    assert _remaining(spent=200, drawn=2, target=None, samples=5) == 3
    assert _remaining(spent=200, drawn=2, target=1000, samples=5) == 8
    assert _remaining(spent=200, drawn=2, target=50, samples=5) == 0
    assert _remaining(spent=2, drawn=2, target=10**9, samples=5) == 62  # capped at 64 in all


def test_medoid_is_the_text_most_like_the_others() -> None:
    texts = ["the dog runs in the park", "a cat sleeps", "the dog runs in a park", "dog park run"]
    assert medoid(texts) in (0, 2)
    assert medoid(["only one"]) == 0


def test_ablations_take_out_what_they_name(tmp_path: Path) -> None:
    settings = load_settings(rounds=1)
    evaluation = Evaluation(settings, ModelPool(lambda m: ScriptedModel(EvalScript())))
    item = load_suite("constraints", 1)[0]

    def made(name: str) -> NoeticSettings:
        (spec,) = plan_configs(name, settings.model, [])
        return evaluation._settings(spec, item, tmp_path, 17)

    full = made("deliberate")
    assert full.seed == 17  # the item's seed, whatever ran before it
    assert full.checks == item.checks and full.memory.enabled and full.memory.accumulator
    assert full.memory.recall_k == settings.memory.recall_k > 0 and full.home == tmp_path
    assert (
        made("deliberate-no-memory").memory.recall_k
        == made("deliberate-no-memory").memory.lessons
        == 0
    )
    no_lessons = made("deliberate-no-lessons").memory
    assert no_lessons.lessons == 0 and no_lessons.recall_k == settings.memory.recall_k
    assert made("deliberate-no-accumulator").memory.accumulator is False
    assert full.auto_checks  # and what it reads from the task
    no_checks = made("deliberate-no-checks")
    assert no_checks.checks == [] and not no_checks.auto_checks
    critic_only = made("deliberate-critic-only")
    assert critic_only.checks == [] and not critic_only.auto_checks
    weights = load_policies(critic_only.policies)["safe"].weights
    assert weights.rates and weights.pmi == weights.integrity == weights.checks == 0
    assert weights.informativeness == weights.embed_relevance == 0
    assert full.mode == settings.mode == "auto"
    assert made("deliberate-safe").mode == "safe"
    assert made("deliberate-experimental").mode == "experimental"
    assert made("deliberate-rule-reflect").stages == {"reflect": "reflect_by_rule"}


def test_ablation_configs_parse_and_unknown_ones_are_refused() -> None:
    specs = plan_configs("deliberate-no-memory,deliberate-no-accumulator", ModelSettings(), [])
    assert [(s.strategy, s.ablation) for s in specs] == [
        ("deliberate", "no-memory"),
        ("deliberate", "no-accumulator"),
    ]
    with pytest.raises(Exception, match="unknown configuration 'deliberate-no-thinking'"):
        plan_configs("deliberate-no-thinking", ModelSettings(), [])


def record(config: str, item: str, correct: bool, tokens: int) -> ItemRecord:
    return ItemRecord(
        config=config, model="m", item_id=item, kind="k", answer="a", candidates=["a"],
        tokens=tokens, seconds=1.0, correct=correct,
    )  # fmt: skip


def test_paired_difference_is_per_item_with_an_interval() -> None:
    specs = plan_configs("single,deliberate", ModelSettings(), [])
    outcomes = [(True, False), (True, False), (True, True), (False, False), (True, False)]
    done = {
        "deliberate": [record("deliberate", f"i{n}", d, 600) for n, (d, _) in enumerate(outcomes)],
        "single": [record("single", f"i{n}", s, 60) for n, (_, s) in enumerate(outcomes)],
    }
    (row,) = paired_rows(specs, done)
    assert (row.reference, row.config, row.n) == ("deliberate", "single", 5)
    assert row.difference == pytest.approx(0.6)
    assert row.ci_low is not None and row.ci_high is not None
    assert 0 < row.ci_low < 0.6 < row.ci_high <= 1
    assert (row.reference_tokens, row.config_tokens) == (600, 60)


def test_no_paired_rows_without_the_reference() -> None:
    specs = plan_configs("single,vote", ModelSettings(), [])
    done = {"single": [record("single", "i", True, 1)], "vote": [record("vote", "i", True, 1)]}
    assert paired_rows(specs, done) == []


def test_with_inferred_checks_a_deliberation_gets_only_what_it_reads(tmp_path: Path) -> None:
    settings = load_settings(rounds=1)
    pool = ModelPool(lambda m: ScriptedModel(EvalScript()))
    evaluation = Evaluation(settings, pool, named_checks=False)
    item = load_suite("constraints", 1)[0]
    (spec,) = plan_configs("deliberate", settings.model, [])
    made = evaluation._settings(spec, item, tmp_path, 17)
    assert made.checks == [] and made.auto_checks and item.checks
