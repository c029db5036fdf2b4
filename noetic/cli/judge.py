"""`noetic judge`: the judge a run selects with, on a user's own texts.

A user who doubts a selection can put their own answers beside the model's and see every signal
and `overall` exactly as the critique and select stages compute them (the mode's policy, the
task's checks), without running a deliberation. Resonance is left out: it depends on the
accumulator's state during a run, not on the text.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from pydantic import BaseModel, Field

from noetic.cli.app import (
    CheckOptions,
    ConfigOption,
    JsonOption,
    ModelOption,
    app,
    cli_settings,
    print_json,
)
from noetic.printable import printable
from noetic.record import Candidate, CheckResult
from noetic.settings import NoeticSettings
from noetic.tasks import check_task


class JudgedText(BaseModel):
    """One text as the judge sees it: every signal, `overall`, defects and check verdicts."""

    text: str
    overall: float
    scores: dict[str, float]
    defects: list[str]
    checks: list[CheckResult]
    risk_flags: list[str]
    filtered: str | None = Field(
        None, description="Why the mode's policy would filter it out (risk flags, blocked words)."
    )


@app.command()
def judge(
    task: Annotated[str, typer.Argument(help="The task the texts answer.")],
    texts: Annotated[list[str], typer.Argument(help="One or more answers to score.")],
    mode: Annotated[
        str, typer.Option(help="Whose policy weighs the signals: safe or experimental.")
    ] = "safe",
    *,
    checks: CheckOptions,
    model: ModelOption = None,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Score TEXTS as answers to TASK with the judge a run uses: every signal and `overall`."""
    check_task(task)
    settings = cli_settings(config, checks, writes=False, mode=mode, model={"path": model})
    judged = asyncio.run(_judge(settings, task, texts))
    if json_out:
        print_json([j.model_dump(mode="json") for j in judged])
        return
    for number, item in enumerate(judged, start=1):
        typer.echo(f"[{number}] overall {item.overall:.3f}  {printable(item.text[:100])}")
        typer.echo("    " + "  ".join(f"{k} {v:.2f}" for k, v in sorted(item.scores.items())))
        for verdict in item.checks:
            mark = "✓" if verdict.passed else "✗"
            read = f'  ← "{verdict.source}"' if verdict.source else ""
            typer.echo(f"    {mark} {verdict.name}: {printable(verdict.message)}{read}")
        if item.defects:
            typer.echo(f"    defects: {printable('; '.join(item.defects))}")
        if item.risk_flags:
            typer.echo(f"    ⚠ {printable(', '.join(item.risk_flags))}")
        if item.filtered:
            typer.echo(f"    filtered in {mode} mode: {printable(item.filtered)}")


async def _judge(settings: NoeticSettings, task: str, texts: list[str]) -> list[JudgedText]:
    from noetic.agents.checks import bind_checks
    from noetic.agents.signals import Judge
    from noetic.models.factory import load_embedder, load_models
    from noetic.policies import load_policies

    checks = bind_checks(settings.checks, task, infer=settings.auto_checks)
    policy = load_policies(settings.policies)["safe" if settings.mode == "safe" else "experimental"]
    models = await load_models(settings)
    try:
        judge = Judge(
            models.role_models.get("critic", models.model),
            load_embedder(settings),
            ratings=policy.weights.rates,
            checks=checks,
            risk=policy.risk,
        )
        judgments, _ = await judge.judge(task, texts)
    finally:
        await models.aclose()
    return [
        JudgedText(
            text=text,
            overall=round(policy.weights.combine(j.scores), 4),
            scores=j.scores,
            defects=j.critique.defects,
            checks=j.checks,
            risk_flags=j.critique.risk_flags,
            filtered=policy.filters.verdict(
                Candidate.proposed(1, i, text, []).model_copy(update={"critique": j.critique})
            ),
        )
        for i, (text, j) in enumerate(zip(texts, judgments, strict=True))
    ]
