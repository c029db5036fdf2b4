"""The evaluation harness on a scripted model: strategies, scoring, totals, configurations.

`EvalScript` answers eval tasks (plain answers, judge verdicts, and every deliberation role
through `RoleScript`); the CLI tests reuse it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from noetic.errors import NoeticError
from noetic.evaluation import Evaluation, Grader, ModelPool, load_suite, plan_configs
from noetic.evaluation.records import EvalReport
from noetic.settings import ModelSettings, load_settings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest


def true_answer(task: str) -> int:
    """The answer to the first two arithmetic items the tests use (see the shipped suite)."""
    numbers = [int(n) for n in re.findall(r"\d+", task)]
    return numbers[0] - numbers[1] if "away" in task else numbers[0] + numbers[1] - numbers[2]


def plain_answer(task: str, sample: int) -> str:
    """The right answer to an arithmetic item, a fixed thought for an open one."""
    if re.search(r"\d", task):
        return f"It is {true_answer(task)}."
    return f"Everything connects, as the tide connects shores (take {sample})."


@dataclass
class EvalScript:
    """`plain(task, sample)` answers plain requests; the judge scores by answer length;
    the synthesis of a deliberation is `synthesis`."""

    plain: Callable[[str, int], str] = plain_answer
    synthesis: str = "After thinking it over, the answer is 19."
    judge: Callable[[str], int] = lambda answer: min(10, len(answer) // 5)
    roles: RoleScript = field(default_factory=RoleScript)

    def __call__(self, request: ScriptedRequest) -> str:
        user = request.messages[-1].content
        if request.schema_title is None:
            return self.plain(user, request.sample)
        if request.schema_title == "Verdict":
            answer = user.split("Answer:", 1)[1].strip()
            return json.dumps({"reason": "scripted", "score": self.judge(answer)})
        if request.schema_title == "Synthesis":
            return json.dumps({"answer": self.synthesis})
        return self.roles(request)


def scripted_pool(script: EvalScript, loads: list[ModelSettings] | None = None) -> ModelPool:
    def load(settings: ModelSettings) -> ScriptedModel:
        if loads is not None:
            loads.append(settings)
        name = settings.path.name if settings.path else "default"
        return ScriptedModel(script, name=f"scripted-{name}")

    return ModelPool(load)


async def evaluate(
    script: EvalScript,
    suite: str = "arithmetic",
    configs: str = "single,vote,deliberate",
    limit: int = 2,
    *,
    judged: bool = False,
    models: list[Path] | None = None,
    loads: list[ModelSettings] | None = None,
    **options,
) -> EvalReport:
    settings = load_settings(rounds=1, candidates=2, mode="safe")
    pool = scripted_pool(script, loads)
    evaluation = Evaluation(
        settings,
        pool,
        judge=Grader(await pool.get(settings.model)) if judged else None,
        embedder=HashingEmbedder() if judged else None,
        **options,
    )
    specs = plan_configs(configs, settings.model, models or [])
    return await evaluation.run(suite, load_suite(suite, limit), specs)


async def test_single_vote_and_deliberate_are_scored_by_exact_answer() -> None:
    report = await evaluate(EvalScript(), samples=3)
    rows = {r.config: r for r in report.rows}
    assert list(rows) == ["single", "vote", "deliberate"]
    assert rows["single"].accuracy == 1.0 and rows["single"].correct == 2
    assert rows["vote"].accuracy == 1.0
    # The scripted synthesis always says 19: right for item 1 (19), wrong for item 2 (53).
    assert rows["deliberate"].accuracy == 0.5 and rows["deliberate"].correct == 1
    assert rows["deliberate"].ci_low < 0.5 < rows["deliberate"].ci_high  # type: ignore[operator]
    assert all(r.n == 2 and r.total_tokens > 0 and r.judge is None for r in report.rows)
    assert rows["deliberate"].total_tokens > rows["vote"].total_tokens > rows["single"].total_tokens
    assert len(report.records) == 6


async def test_vote_takes_the_majority_answer_over_the_first_sample() -> None:
    def plain(task: str, sample: int) -> str:
        return "I think 7." if sample == 0 else f"The answer is {true_answer(task)}."

    report = await evaluate(EvalScript(plain=plain), configs="single,vote", samples=3)
    rows = {r.config: r for r in report.rows}
    assert rows["single"].accuracy == 0.0
    assert rows["vote"].accuracy == 1.0
    vote = [r for r in report.records if r.config == "vote"]
    assert all(len(r.candidates) == 3 and r.answer.startswith("The answer is") for r in vote)


class CutOffReflections(EvalScript):
    """Every reflection is cut off mid-string, as a small model's can be at its cap."""

    def __call__(self, request: ScriptedRequest) -> str:
        if request.schema_title == "Reflection":
            return '{"decision": "cut off'
        return super().__call__(request)


