"""The llama.cpp backend's figures, measured side by side in one run on one loaded model.

- batching: a generator prompt with a ~600-token shared prefix, 96-token candidates. One
  candidate, eight in one batch, and eight one after another through llama-cpp-python's
  high-level API (its own prefix cache allowed, so it evaluates the prompt once too). Every
  configuration starts from a cold cache and runs `repeats` times, interleaved, median kept.
- grammar: decoding speed of eight candidates with and without the generator's JSON-schema
  grammar, prompt cached (tokens per second, median of `repeats`).
- prefix reuse: the share of prompt tokens not evaluated over a 3-round deliberation (3
  candidates, safe mode) through the real graph, from a cold cache: found in the KV cache, or
  (the judge's read of a plain candidate) read from the log-probabilities kept while sampling it.
- overhead: (wall time - time inside model and embedder calls) / wall time of a 2-round
  deliberation: orchestration, memory, accumulator and checkpointing together (median of
  `repeats` runs).
- engine: llama.cpp's own `llama-batched-bench` on the batching figures' shape, where it is
  installed (see `engine`): what the hardware allows for those two ratios.

The deliberations run every round they are given: their safe policy accepts no score
(`accept_threshold` 1), so neither the meta-thinker's stop nor a plateau ends one early and the
figures always cover the same stages. Which rounds a run went to otherwise depends on what
the model wrote, and a 3-round figure measured over 2 rounds compares with nothing.

Both deliberations run in the steady state: an untimed 1-round warm-up first creates the home's
stores and pays the process's first-use costs (checks and plugins read, wordfreq's list, YAKE),
as every run after a user's first finds them; the timed runs reuse that home (so they recall the
earlier runs' memories, as a user's next run on the same task would). The model is wrapped in
`timed`, which keeps batching and scoring: the path a real run takes.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import llama_cpp.llama_cpp as native
from llama_cpp import Llama
from pydantic import BaseModel

from noetic.agents.schemas import Thought
from noetic.errors import StructuredOutputError
from noetic.models.base import Completion, Embedder, Sampling
from noetic.models.factory import load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.models.llama_prefix import PrefixStats
from noetic.models.structured import json_schema_for
from noetic.perf.engine import EngineFigures, EngineShape, measure_engine
from noetic.perf.prompt import TASK, candidate_messages, shared_prefix
from noetic.perf.timing import BusyClock, TimedEmbedder, timed
from noetic.policies.policy import load_preset, policy_toml
from noetic.runs.api import adeliberate
from noetic.settings import NoeticSettings

CANDIDATES = 8
CANDIDATE_TOKENS = 96
TEMPERATURE = 0.8
SEED_ATTEMPTS = 3

Progress = Callable[[str], None]


class LlamaBenchResult(BaseModel):
    """Every figure of one run; the ratios are the headline, the rest says where they come from."""

    model: str
    threads: int
    load_average: float
    n_gpu_layers: int
    gpu_offload: bool
    repeats: int
    prefix_tokens: int
    prompt_tokens: int
    candidate_tokens: int
    single_s: float
    batched8_s: float
    sequential8_s: float
    single_completion_tokens: int
    batched8_completion_tokens: int
    sequential8_completion_tokens: int
    batched8_over_single: float
    sequential8_over_batched8: float
    distinct_batched8: int
    distinct_sequential8: int
    free_tokens_per_s: float
    grammar_tokens_per_s: float
    grammar_over_free_tokens_per_s: float
    prompt_tokens_evaluated: int
    prompt_tokens_reused: int
    prefix_reuse_fraction: float
    reuse_rounds: int
    deliberation_s: float
    model_calls_s: float
    outside_model_s: float
    """Seconds of a 2-round run outside model and embedder calls: the overhead, which the same
    orchestration costs on any machine, while its share shrinks as the model slows."""
    overhead_fraction: float
    engine: EngineFigures | None = None
    """llama.cpp's own figures for the batching shape; None where its tool is not installed."""


def _sampling(seed: int) -> Sampling:
    return Sampling(temperature=TEMPERATURE, max_tokens=CANDIDATE_TOKENS, seed=seed)


async def _cold_batch(model: LlamaCppModel, n: int, seed: int) -> tuple[float, Completion]:
    model.clear_cache()
    started = time.perf_counter()
    completion = await model.complete(candidate_messages(), _sampling(seed), n=n)
    return time.perf_counter() - started, completion


