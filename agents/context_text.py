"""How the deliberation so far is shown to a model: short, plain lines a small model can use."""

from __future__ import annotations

from collections.abc import Sequence

from noetic.agents.schemas import Candidate, Recollection, RoundRecord

MEMORY_CHARS = 220


def best_so_far(history: Sequence[RoundRecord]) -> Candidate | None:
    """The selected candidate with the highest overall score across rounds."""
    chosen = [r.candidates[r.selected] for r in history if r.selected is not None]
    return max(chosen, key=lambda c: c.scores.get("overall", 0.0), default=None)


def trajectory(history: Sequence[RoundRecord]) -> str:
    """One line per finished round: mode, selected score, selected thought."""
    lines = []
    for record in history:
        if record.selected is None:
            lines.append(f"Round {record.round} ({record.mode}): nothing selected.")
            continue
        chosen = record.candidates[record.selected]
        lines.append(
            f"Round {record.round} ({record.mode}, score {chosen.scores.get('overall', 0):.2f}): "
            f"{chosen.text}"
        )
    return "\n".join(lines) or "No rounds yet."


def recollections(recalled: Sequence[Recollection]) -> str:
    """Recalled memories with their provenance, one short line each."""
    lines = [
        f"- [{r.kind} from run {r.run_id}, round {r.round}] {r.text[:MEMORY_CHARS]}"
        for r in recalled
    ]
    return "\n".join(lines) or "none"
