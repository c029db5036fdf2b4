"""`noetic bench` runs llama.cpp's own `llama-batched-bench` (built by `make test` and
`make bench` beside `llama-server`) on the bench's shape: the real binary takes the command we
build and answers for that shape."""

from __future__ import annotations

import pytest

from noetic.models.default_model import default_model_path
from noetic.perf.engine import (
    EngineShape,
    batched_bench_command,
    engine_figures,
    engine_rows,
    find_batched_bench,
)

BINARY = find_batched_bench()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="llama-batched-bench not built: run `make test`"
)
SHAPE = EngineShape(
    model=default_model_path(),
    n_ctx=1024,
    n_batch=512,
    prompt_tokens=32,
    tokens=4,
    width=8,
    threads=2,
    n_gpu_layers=0,
)


def test_the_engine_runs_the_shape_it_is_given() -> None:
    assert BINARY is not None
    rows = engine_rows(batched_bench_command(BINARY, SHAPE), repeats=1)
    assert sorted(r["pl"] for r in rows) == [1, 8]
    assert {(r["pp"], r["tg"], r["n_threads"], r["is_pp_shared"]) for r in rows} == {(32, 4, 2, 1)}
    figures = engine_figures(rows, width=8)
    assert figures.single_s == pytest.approx(figures.prompt_s + figures.single_decode_s, rel=1e-3)


def test_a_failing_engine_says_why_in_one_line(tmp_path) -> None:
    assert BINARY is not None
    bad = SHAPE.model_copy(update={"model": tmp_path / "missing.gguf"})
    with pytest.raises(RuntimeError, match=r"exited with \d+: .+"):
        engine_rows(batched_bench_command(BINARY, bad), repeats=1)