async def test_a_deliberation_the_model_fails_is_wrong_and_the_run_goes_on() -> None:
    report = await evaluate(CutOffReflections(), configs="deliberate")
    (row,) = report.rows
    assert row.n == 2 and row.failed == 2 and row.accuracy == 0.0
    assert all("Reflection" in (r.error or "") and r.answer == "" for r in report.records)


async def test_unreadable_answers_are_counted_and_wrong() -> None:
    report = await evaluate(EvalScript(plain=lambda task, s: "Many."), configs="single")
    (row,) = report.rows
    assert row.accuracy == 0.0 and row.unreadable == 2
    assert all(r.extracted is None and r.correct is False for r in report.records)


async def test_open_suite_is_measured_by_rule_and_judged_when_asked() -> None:
    def plain(task: str, sample: int) -> str:
        return f"answer {sample} " + "words " * (3 + 5 * sample) + task[:20]

    report = await evaluate(EvalScript(plain=plain), suite="open", limit=3, judged=True, samples=3)
    rows = {r.config: r for r in report.rows}
    assert all(r.accuracy is None and r.judge is not None for r in report.rows)
    # The judge scores longer answers higher, and the vote picks by the judge's score.
    assert rows["vote"].judge > rows["single"].judge  # type: ignore[operator]
    assert rows["single"].dispersion is None and rows["vote"].dispersion is not None
    assert rows["deliberate"].dispersion is not None
    first, *later = [r for r in report.records if r.config == "single"]
    assert first.novelty is None and all(r.novelty is not None for r in later)
    assert all(0 <= r.judge <= 10 for r in report.records)  # type: ignore[operator]
    assert rows["single"].ci_low is not None
    # The rule measures need no judge: every answer has coverage, F1 and a length.
    assert all(r.coverage is not None and r.reference_f1 is not None for r in report.records)
    assert all(r.words and r.hollow is not None for r in report.records)
    # The vote pays for the judge calls that picked its answer.
    assert rows["vote"].total_tokens > 3 * rows["single"].total_tokens


async def test_an_empty_answer_scores_zero_without_a_judge_call() -> None:
    script = EvalScript(plain=lambda task, s: "   ")
    report = await evaluate(script, suite="open", configs="single", limit=1, judged=True)
    assert report.records[0].judge == 0.0


async def test_each_model_loads_once_and_crosses_every_strategy(tmp_path: Path) -> None:
    paths = []
    for name in ("small.gguf", "large.gguf"):
        (tmp_path / name).write_bytes(b"GGUF" + b"\0" * 16)
        paths.append(tmp_path / name)
    loads: list[ModelSettings] = []
    report = await evaluate(EvalScript(), configs="single,vote", models=paths, loads=loads)
    assert [r.config for r in report.rows] == [
        "single@small",
        "vote@small",
        "single@large",
        "vote@large",
    ]
    assert [s.path.name for s in loads] == ["small.gguf", "large.gguf"]  # type: ignore[union-attr]
    assert report.rows[0].model == "scripted-small.gguf"


async def test_deliberations_leave_nothing_in_the_users_home(isolated_home: Path) -> None:
    await evaluate(EvalScript(), configs="deliberate", limit=1)
    assert not (isolated_home / "runs.sqlite").exists()
    assert not isolated_home.exists() or not any(isolated_home.iterdir())


