"""The benchmark's table: each headline ratio beside its target, then the raw figures."""

from __future__ import annotations

from noetic.perf.llama_bench import TEMPERATURE, LlamaBenchResult

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
        f"{r.model_calls_s:.1f} s inside model and embedder calls",
        "(both deliberations after an untimed 1-round warm-up in the same home: steady state, "
        "first-use costs and store creation left out)",
    ]
    return "\n".join(lines)
