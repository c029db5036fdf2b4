"""`noetic bench` reads llama.cpp's own `llama-batched-bench` beside its batching figures: the
arithmetic of that reading and its table (the real binary: test_batched_bench_real.py)."""

from __future__ import annotations

import pytest

from noetic.perf import LlamaBenchResult, format_table
from noetic.perf.engine import EngineFigures, engine_figures


def row(width: int, prompt_s: float, decode_s: float) -> dict[str, float]:
    return {"pl": width, "t_pp": prompt_s, "t_tg": decode_s, "t": prompt_s + decode_s}


def test_the_ratios_are_the_engines_own_and_the_sequential_best_case() -> None:
    figures = engine_figures([row(1, 2.0, 1.5), row(8, 2.0, 6.0)], width=8)
    assert figures.batched8_over_single == pytest.approx(8.0 / 3.5)
    # sequential at best: the prompt once (2 s), then 8 single sequences of 1.5 s
    assert figures.sequential8_over_batched8 == pytest.approx((2.0 + 8 * 1.5) / 8.0)


def test_repeated_runs_give_medians() -> None:
    rows = [row(1, 2.0, 1.0), row(1, 2.0, 2.0), row(1, 2.0, 9.0), row(8, 2.0, 6.0)]
    assert engine_figures(rows, width=8).single_decode_s == 2.0


def test_a_missing_width_is_said_not_guessed() -> None:
    with pytest.raises(ValueError, match=r"no row for width \[8\]"):
        engine_figures([row(1, 2.0, 1.5)], width=8)


def result(engine: EngineFigures | None) -> LlamaBenchResult:
    figures = dict.fromkeys(LlamaBenchResult.model_fields, 1.0)
    figures |= {"model": "m.gguf", "gpu_offload": False, "engine": engine}
    figures |= {"batched8_over_single": 2.3, "sequential8_over_batched8": 1.6}
    return LlamaBenchResult.model_validate(figures)


def test_the_table_says_whether_the_engine_itself_meets_each_target() -> None:
    fast = engine_figures([row(1, 2.0, 2.0), row(8, 2.0, 5.0)], width=8)  # 1.75, 2.57
    table = format_table(result(fast)).splitlines()
    assert table[-2].split()[1:] == ["2.300", "1.750", "<=", "1.9", "yes"]
    assert table[-1].split()[1:] == ["1.600", "2.571", ">=", "2.5", "yes"]
    slow = engine_figures([row(1, 2.0, 1.5), row(8, 2.0, 6.0)], width=8)  # 2.29, 1.75
    assert [line.split()[-1] for line in format_table(result(slow)).splitlines()[-2:]] == [
        "NO",
        "NO",
    ]


def test_without_the_tool_the_table_has_no_engine_part() -> None:
    assert "llama-batched-bench" not in format_table(result(None))
