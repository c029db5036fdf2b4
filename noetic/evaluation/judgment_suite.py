"""The judgment suite: do the judging signals rank a good answer above bad ones?

Each item is a task with a good answer written by hand (`suites/judgment.jsonl`, split into a
dev half, for tuning, and a test half, for reporting), and bad answers of two sorts:

- easy, generated: code corrupts the good answer in seven named ways a small model fails
  (another task's answer, shuffled words, a loop, the task itself, a cut-off, a platitude, and
  the answer with a verdict on it appended, as refine rounds write: "A: The answer I provided
  earlier was incorrect.", one of the sentences in `suites/verdicts.json`, copied from stored
  real runs of the default model);
- hard, written by hand per item: an on-topic generic answer that names the task's terms and
  says nothing (`generic`), a `paraphrase` of the task, `meta`-commentary about the answer, a
  `partial` answer covering only some of what the task names, and, where the task has a fact,
  a fluent `wrong` answer. These are what a real round produces, and what likelihood prefers.

Every signal scores the good answer and each bad one, and a signal's pairwise accuracy is the
share of (good, bad) pairs it orders right (a tie counts half). The `overall` row is the
policy's weighted combination, exactly as selection uses it.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from noetic.agents.signals import Judge
from noetic.policies.policy import SelectionWeights

EASY = ("off_topic", "shuffled", "repetition", "echo", "truncated", "platitude", "verdict")
HARD = ("generic", "paraphrase", "meta", "partial", "wrong")
KINDS = (*EASY, *HARD)
SPLITS = ("dev", "test")
SEED = 12


class JudgmentItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: str
    split: str
    task: str
    good: str
    generic: str
    paraphrase: str
    meta: str
    partial: str
    wrong: str | None = None
    """A fluent wrong answer, where the task has a fact to get wrong."""


class JudgmentRow(BaseModel):
    """One figure: a signal's pairwise accuracy on a split, for one corruption kind or `all`."""

    split: str
    signal: str
    kind: str
    pairwise_accuracy: float
    pairs: int


class JudgmentReport(BaseModel):
    rows: list[JudgmentRow]
    items: int
    tokens: int = Field(description="Prompt tokens scored, before prefix sharing; no decoding.")
    seconds: float
    records: list[dict[str, object]] = Field(
        default_factory=list, description="Every scored text: item, kind, scores."
    )


def load_items(split: str | None = None, limit: int | None = None) -> list[JudgmentItem]:
    folder = resources.files("noetic.evaluation") / "suites"
    lines = (folder / "judgment.jsonl").read_text(encoding="utf-8").splitlines()
    items = [JudgmentItem.model_validate_json(line) for line in lines if line.strip()]
    items = [i for i in items if split is None or i.split == split]
    return items if limit is None else items[:limit]


def sentences(name: str) -> list[str]:
    """A list of sentences shipped with the suites: `platitudes` or `verdicts`."""
    folder = resources.files("noetic.evaluation") / "suites"
    return list(json.loads((folder / f"{name}.json").read_text(encoding="utf-8")))


def _sentence_end(text: str) -> str:
    return text.rstrip(" .!?") + "."


def bad_answers(item: JudgmentItem, others: Sequence[JudgmentItem]) -> dict[str, str]:
    """Every bad answer to `item` by kind: the generated corruptions, then the hand-written
    hard ones (`wrong` only where the item has one)."""
    hard = {kind: getattr(item, kind) for kind in HARD}
    return corruptions(item, others) | {k: v for k, v in hard.items() if v is not None}


