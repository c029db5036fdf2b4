"""A run as a rich tree for the terminal: rounds, candidates with scores, reflections, switches.

Labels are `Text` objects, never markup strings, so brackets in what a model wrote print as they
are instead of being read as rich styles; and every string of the record passes `printable`
first, since rich's `Text` keeps ESC and the other controls that would drive the terminal.
"""

from __future__ import annotations

import textwrap
from typing import Any

from pydantic import BaseModel
from rich.text import Text
from rich.tree import Tree

from noetic.agents.signals.names import MODEL_SIGNALS
from noetic.agents.signals.text import text_signals
from noetic.printable import printable
from noetic.record import BUDGET_REASONS, Candidate, CheckResult, RoundRecord
from noetic.runs.result import DeliberationResult

MODE_STYLES = {"safe": "bold blue", "experimental": "bold yellow"}


def _shorts() -> dict[str, str]:
    """Every known signal's short name, text signals first: others show by their own name."""
    texts = {s.name: s.short for s in text_signals() if s.short}
    return texts | {name: shown.short for name, shown in MODEL_SIGNALS.items()}


EXCERPT = 140


def _printable(value: Any) -> Any:
    """`value` with `printable` applied to every string in it, however deep: fields a record
    gains later are covered without a call per field."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={name: _printable(getattr(value, name)) for name in fields})
    if isinstance(value, list | tuple):
        return type(value)(_printable(item) for item in value)
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    return value


def _prose(text: str, full: bool) -> str:
    return text if full else textwrap.shorten(text, EXCERPT, placeholder=" …")


def _scores(candidate: Candidate) -> Text:
    """The built-in signals by their short names, then any other (a plugin's) by its own."""
    shorts = _shorts()
    parts = [
        f"{short} {candidate.scores[dim]:.2f}"
        for dim, short in shorts.items()
        if dim in candidate.scores
    ]
    parts += [
        f"{name} {value:.2f}"
        for name, value in sorted(candidate.scores.items())
        if name not in shorts and name != "overall"
    ]
    return Text("  ".join(parts), style="dim")


def _candidate(node: Tree, candidate: Candidate, selected: bool, full: bool) -> None:
    mark, style = (
        ("✓", "bold green") if selected else ("✗", "red") if candidate.filtered else ("·", "")
    )
    overall = candidate.scores.get("overall")
    label = Text.assemble(
        (f"{mark} {candidate.id}", style),
        (f" {candidate.strategy}" if candidate.strategy else "", "magenta"),
        (f"  {overall:.2f}" if overall is not None else "  -", "bold"),
        "  ",
        _scores(candidate),
        "\n",
        (_prose(candidate.text, full), "dim" if candidate.filtered else ""),
    )
    if candidate.concepts:
        label.append(f"\n[{', '.join(candidate.concepts)}]", style="cyan")
    child = node.add(label)
    if candidate.filtered:
        child.add(Text(f"filtered: {candidate.filtered}", style="red"))
    if candidate.checks:
        checks = Text("checks: ", style="dim")
        for index, result in enumerate(candidate.checks):
            if index:
                checks.append("  ")
            mark, style = (
                ("✓", "green") if result.passed else ("✗", "red" if result.hard else "yellow")
            )
            checks.append(f"{mark} {result.name}", style=style)
            if not result.passed:
                checks.append(f": {result.message}")
        child.add(checks)
    if candidate.critique is not None:
        critique = Text.assemble(("critic: ", "dim"), _prose(candidate.critique.rationale, full))
        if candidate.critique.risk_flags:
            critique.append(f"  ⚠ {', '.join(candidate.critique.risk_flags)}", style="red")
        child.add(critique)


def _round(root: Tree, record: RoundRecord, full: bool) -> Tree:
    node = root.add(
        Text.assemble(
            (f"Round {record.round}", "bold"),
            "  ",
            (record.mode, MODE_STYLES.get(record.mode, "bold")),
            ("  focus: ", "dim"),
            _prose(record.focus, full),
        )
    )
    if record.anchors:
        node.add(Text.assemble(("anchors: ", "dim"), ", ".join(record.anchors)))
    if record.recalled:
        # Which earlier runs' work the prompts were given as notes, by the task that set it.
        notes = "; ".join(
            f"{r.run_id} r{r.round}: {_prose(r.task or r.text, full)}" for r in record.recalled
        )
        node.add(Text.assemble(("recalled ", "dim"), notes))
    for lesson in record.lessons:
        # What earlier runs of the same kind of task learned, given to this round's prompts.
        node.add(Text.assemble(("lesson ", "dim"), f"{lesson.run_id}: ", _prose(lesson.text, full)))
    for i, candidate in enumerate(record.candidates):
        _candidate(node, candidate, i == record.selected, full)
    if record.selected is None:
        node.add(Text("no candidate was eligible", style="red"))
    if record.human is not None:
        h = record.human
        node.add(
            Text.assemble(
                ("human: ", "bold magenta"),
                f"pick {h.pick}" if h.pick is not None else "no pick",
                f"; veto {h.veto}" if h.veto else "",
                f"; note: {h.note}" if h.note else "",
            )
        )
    if record.reflection is not None:
        r = record.reflection
        # A reason or focus the meta-thinker's reply lacked (or that was dropped as unreadable)
        # is left out rather than printed as an empty label.
        node.add(
            Text.assemble(
                ("↳ ", "dim"),
                (r.decision, "bold magenta"),
                f": {_prose(r.reason, full)}" if r.reason else "",
                *((("  next: ", "dim"), _prose(r.next_focus, full)) if r.next_focus else ()),
            )
        )
    return node


def run_tree(result: DeliberationResult, full: bool = False) -> Tree:
    """The whole run; `full` prints every text whole instead of an excerpt."""
    result = _printable(result)
    root = Tree(
        Text.assemble(
            ("Run ", "bold"),
            (result.run_id, "bold cyan"),
            f"  {result.stop_reason} · {len(result.rounds)} rounds · "
            f"{result.usage.total_tokens:,} tokens · {result.model or 'unknown model'}",
        )
    )
    root.add(Text.assemble(("task: ", "dim"), result.task))
    switches = {m.after_round: m for m in result.mode_switches}
    for record in result.rounds:
        _round(root, record, full)
        switch = switches.get(record.round)
        if switch is not None:
            root.add(
                Text.assemble(
                    ("⇄ mode ", "bold"),
                    (switch.from_mode, MODE_STYLES[switch.from_mode]),
                    " → ",
                    (switch.to_mode, MODE_STYLES[switch.to_mode]),
                    f" after round {switch.after_round}: {switch.reason}",
                )
            )
    answer = root.add(Text("Answer", style="bold green"))
    answer.add(Text(result.answer or "no answer yet", style="" if result.answer else "dim"))
    if result.answer_from not in (None, "synthesis"):
        overall = (result.answer_scores or {}).get("overall")
        judged = f" ({overall:.2f})" if overall is not None else ""
        answer.add(
            Text(
                f"the best thought, {result.answer_from}{judged}: {_why_thought(result)}",
                style="dim",
            )
        )
    for source in result.sources:
        answer.add(
            Text(f"from {source.id} (round {source.round}, {source.score:.2f})", style="dim")
        )
    for verdict in result.answer_checks:
        answer.add(check_line(verdict))
    return root


def check_line(verdict: CheckResult) -> Text:
    """One check's verdict, with the task's words it was read from."""
    read = f'  ← "{verdict.source}"' if verdict.source else "  (named)"
    return Text.assemble(
        ("✓ " if verdict.passed else "✗ ", "green" if verdict.passed else "red"),
        (verdict.name, "bold"),
        f": {verdict.message}",
        (read, "dim"),
    )


def _why_thought(result: DeliberationResult) -> str:
    """Why the answer is a thought, not a synthesis."""
    if result.stop_reason == "checks_passed":
        return "it passes every check, no synthesis needed"
    if result.stop_reason in BUDGET_REASONS:
        return "the budget is spent, no synthesis asked for"
    last_mode = result.rounds[-1].mode if result.rounds else None
    policy = result.policies.get(last_mode or "", {})
    if not result.answer_checks and policy.get("synthesis") == "checked":
        return "no checks a synthesis could pass, none asked for (policy: synthesis = checked)"
    return "no synthesis beat it"