def test_config_planning_errors() -> None:
    base = ModelSettings()
    with pytest.raises(NoeticError, match="unknown configuration 'best'"):
        plan_configs("single,best", base, [])
    with pytest.raises(NoeticError, match="no configuration"):
        plan_configs(" , ", base, [])
    with pytest.raises(NoeticError, match="does not exist"):
        plan_configs("single", base, [Path("/no/such/model.gguf")])
    assert [c.name for c in plan_configs("vote,single,vote", base, [])] == ["vote", "single"]


def test_two_models_with_one_file_name_are_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.gguf").write_bytes(b"GGUF" + b"\0" * 16)
    with pytest.raises(NoeticError, match="share the name 'm'"):
        plan_configs("single", ModelSettings(), [tmp_path / "a/m.gguf", tmp_path / "b/m.gguf"])


async def test_a_deliberating_configuration_opens_one_session_for_all_its_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Like `noetic batch`: memory, accumulator and run store open once a configuration."""
    import noetic.stores.shared as shared

    opened: list[Path] = []
    real = shared.open_stores

    def counted(settings, embedder):  # type: ignore[no-untyped-def]
        opened.append(settings.home)
        return real(settings, embedder)

    monkeypatch.setattr("noetic.runs.session.open_stores", counted)
    report = await evaluate(EvalScript(), configs="deliberate,deliberate-no-memory", limit=3)
    assert [r.n for r in report.rows] == [3, 3]
    assert len(opened) == 2 and opened[0] != opened[1]
    # each record says which mode each of its rounds ran in
    assert all(r.modes and set(r.modes) <= {"safe", "experimental"} for r in report.records)


async def test_set_up_steps_are_run_not_counted_and_untold_checks_only_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A continuity sequence: the first task sets a fact, the second needs it. The second's
    check names the fact, so the run must not be given it; the first is set-up only."""
    import noetic.evaluation.harness as harness

    given: dict[str, list[str]] = {}
    real = harness.deliberate

    async def spy(model, item, settings, embedder, session=None, run_id=None):  # type: ignore[no-untyped-def]
        given[item.id] = [str(c) for c in settings.checks]
        return await real(model, item, settings, embedder, session, run_id)

    monkeypatch.setattr(harness, "deliberate", spy)
    suite = tmp_path / "steps.jsonl"
    steps = [
        {
            "id": "s.1",
            "task": "The keeper of Brannoch is Odrevan.",
            "scored": False,
            "checks": ["keywords=Odrevan"],
        },
        {
            "id": "s.2",
            "task": "Sign a letter as the keeper of Brannoch.",
            "told": False,
            "checks": ["keywords=Odrevan"],
        },
    ]
    suite.write_text("".join(json.dumps(s) + "\n" for s in steps), encoding="utf-8")
    script = EvalScript(plain=lambda task, sample: "A letter from the keeper, Odrevan.")
    report = await evaluate(script, suite=str(suite), configs="deliberate", limit=None)
    assert given["s.1"] and given["s.2"] == []
    assert report.items == 1 and report.rows[0].n == 1
    assert [r.item_id for r in report.records] == ["s.1", "s.2"]


async def test_a_warm_configuration_runs_the_suite_twice_in_one_home_and_counts_the_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import noetic.evaluation.harness as harness

    homes: list[tuple[str, Path]] = []
    real = harness.deliberate

    async def spy(model, item, settings, embedder, session=None, run_id=None):  # type: ignore[no-untyped-def]
        homes.append((item.id, settings.home))
        return await real(model, item, settings, embedder, session, run_id)

    monkeypatch.setattr(harness, "deliberate", spy)
    journal = tmp_path / "records.jsonl"
    report = await evaluate(
        EvalScript(), configs="deliberate,deliberate-warm", limit=2, journal=journal
    )
    assert [(r.config, r.n) for r in report.rows] == [("deliberate", 2), ("deliberate-warm", 2)]
    fresh, warm = homes[:2], homes[2:]
    assert [i for i, _ in warm] == [i for i, _ in fresh] * 2  # the suite, then again
    assert len({h for _, h in warm}) == 1 and warm[0][1] != fresh[0][1]
    journaled = [json.loads(line)["config"] for line in journal.read_text().splitlines()]
    assert (
        journaled.count("deliberate-warm/warm-up") == 2 and journaled.count("deliberate-warm") == 2
    )
