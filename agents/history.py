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
    """Recalled memories, each the earlier task (which states its facts) and the answer chosen
    for it, in plain words only, since a small model copies ids and labels into its answer (the
    record keeps the provenance)."""
    lines = []
    for r in recalled:
        asked = f"- Asked: {r.task[:MEMORY_CHARS]}\n  Answered: " if r.task else "- "
        lines.append(asked + r.text[:MEMORY_CHARS])
    return "\n".join(lines) or "none"
