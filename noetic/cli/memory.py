"""Commands over the shared structures: `noetic memory search|stats|forget|migrate`,
`noetic concepts`, `noetic strategies`, and `noetic policies`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from noetic.cli.app import ConfigOption, JsonOption, app, cli_settings, print_json
from noetic.errors import ConfigError, NoeticError
from noetic.printable import printable

if TYPE_CHECKING:
    from noetic.memory import MemoryKind, VectorMemory


class MemoryKindChoice(StrEnum):
    """`--kind`: the kinds of memory (`noetic.memory.MemoryKind`), spelled out for typer."""

    thought = "thought"
    critique = "critique"
    reflection = "reflection"
    lesson = "lesson"


memory_app = typer.Typer(help="Search and manage the shared vector memory.", no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@contextmanager
def opened_memory(config: Path | None) -> Iterator[VectorMemory]:
    from noetic.stores.shared import open_memory

    settings = cli_settings(config, log_level="warning")
    if not settings.memory.enabled:
        raise ConfigError(
            "memory is disabled (memory.enabled = false)",
            "enable it in noetic.toml or with NOETIC_MEMORY__ENABLED=true",
        )
    with open_memory(settings) as memory:
        yield memory


@memory_app.command("search")
def memory_search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", help="How many memories.")] = 5,
    run: Annotated[str | None, typer.Option("--run", help="Only this run's memories.")] = None,
    kind: Annotated[
        MemoryKindChoice | None,
        typer.Option("--kind", help="Only memories of this kind (a lesson: what a run learned)."),
    ] = None,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Hybrid (dense + keyword) search over stored thoughts, critiques, reflections and lessons;
    a lesson shows the kind of task it was learned on."""
    if not query.strip():
        raise NoeticError(
            "the search query is empty", 'say what to look for: noetic memory search "..."'
        )
    if k < 1:
        raise NoeticError(f"--k {k} asks for no memories", "pass --k 1 or more (default 5)")
    with opened_memory(config) as memory:
        wanted = cast("MemoryKind", kind.value) if kind else None
        hits = asyncio.run(memory.search(query, k, run_id=run, kind=wanted))
    if json_out:
        print_json([{"score": h.score, **h.record.model_dump(mode="json")} for h in hits])
        return
    for hit in hits:
        r = hit.record
        learned = f"[{r.task_kind}] " if r.kind == "lesson" and r.task_kind else ""
        line = f"{hit.score:.3f}  {r.run_id} r{r.round} {r.kind:<10} {learned}{r.text[:100]}"
        typer.echo(printable(line))


@memory_app.command("stats")
def memory_stats(json_out: JsonOption = False, config: ConfigOption = None) -> None:
    """How many memories are stored (`points`), where, and with which embedding model."""
    with opened_memory(config) as memory:
        stats = memory.stats()
    if json_out:
        print_json(stats.model_dump(mode="json"))
        return
    for key, value in stats.model_dump().items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {n}" for k, n in value.items())
        typer.echo(printable(f"{key:<16} {value}"))


@memory_app.command("forget")
def memory_forget(
    run: Annotated[str, typer.Option("--run", help="The run whose memories to delete.")],
    config: ConfigOption = None,
) -> None:
    """Delete one run's memories."""
    with opened_memory(config) as memory:
        removed = memory.forget_run(run)
    typer.echo(f"forgot {removed} memories of run {run}")


@memory_app.command("migrate")
def memory_migrate(config: ConfigOption = None) -> None:
    """Move an embedded store of the old format (NOETIC_HOME/qdrant) into Qdrant Edge, once."""
    from noetic.memory.migrate import migrate

    settings = cli_settings(config, log_level="warning")
    done = migrate(settings.home)
    if done is None:
        typer.echo(f"nothing to migrate: {settings.home} holds no store in the old format")
        return
    for collection, points in done.points.items():
        typer.echo(printable(f"migrated {points} memories of collection '{collection}'"))
    typer.echo(printable(f"into {done.store}; the old store is kept, readable, at {done.kept_at}"))


@app.command()
def concepts(
    top: Annotated[int, typer.Option("--top", help="How many concepts.")] = 15,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """The accumulator's strongest concepts, across all runs."""
    from noetic.stores.shared import load_accumulator

    accumulator = load_accumulator(cli_settings(config, writes=False, log_level="warning"))
    weights = accumulator.top(top)
    if json_out:
        print_json([w.model_dump() for w in weights])
        return
    for w in weights:
        typer.echo(printable(f"{w.weight:.4f}  {'█' * max(1, round(w.weight * 40))}  {w.concept}"))


@app.command()
def strategies(json_out: JsonOption = False, config: ConfigOption = None) -> None:
    """What the accumulator learned about drawing candidates: per kind of task, each strategy's
    win rate (the share of rounds its candidate was selected, decayed), best first."""
    from noetic.stores.shared import load_accumulator

    accumulator = load_accumulator(cli_settings(config, writes=False, log_level="warning"))
    kinds = accumulator.strategies()
    if json_out:
        print_json(
            {
                kind: [t.model_dump() | {"rate": round(t.rate, 4)} for t in tallies]
                for kind, tallies in kinds.items()
            }
        )
        return
    if not kinds:
        typer.echo("no strategy tallied yet: runs tally theirs as they select")
    for kind, tallies in kinds.items():
        typer.echo(printable(kind))
        for t in tallies:
            bar = "█" * max(1, round(t.rate * 40))
            typer.echo(
                printable(
                    f"  {t.rate:.2f}  {bar:<40}  {t.strategy} (won {t.wins:.1f} of {t.trials:.1f})"
                )
            )


@app.command()
def policies(json_out: JsonOption = False, config: ConfigOption = None) -> None:
    """The policy of each mode (presets, or the files named in settings)."""
    settings = cli_settings(config, writes=False, log_level="warning")
    from noetic.policies import load_policies

    loaded = load_policies(settings.policies)
    if json_out:
        print_json({mode: policy.model_dump(mode="json") for mode, policy in loaded.items()})
        return
    for mode, policy in loaded.items():
        s = policy.sampling
        typer.echo(
            f"{mode:<13} temperature={s.temperature} top_p={s.top_p} "
            f"extra_candidates={policy.extra_candidates} accept={policy.accept_threshold} "
            f"min_rounds_in_mode={policy.min_rounds_in_mode}"
        )
        typer.echo(f"{'':<13} weights {policy.weights.model_dump()}")
        drawn = ", ".join(
            f"{name}({own.prompt}, t={own.temperature or s.temperature})"
            for name, own in policy.strategies.items()
        )
        typer.echo(f"{'':<13} strategies {drawn}")
        for role, own in policy.roles.items():
            departures = " ".join(f"{k}={v}" for k, v in own.model_dump(exclude_none=True).items())
            typer.echo(f"{'':<13} {role}: {departures}")
        typer.echo(f"{'':<13} {policy.description}")
