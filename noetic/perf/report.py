"""The benchmark's table: each headline ratio beside its target, then the raw figures, then
llama.cpp's own batching figures beside ours where its tool ran."""

from __future__ import annotations

from noetic.perf.engine import BATCHED_BENCH, EngineFigures
from noetic.perf.llama_bench import CANDIDATES, TEMPERATURE, LlamaBenchResult

CPU_TARGETS = {
    "batched8_over_single": ("<=", 1.9),
    "sequential8_over_batched8": (">=", 2.5),
    "prefix_reuse_fraction": (">=", 0.5),
    "overhead_fraction": ("<=", 0.01),
    "grammar_over_free_tokens_per_s": (">=", 0.7),
}
GPU_TARGETS = {**CPU_TARGETS, "batched8_over_single": ("<=", 1.5)}


def meets(value: float, target: tuple[str, float]) -> bool:
    op, bound = target
    return value <= bound if op == "<=" else value >= bound


def format_table(result: LlamaBenchResult) -> str:
    targets = GPU_TARGETS if result.gpu_offload else CPU_TARGETS
    r = result
    lines = [
        f"llama.cpp backend: {r.model}, {r.threads} threads (load average {r.load_average:.1f} "
        f"before the run), n_gpu_layers={r.n_gpu_layers}; "
        f"shared prefix {r.prefix_tokens} tokens (prompt {r.prompt_tokens}), "
        f"{r.candidate_tokens}-token candidates, median of {r.repeats}",
        f"{'figure':<32} {'value':>8}  {'target':<8} met",
    ]
    for name, target in targets.items():
        value = getattr(r, name)
        verdict = "yes" if meets(value, target) else "NO"
        lines.append(f"{name:<32} {value:>8.3f}  {target[0]} {target[1]:<5} {verdict}")
    lines += [
        "",
        f"1 candidate {r.single_s:.2f} s ({r.single_completion_tokens} tokens); "
        f"8 in one batch {r.batched8_s:.2f} s ({r.batched8_completion_tokens}); "
        f"8 sequential, high-level API {r.sequential8_s:.2f} s "
        f"({r.sequential8_completion_tokens})",
        f"distinct texts of 8 at temperature {TEMPERATURE}: batched {r.distinct_batched8}, "
        f"sequential {r.distinct_sequential8}",
        f"decoding 8 candidates: free {r.free_tokens_per_s:.1f} tokens/s, "
        f"JSON grammar {r.grammar_tokens_per_s:.1f} tokens/s",
        f"3-round deliberation ({r.reuse_rounds} rounds run): {r.prompt_tokens_reused} prompt "
        f"tokens reused, {r.prompt_tokens_evaluated} evaluated",
        f"2-round deliberation (median of {r.repeats}): {r.deliberation_s:.1f} s wall, "
        f"{r.model_calls_s:.1f} s inside model and embedder calls, {r.outside_model_s:.2f} s "
        "outside them",
        "(both deliberations after an untimed 1-round warm-up in the same home: steady state, "
        "first-use costs and store creation left out)",
    ]
    if r.engine is not None:
        lines += ["", *_engine_lines(r, r.engine, targets)]
    return "\n".join(lines)


def _engine_lines(
    r: LlamaBenchResult, engine: EngineFigures, targets: dict[str, tuple[str, float]]
) -> list[str]:
    """Each batching figure beside llama.cpp's own and its target: a target the engine itself
    misses on this machine is the hardware's limit, not the overlay's."""
    lines = [
        f"llama.cpp's own {BATCHED_BENCH}, same shape (sequential at its best: the prompt once, "
        f"then {CANDIDATES} sequences one at a time): 1 sequence {engine.single_s:.2f} s "
        f"(prompt {engine.prompt_s:.2f} s, decoding {engine.single_decode_s:.2f} s), "
        f"{CANDIDATES} in one batch {engine.batched8_s:.2f} s",
        f"{'figure':<32} {'Noetic':>8} {'llama.cpp':>10}  {'target':<8} llama.cpp meets it",
    ]
    for name in ("batched8_over_single", "sequential8_over_batched8"):
        ours, theirs, target = getattr(r, name), getattr(engine, name), targets[name]
        verdict = "yes" if meets(theirs, target) else "NO"
        lines.append(
            f"{name:<32} {ours:>8.3f} {theirs:>10.3f}  {target[0]} {target[1]:<5} {verdict}"
        )
    return lines
