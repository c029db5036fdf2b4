"""Lessons: what a run learned on its kind of task, kept as experience rather than answers.

When the pick of a round passes the task's hard checks (and is no echo of the task) while some
candidate of the run failed one, that difference is a lesson: what failed, read from the failing
candidate's check message without this task's own words and counts, and that the pick met it
(`An answer with too many sentences failed; the chosen answer kept to the count asked.`). A
task with no hard check (`open`) learns from the judge's defects instead: one that a losing
candidate had and the pick lacks ("only restates the task"), except those naming this task's
own content ("leaves out yeast").
Each is one short line made by rule, never by a model, stored once per run (in the round that
first taught it) with the task's kind, and recalled for other tasks of that kind
(`noetic.agents.checks.task_kind`) whatever their subject: a small model shown another task's
answer copies it; shown what failed and what fixed it, it has nothing to copy but the fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from noetic.agents.checks import passes_hard
from noetic.agents.signals.substance import echoes
from noetic.record import Candidate, CheckResult, RoundRecord

MESSAGE_CHARS = 100
_FAILED_COUNT = re.compile(r"(?P<wanted>.*\d+ \w+), not (?P<n>\d+)")
_SPECIFICS = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")
"""Quoted words and numbers: what a check's message says of this task alone."""
_LOCAL_DEFECT = "leaves out"
"""Defects that name this task's own parts teach nothing about another task of its kind."""


def new_lessons(
    history: Sequence[RoundRecord], candidates: Sequence[Candidate], selected: int | None
) -> list[str]:
    """The lessons this round teaches (its `candidates`, its pick `selected`) that no earlier
    round of the run (`history`) taught: so a run stores each once, whatever round stores it."""
    if selected is None:
        return []
    pool: list[Candidate] = []
    taught: set[str] = set()
    for record in history:
        pool += record.candidates
        if record.selected is not None:
            taught |= _learned(pool, record.candidates[record.selected]).keys()
    pool += candidates
    fresh = _learned(pool, candidates[selected])
    return [text for key, text in fresh.items() if key not in taught]


def _learned(pool: Sequence[Candidate], chosen: Candidate) -> dict[str, str]:
    """What `chosen` fixed that a candidate in `pool` failed, by what failed: each failed hard
    check (by name and the task's phrase), or on a task without one, each defect."""
    if not passes_hard(chosen.checks) or echoes(chosen.scores):
        return {}
    others = [c for c in pool if c.id != chosen.id]
    hard = [r for r in chosen.checks if r.hard]
    if hard:
        lessons = {}
        for passed in hard:
            key = f"{passed.name}|{passed.source}"
            failed = next(
                (
                    r
                    for c in others
                    for r in c.checks
                    if r.hard and not r.passed and f"{r.name}|{r.source}" == key
                ),
                None,
            )
            if failed is not None:
                lessons[key] = check_lesson(failed, passed)
        return lessons
    kept = set(_defects(chosen))
    lost = [d for c in others for d in _defects(c) if d not in kept]
    return {d: defect_lesson(d) for d in dict.fromkeys(lost) if not d.startswith(_LOCAL_DEFECT)}


def _defects(candidate: Candidate) -> list[str]:
    return candidate.critique.defects if candidate.critique is not None else []


def check_lesson(failed: CheckResult, passed: CheckResult) -> str:
    """What failed a check that the pick passed, without this task's own words and counts:
    another task of its kind asks for other words and other counts, and a small model shown
    "use 'zebra'" would use it there. A counted check says which way the answer missed
    (`write exactly 2 sentences, not 4`: too many sentences); any other what its message says
    before the specifics."""
    over = _FAILED_COUNT.fullmatch(failed.message)
    if over:
        unit = over["wanted"].split()[-1]
        wanted = [int(n) for n in re.findall(r"\d+", over["wanted"])]
        way = "too many" if int(over["n"]) > max(wanted) else "too few"
        return f"An answer with {way} {unit} failed; the chosen answer kept to the count asked."
    what = _SPECIFICS.sub("…", failed.message).split(":")[0].strip()[:MESSAGE_CHARS]
    return f"An answer failed the {passed.name} check ({what}); the chosen answer met it."


def defect_lesson(defect: str) -> str:
    """A defect a losing answer had and the chosen one avoided; the judge's advice after a
    colon ("says little beyond the task: add specific facts") stays as the fix."""
    fault, _, fix = defect.partition(":")
    line = f"An answer that {fault.strip()} lost; the chosen answer avoided that"
    return f"{line}: {fix.strip()}." if fix.strip() else f"{line}."
