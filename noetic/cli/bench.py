"""`noetic bench`: the llama.cpp backend's benchmark table (see `noetic.perf`)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from noetic.cli.app import (
    ConfigOption,
    GpuLayersOption,
    JsonOption,
    ModelOption,
    app,
    cli_settings,
    int_option,
    print_json,
)


@app.command()
def bench(
    model: ModelOption = None,
    gpu_layers: GpuLayersOption = None,
    repeats: Annotated[int, int_option("Timed runs per configuration; the median is kept", 1)] = 2,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Measure batched candidates, prefix reuse, grammar speed and orchestration overhead.

    The batching figures are printed beside llama.cpp's own (its `llama-batched-bench`, where
    installed), so a target the engine itself misses reads as the hardware's limit. Takes a
    few minutes on a 2-core CPU; progress goes to stderr, logs below warnings are off.
    """
    from noetic.perf import format_table, run_llama_bench

    settings = cli_settings(
        config, log_level="warning", model={"path": model, "n_gpu_layers": gpu_layers}
    )
    result = asyncio.run(
        run_llama_bench(settings, repeats=repeats, progress=lambda s: typer.echo(s, err=True))
    )
    if json_out:
        print_json(result.model_dump())
    else:
        typer.echo(format_table(result))
