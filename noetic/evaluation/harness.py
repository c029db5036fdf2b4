"""Running a suite through every configuration and scoring what comes back.

Configurations run one after another, each over all items, so their seconds are measured
alike and never overlap (with `match_tokens`, the reference deliberation runs first: the others
spend what it spent on each item). Models load once each (a pool keyed by model settings) and
are shared by the strategies on them. Each deliberating configuration has its own throw-away
home, so its memory and accumulator grow over the suite as they would for a user, and never mix
with another configuration's or a user's. The judges and the embedder are one each for the
whole evaluation, so every configuration is graded by the same yardstick.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path

from noetic.agents.checks import Check, bind_checks, run_checks
from noetic.agents.signals import Judge as SignalJudge
from noetic.agents.signals.geval import QUESTIONS as GEVAL_RATINGS
from noetic.errors import ContextOverflowError, StructuredOutputError
from noetic.evaluation.answers import extract_integer
from noetic.evaluation.configs import PINNED_MODES, REFERENCE, ConfigSpec
from noetic.evaluation.grader import Grader
from noetic.evaluation.measures import dispersion, distinct_n, novelty
from noetic.evaluation.open_measures import hollow, part_coverage, reference_f1, word_count
from noetic.evaluation.paired import paired_rows
from noetic.evaluation.records import EvalReport, ItemRecord
from noetic.evaluation.strategies import Attempt, best_of_n, deliberate, single, vote
from noetic.evaluation.suites import SuiteItem
from noetic.evaluation.summary import summarize
from noetic.models.base import ChatModel, Embedder
from noetic.policies import Policy, load_policies
from noetic.policies.policy import SelectionWeights, policy_toml
from noetic.record import Mode
from noetic.runs.session import Session, open_session
from noetic.settings import CheckpointSettings, ModelSettings, NoeticSettings

Progress = Callable[[str], None]
Loader = Callable[[ModelSettings], ChatModel]
CRITIC_ONLY = SelectionWeights.model_validate(
    dict.fromkeys(SelectionWeights.model_fields, 0.0) | dict.fromkeys(GEVAL_RATINGS, 1.0)
)
"""The LLM critic's ratings as the only weighed signal (every other field at 0)."""


WARM_UP = "warm-up"
"""The uncounted first pass of a `warm` configuration: its records' and runs' suffix."""


