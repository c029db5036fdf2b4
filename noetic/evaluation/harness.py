"""Running a suite through every configuration and scoring what comes back.

Configurations run one after another, each over all items, so their seconds are measured
alike and never overlap. Models load once each (a pool keyed by model settings) and are shared
by the strategies on them; deliberations run with their own throw-away home, so their
checkpoints never mix with a user's runs, and with memory off unless asked (a fair comparison:
the plain model remembers nothing either). The judge and the embedder are one each for the
whole evaluation, so every configuration is graded by the same yardstick.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from noetic.errors import ContextOverflowError, StructuredOutputError
from noetic.evaluation.answers import extract_integer
from noetic.evaluation.configs import ConfigSpec
from noetic.evaluation.judge import Judge
from noetic.evaluation.measures import dispersion, distinct_n, novelty
from noetic.evaluation.records import EvalReport, ItemRecord
from noetic.evaluation.strategies import Attempt, deliberate, single, vote
from noetic.evaluation.suites import SuiteItem
from noetic.evaluation.summary import summarize
from noetic.models.base import ChatModel, Embedder
from noetic.settings import ModelSettings, NoeticSettings

Progress = Callable[[str], None]
Loader = Callable[[ModelSettings], ChatModel]


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
        """Release what was loaded (a server model's connections); in-process models free
        themselves when dropped."""
        for model in self._models.values():
            close = getattr(model, "aclose", None)
            if close is not None:
                await close()
        self._models.clear()


class Evaluation:
    """One suite × configurations run, with what it shares: settings, judge and embedder."""

    def __init__(
        self,
        settings: NoeticSettings,
        pool: ModelPool,
        *,
        samples: int = 5,
        memory: bool = False,
        judge: Judge | None = None,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.samples = samples
        self.memory = memory
        self.judge = judge
        self.embedder = embedder
        self.progress = progress or (lambda line: None)

    async def run(
        self, suite: str, items: list[SuiteItem], configs: list[ConfigSpec]
    ) -> EvalReport:
        started = time.perf_counter()
        rows, records = [], []
        with tempfile.TemporaryDirectory(prefix="noetic-eval-") as scratch:
            for index, config in enumerate(configs):
                home = Path(scratch) / f"{index:02d}-{config.strategy}"
                done = await self._run_config(config, items, home)
                rows.append(summarize(config, done))
                records.extend(done)
        return EvalReport(
            suite=suite,
            items=len(items),
            rows=rows,
            records=records,
            seconds=round(time.perf_counter() - started, 3),
        )

    async def _run_config(
        self, config: ConfigSpec, items: list[SuiteItem], home: Path
    ) -> list[ItemRecord]:
        model = await self.pool.get(config.model)
        settings = self.settings.model_copy(
            update={
                "home": home,
                "model": config.model,
                "memory": self.settings.memory.model_copy(update={"enabled": self.memory}),
            }
        )
        records: list[ItemRecord] = []
        answers: list[list[float]] = []
        for number, item in enumerate(items, start=1):
            seed = self.settings.seed * 1009 + number
            began = time.perf_counter()
            try:
                attempt = await self._attempt(config, model, item, seed, settings)
            except (StructuredOutputError, ContextOverflowError) as exc:
                # The model failed this item: it scores as wrong, and the run goes on.
                attempt = Attempt(answer="", candidates=[], tokens=0, error=str(exc))
            seconds = round(time.perf_counter() - began, 3)
            record = await self._score(config, model.name, item, attempt, seconds, answers)
            records.append(record)
            self.progress(_progress_line(config.name, number, len(items), record))
        return records

    async def _attempt(
        self,
        config: ConfigSpec,
        model: ChatModel,
        item: SuiteItem,
        seed: int,
        settings: NoeticSettings,
    ) -> Attempt:
        if config.strategy == "single":
            return await single(model, item, seed)
        if config.strategy == "vote":
            return await vote(model, item, seed, self.samples, self.judge)
        return await deliberate(model, item, settings, self.embedder)

    async def _score(
        self,
        config: ConfigSpec,
        model: str,
        item: SuiteItem,
        attempt: Attempt,
        seconds: float,
        earlier: list[list[float]],
    ) -> ItemRecord:
        record = ItemRecord(
            config=config.name,
            model=model,
            item_id=item.id,
            kind=item.kind,
            answer=attempt.answer,
            candidates=attempt.candidates,
            tokens=attempt.tokens,
            seconds=seconds,
            error=attempt.error,
            distinct_2=distinct_n(attempt.candidates, 2),
        )
        if item.answer is not None:
            extracted = extract_integer(attempt.answer)
            return record.model_copy(
                update={
                    "expected": item.answer,
                    "extracted": extracted,
                    "correct": extracted == item.answer,
                }
            )
        update: dict[str, float | None] = {}
        if self.judge is not None:
            update["judge"] = await _judge_score(self.judge, item, attempt.answer)
        if self.embedder is not None and attempt.candidates:
            vectors = await self.embedder.embed([attempt.answer, *attempt.candidates])
            update["dispersion"] = dispersion(vectors[1:])
            update["novelty"] = novelty(vectors[0], earlier)
            earlier.append(vectors[0])
        return record.model_copy(update=update)


async def _judge_score(judge: Judge, item: SuiteItem, answer: str) -> float:
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
    else:
        verdict = f"judge {record.judge:g}" if record.judge is not None else "answered"
    return (
        f"[{config}] {number}/{total} {record.item_id}: {verdict} · "
        f"{record.tokens} tokens · {record.seconds:.1f}s"
    )