def corruptions(item: JudgmentItem, others: Sequence[JudgmentItem]) -> dict[str, str]:
    """The seven generated bad answers to `item`, each of its kind, reproducible from its id."""
    rng = random.Random(f"{SEED}-{item.id}")
    words = item.good.rstrip(" .!?").split()
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    phrase = " ".join(words[: min(8, len(words))])
    loop = " ".join([phrase] * max(3, len(words) // len(phrase.split())))
    cut = max(4, len(words) // 2)
    while cut < len(words) - 1 and words[cut - 1][-1] in ".,;:":
        cut += 1
    other = rng.choice([o for o in others if o.id != item.id])
    return {
        "off_topic": other.good,
        "shuffled": _sentence_end(" ".join(shuffled)),
        "repetition": _sentence_end(loop),
        "echo": item.task,
        "truncated": " ".join(words[:cut]).rstrip(",;:"),
        "platitude": rng.choice(sentences("platitudes")),
        # drawn last, so the kinds above stay as they were before it
        "verdict": f"{item.good} {rng.choice(sentences('verdicts'))}",
    }


def _order(good: float, bad: float) -> float:
    return 1.0 if good > bad else 0.5 if good == bad else 0.0


def accuracy_rows(
    records: Sequence[dict[str, object]], weights: SelectionWeights
) -> list[JudgmentRow]:
    """Pairwise accuracy per split, signal and kind (and `all` kinds) from scored records."""
    goods = {(r["split"], r["item"]): r for r in records if r["kind"] == "good"}
    cells: dict[tuple[str, str, str], list[float]] = {}
    for bad in records:
        if bad["kind"] == "good":
            continue
        good = goods[(bad["split"], bad["item"])]
        good_scores = _with_overall(good["scores"], weights)  # type: ignore[arg-type]
        bad_scores = _with_overall(bad["scores"], weights)  # type: ignore[arg-type]
        for signal in good_scores.keys() & bad_scores.keys():
            value = _order(good_scores[signal], bad_scores[signal])
            for kind in (str(bad["kind"]), "all"):
                cells.setdefault((str(bad["split"]), signal, kind), []).append(value)
    return [
        JudgmentRow(
            split=split,
            signal=signal,
            kind=kind,
            pairwise_accuracy=round(sum(v) / len(v), 4),
            pairs=len(v),
        )
        for (split, signal, kind), v in sorted(cells.items())
    ]


def pivot(rows: Sequence[JudgmentRow], split: str) -> tuple[list[str], dict[str, dict[str, float]]]:
    """Signals as rows, kinds (then `all`) as columns, for one split."""
    table: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.split == split:
            table.setdefault(row.signal, {})[row.kind] = row.pairwise_accuracy
    order = sorted(table, key=lambda s: (s != "overall", -table[s].get("all", 0.0)))
    return order, table


def markdown(report: JudgmentReport) -> str:
    """The report as Markdown tables, one per split."""
    lines = []
    for split in SPLITS:
        order, table = pivot(report.rows, split)
        if not order:
            continue
        items = len({r["item"] for r in report.records if r["split"] == split})
        pairs = next(
            r.pairs for r in report.rows if (r.split, r.signal, r.kind) == (split, "overall", "all")
        )
        lines += [
            f"**{split}** ({items} items, {pairs} pairs for `overall`)",
            "",
            "| signal | " + " | ".join(KINDS) + " | all |",
            "| --- |" + " ---: |" * (len(KINDS) + 1),
        ]
        for signal in order:
            cells = [f"{table[signal][k]:.2f}" if k in table[signal] else "–" for k in KINDS]
            lines.append(f"| {signal} | " + " | ".join(cells) + f" | {table[signal]['all']:.2f} |")
        lines.append("")
    lines.append(
        f"Judging cost: {report.tokens} prompt tokens scored (before prefix sharing), no decoding, "
        f"{report.seconds:.0f} s for {report.items} items × {len(KINDS) + 1} texts."
    )
    return "\n".join(lines)


def _with_overall(scores: dict[str, float], weights: SelectionWeights) -> dict[str, float]:
    return {**scores, "overall": weights.combine(scores)}


async def run_judgment(
    judge: Judge,
    weights: SelectionWeights,
    items: Sequence[JudgmentItem],
    progress: Callable[[str], None] = lambda line: None,
    per_call: int | None = None,
) -> JudgmentReport:
    """Score every item's good answer and corruptions, `per_call` texts at a time (default: an
    item's seven together); the rows and every record."""
    started = time.perf_counter()
    tokens = 0
    records: list[dict[str, object]] = []
    pools: dict[str, list[JudgmentItem]] = {}  # off-topic answers come from the item's whole split
    for number, item in enumerate(items, start=1):
        bad = bad_answers(item, pools.setdefault(item.split, load_items(item.split)))
        kinds = ["good", *bad]
        texts = [item.good, *bad.values()]
        step = per_call or len(texts)
        judgments = []
        for first in range(0, len(texts), step):
            batch, usage = await judge.judge(item.task, texts[first : first + step])
            judgments += batch
            tokens += usage.total_tokens
        for kind, judgment in zip(kinds, judgments, strict=True):
            # A good answer and its corruptions are not a round of rival ideas.
            scores = {k: v for k, v in judgment.scores.items() if k != "round_novelty"}
            records.append({"item": item.id, "split": item.split, "kind": kind, "scores": scores})
        progress(f"judgment {number}/{len(items)} {item.id}")
    return JudgmentReport(
        rows=accuracy_rows(records, weights),
        items=len(items),
        tokens=tokens,
        seconds=round(time.perf_counter() - started, 2),
        records=records,
    )