class ModelPool:
    """Loads each distinct model once (in a worker thread: loading blocks) and hands it out."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader
        self._models: dict[ModelSettings, ChatModel] = {}

    async def get(self, settings: ModelSettings) -> ChatModel:
        if settings not in self._models:
            self._models[settings] = await asyncio.to_thread(self._loader, settings)
        return self._models[settings]

    async def aclose(self) -> None:
        """Release what was loaded (a server model's connections)."""
        for model in self._models.values():
            await model.aclose()
        self._models.clear()


class Evaluation:
    """One suite × configurations run, with what it shares: settings, judges and embedder."""

    def __init__(
        self,
        settings: NoeticSettings,
        pool: ModelPool,
        *,
        samples: int = 5,
        match_tokens: bool = False,
        judge: Grader | None = None,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        named_checks: bool = True,
        journal: Path | None = None,
        finished: Sequence[ItemRecord] = (),
        targets: Mapping[str, int] | None = None,
    ) -> None:
        self.settings = settings
        # False: the configurations get only the checks they read from each task; the suite's
        # own checks still score the answers.
        self.named_checks = named_checks
        self.pool = pool
        self.samples = samples
        self.match_tokens = match_tokens
        self.judge = judge
        self.embedder = embedder
        self.progress = progress or (lambda line: None)
        self.policies = load_policies(settings.policies)
        # Token targets by item: what deliberate spent, measured here or in an earlier eval.
        self.targets: dict[str, int] = dict(targets or {})
        # Each record is appended to `journal` as its item finishes; records of an interrupted
        # eval (`finished`) are taken as they were instead of run again.
        self.journal = journal
        self.finished = {(r.config, r.item_id): r for r in finished}

    @property
    def weights(self) -> SelectionWeights:
        return self.policies["safe"].weights

    async def run(
        self, suite: str, items: list[SuiteItem], configs: list[ConfigSpec]
    ) -> EvalReport:
        started = time.perf_counter()
        order = sorted(configs, key=lambda c: c.base != REFERENCE) if self.match_tokens else configs
        done: dict[str, list[ItemRecord]] = {}
        with tempfile.TemporaryDirectory(prefix="noetic-eval-") as scratch:
            for index, config in enumerate(order):
                home = Path(scratch) / f"{index:02d}-{config.base}"
                done[config.name] = await self._run_config(config, items, home)
        # Set-up steps (a continuity sequence's first tasks) are run and kept, not counted.
        scored = {item.id for item in items if item.scored}
        counted = {name: [r for r in mine if r.item_id in scored] for name, mine in done.items()}
        rows = [summarize(config, counted[config.name]) for config in configs]
        records = [record for config in configs for record in done[config.name]]
        return EvalReport(
            suite=suite,
            items=len(scored),
            rows=rows,
            paired=paired_rows(configs, counted),
            records=records,
            seconds=round(time.perf_counter() - started, 3),
            match_tokens=self.match_tokens,
        )

    def _settings(
        self, config: ConfigSpec, item: SuiteItem, home: Path, seed: int
    ) -> NoeticSettings:
        """A deliberation's settings: the item's checks and seed (the one every configuration
        uses for it, so each samples alike whatever ran before), the config's home and
        ablation."""
        checked = config.ablation not in ("no-checks", "critic-only")
        memory = self.settings.memory.model_copy(
            update={
                "enabled": True,
                "recall_k": 0 if config.ablation == "no-memory" else self.settings.memory.recall_k,
                "lessons": 0
                if config.ablation in ("no-memory", "no-lessons")
                else self.settings.memory.lessons,
                "accumulator": config.ablation != "no-accumulator",
            }
        )
        pinned = config.ablation if config.ablation in PINNED_MODES else None
        update: dict[str, object] = {
            "home": home,
            "seed": seed,
            "mode": pinned or self.settings.mode,
            "checkpoints": CheckpointSettings(),  # runs and weights in the config's home only
            "model": config.model,
            "memory": memory,
            "checks": item.checks if checked and self.named_checks and item.told else [],
            "auto_checks": checked,
        }
        if config.ablation == "rule-reflect":
            update["stages"] = {**self.settings.stages, "reflect": "reflect_by_rule"}
        if config.ablation == "critic-only":
            update["policies"] = _critic_only_policies(self.policies, home)
        return self.settings.model_copy(update=update)

    async def _run_config(
        self, config: ConfigSpec, items: list[SuiteItem], home: Path
    ) -> list[ItemRecord]:
        model = await self.pool.get(config.model)
        async with self._session(config, model, items, home) as session:
            if config.ablation == "warm":
                # The suite once in the same home first: what it learned is what the counted
                # pass starts from. Its records are journaled under their own name.
                warm_up = config.model_copy(update={"name": f"{config.name}/{WARM_UP}"})
                await self._run_items(warm_up, model, items, home, session)
            return await self._run_items(config, model, items, home, session)

    def _session(
        self, config: ConfigSpec, model: ChatModel, items: list[SuiteItem], home: Path
    ) -> AbstractAsyncContextManager[Session | None]:
        """One session for a deliberating configuration's items, as `noetic batch` shares one:
        its memory, accumulator and run store open once, not once an item."""
        if config.strategy != "deliberate" or not items:
            return nullcontext(None)
        home.mkdir(parents=True, exist_ok=True)
        opened = self._settings(config, items[0], home, self.settings.seed)
        return open_session(opened, model=model, embedder=self.embedder)

    async def _run_items(
        self,
        config: ConfigSpec,
        model: ChatModel,
        items: list[SuiteItem],
        home: Path,
        session: Session | None,
    ) -> list[ItemRecord]:
        records: list[ItemRecord] = []
        answers: list[list[float]] = []
        for number, item in enumerate(items, start=1):
            if (earlier := self.finished.get((config.name, item.id))) is not None:
                if config.base == REFERENCE:
                    self.targets[item.id] = earlier.tokens
                records.append(earlier)
                self.progress(_progress_line(config.name, number, len(items), earlier) + " (kept)")
                continue
            seed = self.settings.seed * 1009 + number
            checks = bind_checks(item.checks, item.task)
            told = self.named_checks and item.told
            given = checks if told else bind_checks([], item.task, infer=True)
            began = time.perf_counter()
            try:
                attempt = await self._attempt(config, model, item, seed, given, home, session)
            except (StructuredOutputError, ContextOverflowError) as exc:
                # The model failed this item: it scores as wrong, and the run goes on.
                attempt = Attempt(answer="", candidates=[], tokens=0, error=str(exc))
            seconds = round(time.perf_counter() - began, 3)
            if config.base == REFERENCE:
                self.targets[item.id] = attempt.tokens
            record = await self._score(config, model, item, checks, attempt, seconds, answers)
            records.append(record)
            if self.journal is not None:
                with self.journal.open("a", encoding="utf-8") as journal:
                    journal.write(record.model_dump_json() + "\n")
            self.progress(_progress_line(config.name, number, len(items), record))
        return records

    async def _attempt(
        self,
        config: ConfigSpec,
        model: ChatModel,
        item: SuiteItem,
        seed: int,
        checks: list[Check],
        home: Path,
        session: Session | None,
    ) -> Attempt:
        target = self.targets.get(item.id) if self.match_tokens else None
        if config.strategy == "single":
            return await single(model, item, seed)
        if config.strategy == "vote":
            return await vote(model, item, seed, self.samples, self.judge, target)
        if config.strategy == "best_of_n":
            judge = self._signal_judge(model, checks)
            return await best_of_n(model, item, seed, self.samples, judge, self.weights, target)
        settings = self._settings(config, item, home, seed)
        warm_up = config.name.endswith(f"/{WARM_UP}")
        run_id = f"{item.id}.{WARM_UP}" if warm_up else None
        return await deliberate(model, item, settings, self.embedder, session, run_id)

    def _signal_judge(self, model: ChatModel, checks: list[Check]) -> SignalJudge:
        return SignalJudge(model, self.embedder, ratings=self.weights.rates, checks=checks)

    async def _score(
        self,
        config: ConfigSpec,
        model: ChatModel,
        item: SuiteItem,
        checks: list[Check],
        attempt: Attempt,
        seconds: float,
        earlier: list[list[float]],
    ) -> ItemRecord:
        record = ItemRecord(
            config=config.name,
            model=model.name,
            item_id=item.id,
            kind=item.kind,
            task=item.task,
            answer=attempt.answer,
            candidates=attempt.candidates,
            tokens=attempt.tokens,
            seconds=seconds,
            error=attempt.error,
            distinct_2=distinct_n(attempt.candidates, 2),
            modes=attempt.modes,
        )
        update: dict[str, object] = {}
        if checks:
            results = run_checks(checks, item.task, attempt.answer)
            update["checks_passed"] = bool(attempt.answer) and all(r.passed for r in results)
            update["quality"] = await self._quality(model, item, attempt.answer)
        if item.answer is not None:
            extracted = extract_integer(attempt.answer)
            update |= {
                "expected": item.answer,
                "extracted": extracted,
                "correct": extracted == item.answer,
            }
        elif checks:
            update["correct"] = update["checks_passed"]
        else:
            if item.reference is not None:
                update |= {
                    "coverage": part_coverage(item.parts, attempt.answer),
                    "reference_f1": round(reference_f1(item.reference, attempt.answer), 4),
                    "hollow": hollow(item.task, attempt.answer),
                    "words": word_count(attempt.answer),
                }
            if self.judge is not None:
                update["judge"] = await _judge_score(self.judge, item, attempt.answer)
            if self.embedder is not None and attempt.candidates:
                vectors = await self.embedder.embed([attempt.answer, *attempt.candidates])
                update["dispersion"] = dispersion(vectors[1:])
                update["novelty"] = novelty(vectors[0], earlier)
                earlier.append(vectors[0])
        return record.model_copy(update=update)

    async def _quality(self, model: ChatModel, item: SuiteItem, answer: str) -> float:
        """The answer's quality by the judgment signals (not the checks): a second measure,
        from the overlay's own judge, that does not know what the verifier wants."""
        if not answer.strip():
            return 0.0
        (judgment,), _ = await self._signal_judge(model, []).judge(item.task, [answer])
        quality_only = {k: v for k, v in judgment.scores.items() if k != "resonance"}
        return round(self.weights.combine(quality_only), 4)


def _critic_only_policies(policies: dict[Mode, Policy], home: Path) -> dict[Mode, Path]:
    """The policies with the LLM critic's ratings as their only weighed signal, as files."""
    files = {}
    for mode, policy in policies.items():
        path = home / f"critic-only-{mode}.toml"
        path.write_text(policy_toml(policy.model_copy(update={"weights": CRITIC_ONLY})))
        files[mode] = path
    return files


async def _judge_score(judge: Grader, item: SuiteItem, answer: str) -> float:
    """The judge's score; an empty answer scores 0 without asking."""
    if not answer.strip():
        return 0.0
    verdict, _ = await judge.score(item.task, answer)
    return float(verdict.score)


def _progress_line(config: str, number: int, total: int, record: ItemRecord) -> str:
    if record.error is not None:
        verdict = f"failed ({record.error})"
    elif record.expected is not None:
        verdict = "right" if record.correct else f"wrong ({record.extracted} ≠ {record.expected})"
    elif record.checks_passed is not None:
        verdict = "checks pass" if record.checks_passed else "checks fail"
    else:
        verdict = f"judge {record.judge:g}" if record.judge is not None else "answered"
    return (
        f"[{config}] {number}/{total} {record.item_id}: {verdict} · "
        f"{record.tokens} tokens · {record.seconds:.1f}s"
    )
