"""The result of a deliberation: what `noetic run --json` prints and `deliberate()` returns.

The field names are a public contract (documented in the README): later versions add fields,
never rename them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from noetic.record import CheckResult, ModeSwitch, RoundRecord, Source


class UsageReport(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class DeliberationResult(BaseModel):
    """A finished deliberation with its full record."""

    run_id: str
    task: str
    answer: str
    answer_from: str | None = Field(
        None,
        description="'synthesis', or the id of the selected thought that became the answer "
        "because the synthesis scored below it, or because none was asked for (a spent budget, "
        'a verified thought, a run without checks under `synthesis = "checked"`).',
    )
    answer_scores: dict[str, float] | None = Field(
        None, description="The judge's signals and overall for the answer, as for candidates."
    )
    answer_checks: list[CheckResult] = Field(
        default_factory=list,
        description="Each check's verdict on the answer, with the task's words it was read from.",
    )
    stop_reason: str
    rounds: list[RoundRecord]
    sources: list[Source] = Field(default_factory=list)
    mode_switches: list[ModeSwitch] = Field(default_factory=list)
    usage: UsageReport
    timings: dict[str, float] = Field(
        default_factory=dict, description="Seconds per stage summed over rounds, plus 'total'."
    )
    model: str
    version: str
    policies: dict[str, Any] = Field(
        default_factory=dict, description="The policy of each mode the run used (sampling etc.)."
    )
    graph: dict[str, Any] | None = Field(
        None,
        description="The graph spec the run drove (nodes, edges, branches); None for a graph "
        "built in Python.",
    )
    steering: dict[str, Any] | None = Field(
        None, description="While paused for steering: the round and candidates awaiting a person."
    )
