"""`noetic eval`: a shipped suite through configurations side by side (see `noetic.evaluation`).

Progress goes to stderr, one line per answered item; the table to stdout (or, with `--json`,
the rows as one JSON list); every file (Markdown, CSV, JSON, item records, plot) to `--out`.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from noetic.cli.app import (
    ConfigOption,
    GpuLayersOption,
    JsonOption,
    SeedOption,
    ShapeOptions,
    app,
    cli_settings,
    int_option,
    print_json,
)
from noetic.errors import NoeticError
from noetic.printable import printable
from noetic.settings import MAX_CANDIDATES, ModelSettings, NoeticSettings

if TYPE_CHECKING:
    from noetic.evaluation import ConfigSpec, EvalReport, ItemRecord, SuiteItem
    from noetic.evaluation.judgment_suite import JudgmentItem, JudgmentReport
    from noetic.policies.policy import SelectionWeights

DEFAULT_CONFIGS = "single,vote,deliberate"


def _progress(line: str) -> None:
    """One progress line on stderr; it can quote what a model answered."""
    typer.echo(printable(line), err=True)


@app.command(name="eval")
def evaluate(
    suite: Annotated[
        str,
        typer.Option(
            help="The suite: constraints, instructions, arithmetic, open, continuity "
            "(sequences of tasks in one home: memory), judgment (the signals), or your own "
            'FILE.jsonl: one JSON object per line, {"id", "task"} and optional "checks" '
            '(check lines, e.g. ["words<=50"]), "reference", "answer" (an integer), "kind", '
            '"split" (dev or test), "told" (false: the checks only score), "scored" (false: a '
            "set-up step, run in order but not counted)."
        ),
    ],
    split: Annotated[
        str | None,
        typer.Option(help="The dev or the test half (default: both)."),
    ] = None,
    limit: Annotated[int | None, int_option("Run only the first N items (default: all)", 1)] = None,
    configs: Annotated[
        str,
        typer.Option(
            help="Comma-separated: single, vote, best_of_n, deliberate, and the ablations "
            "deliberate-no-memory, -no-accumulator, -no-checks, -critic-only, -rule-reflect "
            "(the meta-thinker replaced by a rule), -warm (the suite once in the same home "
            "first: the learning curve), and the mode pinned: deliberate-safe, "
            "deliberate-experimental."
        ),
    ] = DEFAULT_CONFIGS,
    model: Annotated[
        list[Path] | None,
        typer.Option(help="A GGUF to compare (repeatable): every config runs on each."),
    ] = None,
    judge_model: Annotated[
        Path | None,
        typer.Option(
            "--judge-model",
            help="GGUF of an LLM judge that also scores open answers 0-10 (default: none for "
            "suites with references, the model otherwise).",
        ),
    ] = None,
    samples: Annotated[int, int_option("Samples vote and best_of_n draw", 2, MAX_CANDIDATES)] = 5,
    match_tokens: Annotated[
        bool,
        typer.Option(
            "--match-tokens",
            help="vote and best_of_n draw as many samples as deliberate spent tokens on "
            "each item (deliberate runs first).",
        ),
    ] = False,
    resume: Annotated[
        Path | None,
        typer.Option(
            help="Continue an interrupted eval in its folder: items it finished are kept, the "
            "rest run (give the same suite, configs and seed).",
        ),
    ] = None,
    match_tokens_from: Annotated[
        Path | None,
        typer.Option(
            "--match-tokens-from",
            help="Match tokens to what deliberate spent in an earlier eval's folder, without "
            "running deliberate again.",
        ),
    ] = None,
    named_checks: Annotated[
        bool,
        typer.Option(
            "--named-checks/--inferred-checks",
            help="Give the configurations the suite's checks, or only those they read from "
            "each task (the suite's checks score the answers either way).",
        ),
    ] = True,
    *,
    shape: ShapeOptions,
    seed: SeedOption = None,
    gpu_layers: GpuLayersOption = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the files (default: NOETIC_HOME/evals/SUITE-TIME)."),
    ] = None,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Compare single answers, votes, best-of-n and deliberations (and its ablations) on a suite.

    Prints accuracy (with a 95% Wilson interval) or the open measures (coverage of the task's
    parts, F1 to the reference, loops and echoes, length), tokens and seconds per
    configuration, then each configuration against deliberate on the same items (the paired
    difference and its 95% interval); writes the tables, the item records and a
    quality-against-tokens plot.
    """
    from noetic.evaluation import (
        load_suite,
        plan_configs,
        prepare_folder,
        rows_json,
        write_outputs,
    )
    from noetic.evaluation.output import JOURNAL, read_records, token_targets
    from noetic.models.gguf import check_gguf

    settings = cli_settings(
        config, shape, log_level="warning", seed=seed, model={"n_gpu_layers": gpu_layers}
    )
    if suite == "judgment":
        _judgment(settings, split, limit, out, json_out)
        return
    items = load_suite(suite, limit, split)
    specs = plan_configs(configs, settings.model, list(model or []))
    judge = settings.model
    if judge_model is not None:
        judge = settings.model.model_copy(update={"path": check_gguf(judge_model)})
    finished = read_records(resume, JOURNAL) if resume is not None else []
    targets = (
        token_targets(read_records(match_tokens_from, "records.jsonl", JOURNAL))
        if match_tokens_from is not None
        else None
    )
    name = Path(suite).stem if suite.endswith(".jsonl") else suite
    out = resume or out or settings.home / "evals" / f"{name}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    prepare_folder(out)
    # The journal restarts from what is kept (a line cut off by the interruption is dropped).
    (out / JOURNAL).write_text("".join(r.model_dump_json() + "\n" for r in finished), "utf-8")
    judged = judge_model is not None or any(
        item.answer is None and not item.checks and item.reference is None for item in items
    )
    report = asyncio.run(
        _run(
            suite,
            items,
            specs,
            settings,
            judge if judged else None,
            samples=samples,
            match_tokens=match_tokens or targets is not None,
            named_checks=named_checks,
            journal=out / JOURNAL,
            finished=finished,
            targets=targets,
        )
    )
    files = write_outputs(report, out)
    if json_out:
        print_json(rows_json(report))
    else:
        from rich.console import Console

        from noetic.evaluation.tables import rich_table

        title = f"noetic eval · {suite} · {report.items} items · {report.seconds:.0f}s"
        # Piped, rich would wrap at 80 columns and cut the cells: give it room instead.
        console = Console(width=None if sys.stdout.isatty() else 200)
        console.print(rich_table(report.rows, title))
        if report.paired:
            console.print(rich_table(report.paired, "deliberate minus each config, same items"))
    typer.echo(f"results in {out}: " + ", ".join(p.name for p in files.values()), err=True)


