"""How the deliberation so far is shown to a model: short, plain lines a small model can use."""

from __future__ import annotations

from collections.abc import Sequence

from noetic.record import Candidate, Recollection, RoundRecord

MEMORY_CHARS = 220


def best_so_far(history: Sequence[RoundRecord]) -> Candidate | None:
    """The selected candidate with the highest overall score across rounds."""
    chosen = [r.candidates[r.selected] for r in history if r.selected is not None]
    return max(chosen, key=lambda c: c.scores.get("overall", 0.0), default=None)


def to_fix(candidate: Candidate | None) -> str:
    """What the next round should fix in `candidate`: its failed checks' messages and the
    defects the critic saw, one short line ("Missing: yeast. It repeats itself.")."""
    if candidate is None:
        return "none yet"
    failed = [c.message for c in candidate.checks if not c.passed]
    defects = candidate.critique.defects if candidate.critique else []
    parts = [f"{m[0].upper()}{m[1:].rstrip('.')}." for m in failed]
    parts += [f"It {d}." for d in defects]
    return " ".join(parts) or "nothing"


def generator_ask(best: Candidate | None) -> str:
    """What the generator is asked to do this round: answer; then fix what failed; with nothing
    to fix, go beyond the best answer (shown a good answer and asked for "a new" one, a small
    model copies it)."""
    if best is None:
        return "Do exactly what the task asks."
    if to_fix(best) != "nothing":
        return "Do exactly what the task asks, and fix what is listed."
    return "Do what the task asks, and go beyond the best answer so far: say what it does not."


def generator_context(
    best: Candidate | None,
    anchors: Sequence[str],
    recalled: Sequence[Recollection],
    note: str,
    focus: str,
    task: str,
) -> str:
    """The generator's view of the run so far, only the lines that have something in them: a
    small model copies a "none yet" line into its answer."""
    lines = []
    if best is not None:
        lines.append(f"Best answer so far: {best.text}")
        if (fix := to_fix(best)) != "nothing":
            lines.append(f"To fix in it: {fix}")
    if anchors:
        lines.append(f"Key concepts so far: {', '.join(anchors)}")
    if recalled:
        lines.append(f"Related memories:\n{recollections(recalled)}")
    if note:
        lines.append(f"A person's note: {note}")
    if focus.strip() != task.strip():
        lines.append(f"Focus now: {focus}")
    return "\n".join(lines)


def trajectory(history: Sequence[RoundRecord], current: str = "") -> str:
    """One line per finished round (mode, selected score, selected thought), then `current`.

    Round N+1's text starts with round N's whole, so a backend with a prompt cache evaluates
    only the new line.
    """
    lines = [
        round_line(r.round, r.mode, r.candidates[r.selected] if r.selected is not None else None)
        for r in history
    ]
    return "\n".join([*lines, current] if current else lines) or "No rounds yet."


def round_line(round_: int, mode: str, selected: Candidate | None) -> str:
    """A round as the meta-thinker reads it."""
    if selected is None:
        return f"Round {round_} ({mode}): nothing selected."
    return (
        f"Round {round_} ({mode}, score {selected.scores.get('overall', 0):.2f}): {selected.text}"
    )


def recollections(recalled: Sequence[Recollection]) -> str:
    """Recalled memories, one short line each: their text only, since a small model copies
    ids and labels into its answer (the record keeps the provenance)."""
    lines = [f"- {r.text[:MEMORY_CHARS]}" for r in recalled]
    return "\n".join(lines) or "none"