def _sequential(llama: Llama, seed: int) -> tuple[float, list[str], int]:
    """Eight candidates through the high-level API, from a cold cache; (seconds, texts, tokens)."""
    llama.reset()
    chat: Any = [m.model_dump() for m in candidate_messages()]
    sampling = _sampling(seed)
    texts, tokens = [], 0
    started = time.perf_counter()
    for i in range(CANDIDATES):
        reply: Any = llama.create_chat_completion(
            messages=chat,
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            repeat_penalty=sampling.repeat_penalty,
            max_tokens=sampling.max_tokens,
            seed=seed + i,
        )
        texts.append(reply["choices"][0]["message"]["content"] or "")
        tokens += reply["usage"]["completion_tokens"]
    return time.perf_counter() - started, texts, tokens


async def _batching(
    model: LlamaCppModel, llama: Llama, repeats: int, progress: Progress
) -> dict[str, Any]:
    runs: dict[str, list[float]] = {"single": [], "batched8": [], "sequential8": []}
    tokens: dict[str, int] = {}
    distinct: dict[str, int] = {}
    for repeat in range(repeats):
        seed = 1000 * repeat + 1
        progress(f"batching, repeat {repeat + 1} of {repeats}")
        seconds, single = await _cold_batch(model, 1, seed)
        runs["single"].append(seconds)
        seconds, batch = await _cold_batch(model, CANDIDATES, seed)
        runs["batched8"].append(seconds)
        seconds, texts, sequential_tokens = await asyncio.to_thread(_sequential, llama, seed)
        runs["sequential8"].append(seconds)
        if repeat == 0:
            tokens = {
                "single": single.usage.completion_tokens,
                "batched8": batch.usage.completion_tokens,
                "sequential8": sequential_tokens,
            }
            distinct = {"batched8": len(set(batch.texts)), "sequential8": len(set(texts))}
    medians = {name: statistics.median(times) for name, times in runs.items()}
    return {
        "single_s": medians["single"],
        "batched8_s": medians["batched8"],
        "sequential8_s": medians["sequential8"],
        "single_completion_tokens": tokens["single"],
        "batched8_completion_tokens": tokens["batched8"],
        "sequential8_completion_tokens": tokens["sequential8"],
        "batched8_over_single": medians["batched8"] / medians["single"],
        "sequential8_over_batched8": medians["sequential8"] / medians["batched8"],
        "distinct_batched8": distinct["batched8"],
        "distinct_sequential8": distinct["sequential8"],
    }


async def _tokens_per_s(
    model: LlamaCppModel, json_schema: dict[str, Any] | None, seed: int
) -> float:
    started = time.perf_counter()
    completion = await model.complete(
        candidate_messages(), _sampling(seed), n=CANDIDATES, json_schema=json_schema
    )
    return completion.usage.completion_tokens / (time.perf_counter() - started)


async def _grammar(model: LlamaCppModel, repeats: int, progress: Progress) -> dict[str, float]:
    schema = json_schema_for(Thought)
    await model.complete(candidate_messages(), _sampling(0), n=1)  # caches the prompt
    free, grammar = [], []
    for repeat in range(repeats):
        progress(f"grammar, repeat {repeat + 1} of {repeats}")
        free.append(await _tokens_per_s(model, None, repeat))
        grammar.append(await _tokens_per_s(model, schema, repeat))
    free_rate, grammar_rate = statistics.median(free), statistics.median(grammar)
    return {
        "free_tokens_per_s": free_rate,
        "grammar_tokens_per_s": grammar_rate,
        "grammar_over_free_tokens_per_s": grammar_rate / free_rate,
    }


class Deliberation(NamedTuple):
    wall_s: float
    busy_s: float
    prompts: PrefixStats
    rounds: int


async def _deliberate(
    settings: NoeticSettings, model: LlamaCppModel, embedder: Embedder, rounds: int, home: Path
) -> Deliberation:
    """One deliberation in `home`, from a cold prompt cache: its wall seconds, the seconds
    inside model calls, the prompt tokens it evaluated and reused, and the rounds it ran.

    A small model sometimes writes a reply that fails validation twice, which ends the run;
    then the next seed is tried (up to `SEED_ATTEMPTS`), as a user would rerun.
    """
    for attempt in range(SEED_ATTEMPTS - 1):
        try:
            return await _deliberate_once(settings, model, embedder, rounds, attempt, home)
        except StructuredOutputError:
            continue
    return await _deliberate_once(settings, model, embedder, rounds, SEED_ATTEMPTS - 1, home)