def _judgment(
    settings: NoeticSettings, split: str | None, limit: int | None, out: Path | None, as_json: bool
) -> None:
    """The judgment suite: each signal's pairwise accuracy, good answer against corruptions."""
    from noetic.evaluation.judgment_suite import SPLITS, markdown
    from noetic.evaluation.judgment_suite import load_items as load_judgment_items
    from noetic.evaluation.output import prepare_folder
    from noetic.policies import load_policies

    if split is not None and split not in SPLITS:
        raise NoeticError(f"unknown split '{split}'", "pass --split dev or --split test")
    items = load_judgment_items(split, limit)
    weights = load_policies(settings.policies)["safe"].weights
    out = out or settings.home / "evals" / f"judgment-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    prepare_folder(out)
    report = asyncio.run(_judge_items(settings, weights, items))
    (out / "judgment.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    (out / "judgment.md").write_text(markdown(report) + "\n", encoding="utf-8")
    if as_json:
        print_json(
            {
                "rows": [r.model_dump() for r in report.rows],
                "tokens": report.tokens,
                "seconds": report.seconds,
            }
        )
    else:
        typer.echo(markdown(report))
    typer.echo(f"results in {out}: judgment.md, judgment.json", err=True)


async def _judge_items(
    settings: NoeticSettings, weights: SelectionWeights, items: list[JudgmentItem]
) -> JudgmentReport:
    from noetic.agents.signals import Judge
    from noetic.evaluation.judgment_suite import run_judgment
    from noetic.models.factory import load_embedder, load_models

    models = await load_models(settings)
    try:
        judge = Judge(
            models.role_models.get("critic", models.model),
            load_embedder(settings),
            ratings=weights.rates,
        )
        return await run_judgment(judge, weights, items, progress=_progress)
    finally:
        await models.aclose()


async def _run(
    suite: str,
    items: list[SuiteItem],
    specs: list[ConfigSpec],
    settings: NoeticSettings,
    judge: ModelSettings | None,
    *,
    samples: int,
    match_tokens: bool,
    named_checks: bool,
    journal: Path,
    finished: list[ItemRecord],
    targets: dict[str, int] | None,
) -> EvalReport:
    from noetic.evaluation import Evaluation, Grader, ModelPool
    from noetic.models.factory import load_chat_model, load_embedder

    pool = ModelPool(lambda model: load_chat_model(model, seed=settings.seed))
    try:
        evaluation = Evaluation(
            settings,
            pool,
            judge=Grader(await pool.get(judge)) if judge is not None else None,
            embedder=load_embedder(settings),
            progress=_progress,
            samples=samples,
            match_tokens=match_tokens,
            named_checks=named_checks,
            journal=journal,
            finished=finished,
            targets=targets,
        )
        return await evaluation.run(suite, items, specs)
    finally:
        await pool.aclose()
