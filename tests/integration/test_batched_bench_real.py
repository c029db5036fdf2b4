"""`make bench` runs llama.cpp's own `llama-batched-bench` (built by `make test` and `make bench`
beside `llama-server`) on the bench's shape: the real binary takes the command we build and
answers for that shape."""

from __future__ import annotations

import pytest
from bench_modules import load_bench

from noetic.settings import load_settings

bench_llama = load_bench("bench_llama")
BINARY = bench_llama.find_batched_bench()


pytestmark = pytest.mark.skipif(
    BINARY is None, reason="llama-batched-bench not built: run `make test`"
)


def command(prompt_tokens: int = 32) -> list[str]:
    assert BINARY is not None
    return bench_llama.batched_bench_command(
        BINARY, load_settings(), prompt_tokens=prompt_tokens, tokens=4, threads=2
    )


def test_the_engine_runs_the_shape_it_is_given() -> None:
    rows = bench_llama.engine_rows(command(), repeats=1)
    assert sorted(r["pl"] for r in rows) == [1, bench_llama.CANDIDATES]
    assert {(r["pp"], r["tg"], r["n_threads"], r["is_pp_shared"]) for r in rows} == {(32, 4, 2, 1)}
    figures = bench_llama.engine_figures(rows)
    assert figures.single_s == pytest.approx(figures.prompt_s + figures.single_decode_s, rel=1e-3)


def test_a_failing_engine_says_why_in_one_line() -> None:
    bad = command()
    bad[bad.index("-m") + 1] = "/nonexistent/model.gguf"
    with pytest.raises(RuntimeError, match=r"exited with \d+: .+"):
        bench_llama.engine_rows(bad, repeats=1)