async def _deliberate_once(
    settings: NoeticSettings,
    model: LlamaCppModel,
    embedder: Embedder,
    rounds: int,
    attempt: int,
    home: Path,
) -> Deliberation:
    clock = BusyClock()
    model.clear_cache()
    before = model.prefix_stats
    started = time.perf_counter()
    result = await adeliberate(
        TASK,
        settings=settings,
        model=timed(model, clock),
        embedder=TimedEmbedder(embedder, clock),
        home=home,
        rounds=rounds,
        candidates=3,
        mode="safe",
        seed=settings.seed + attempt,
    )
    wall = time.perf_counter() - started
    after = model.prefix_stats
    prompts = PrefixStats(
        evaluated=after.evaluated - before.evaluated, reused=after.reused - before.reused
    )
    return Deliberation(wall, clock.seconds, prompts, len(result.rounds))


def _every_round(settings: NoeticSettings, home: Path) -> NoeticSettings:
    """`settings` with a safe policy that accepts no score, and no round added, so a run goes
    exactly the rounds it is given."""
    strict = load_preset("safe").model_copy(update={"accept_threshold": 1.0})
    path = home / "bench-safe.toml"
    path.write_text(policy_toml(strict), encoding="utf-8")
    budget = settings.budget.model_copy(update={"extra_rounds": 0})
    return settings.model_copy(
        update={"policies": {**settings.policies, "safe": path}, "budget": budget}
    )


async def _deliberations(
    settings: NoeticSettings, model: LlamaCppModel, repeats: int, progress: Progress
) -> dict[str, Any]:
    """The overhead is the median of `repeats` 2-round runs: the time outside model calls
    (0.13 to 0.18 s) moved by up to 50 ms from one run to the next here."""
    embedder = load_embedder(settings)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = _every_round(settings, home)
        # Untimed: first-use costs and the stores' creation belong to a user's first run only.
        progress("1-round warm-up deliberation (untimed)")
        await _deliberate(settings, model, embedder, rounds=1, home=home)
        timed_runs = []
        for repeat in range(repeats):
            progress(f"2-round deliberation (overhead), repeat {repeat + 1} of {repeats}")
            timed_runs.append(await _deliberate(settings, model, embedder, rounds=2, home=home))
        progress("3-round deliberation (prefix reuse)")
        reuse = await _deliberate(settings, model, embedder, rounds=3, home=home)
    return {
        "prompt_tokens_evaluated": reuse.prompts.evaluated,
        "prompt_tokens_reused": reuse.prompts.reused,
        "prefix_reuse_fraction": reuse.prompts.reuse_fraction,
        "reuse_rounds": reuse.rounds,
        "deliberation_s": statistics.median(run.wall_s for run in timed_runs),
        "model_calls_s": statistics.median(run.busy_s for run in timed_runs),
        "outside_model_s": statistics.median(run.wall_s - run.busy_s for run in timed_runs),
        "overhead_fraction": statistics.median(
            (run.wall_s - run.busy_s) / run.wall_s for run in timed_runs
        ),
    }


async def run_llama_bench(
    settings: NoeticSettings, *, repeats: int = 2, progress: Progress = lambda _: None
) -> LlamaBenchResult:
    """Load the configured model (and the high-level API beside it) and measure everything.

    The machine's 1-minute load average before the run is kept with the figures: on a shared
    machine, other processes' load skews the timings.
    """
    load_average = os.getloadavg()[0]
    model = LlamaCppModel(settings.model, seed=settings.seed)
    threads = model.threads
    llama = Llama(
        model_path=str(model.path),
        n_ctx=model.n_ctx,
        n_batch=settings.model.n_batch,
        n_gpu_layers=settings.model.n_gpu_layers,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    try:
        batching = await _batching(model, llama, repeats, progress)
    finally:
        llama.close()
    figures = {
        **batching,
        **await _grammar(model, repeats, progress),
        **await _deliberations(settings, model, repeats, progress),
    }
    prompt = model.count_prompt(candidate_messages())
    shape = EngineShape(
        model=model.path,
        n_ctx=model.n_ctx,
        n_batch=settings.model.n_batch,
        prompt_tokens=prompt,
        tokens=CANDIDATE_TOKENS,
        width=CANDIDATES,
        threads=threads,
        n_gpu_layers=settings.model.n_gpu_layers,
    )
    progress("llama.cpp's own llama-batched-bench, same shape")
    try:
        engine = await asyncio.to_thread(measure_engine, shape, repeats)
    except (LookupError, RuntimeError, ValueError) as exc:
        progress(f"engine figures left out: {exc}")
        engine = None
    return LlamaBenchResult(
        model=model.name,
        threads=threads,
        load_average=load_average,
        n_gpu_layers=settings.model.n_gpu_layers,
        gpu_offload=settings.model.n_gpu_layers != 0 and native.llama_supports_gpu_offload(),
        repeats=repeats,
        prefix_tokens=model.count_tokens(shared_prefix()),
        prompt_tokens=prompt,
        candidate_tokens=CANDIDATE_TOKENS,
        engine=engine,
        **figures,
    )
