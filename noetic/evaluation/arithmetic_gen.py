"""The generator of the `arithmetic` suite: word problems with known integer answers.

The shipped `suites/arithmetic.jsonl` is this generator's output for `SEED`; regenerate it with
`python -m noetic.evaluation.arithmetic_gen`. Levels rise from one operation to four steps with
multiplication and exact division, and are interleaved so that any prefix of the suite (what
`--limit` takes) covers every level. Every item names the `arithmetic` check; blocks of one
problem per level alternate between the dev and the test split.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from noetic.evaluation.suites import SuiteItem, block_split, write_suite
from noetic.settings import CheckSpec

SEED = 2026
PER_LEVEL = 25
INSTRUCTION = "End your answer with the final number."
NAMES = ("Maria", "Tom", "Aisha", "Ken", "Lena", "Omar", "Priya", "Sam", "Yuki", "Diego")
THINGS = ("apples", "marbles", "stickers", "books", "shells", "cards", "coins", "pencils")

Problem = tuple[str, int]


def _level1(rng: random.Random, name: str, things: str) -> Problem:
    a, b = rng.randint(3, 20), rng.randint(2, 15)
    if rng.random() < 0.5:
        return f"{name} has {a} {things} and finds {b} more. How many are there now?", a + b
    return f"{name} has {a + b} {things} and gives {b} away. How many are left?", a


def _level2(rng: random.Random, name: str, things: str) -> Problem:
    a, b = rng.randint(10, 50), rng.randint(5, 30)
    c = rng.randint(2, min(25, a + b - 1))
    return (
        f"{name} has {a} {things}. {name} buys {b} more, then gives {c} to a friend. "
        f"How many {things} does {name} have now?",
        a + b - c,
    )


def _level3(rng: random.Random, name: str, things: str) -> Problem:
    boxes, each = rng.randint(2, 9), rng.randint(3, 12)
    lost = rng.randint(1, boxes * each - 1)
    return (
        f"{name} buys {boxes} boxes of {things} with {each} {things} in each box, "
        f"then loses {lost} of them. How many {things} are left?",
        boxes * each - lost,
    )


def _level4(rng: random.Random, name: str, things: str) -> Problem:
    friends, share, extra = rng.randint(2, 8), rng.randint(3, 15), rng.randint(2, 20)
    total = friends * share
    return (
        f"{name} has {total} {things} and shares them equally among {friends} friends. "
        f"Then each friend gets {extra} more {things}. How many {things} does each friend have?",
        share + extra,
    )


LEVELS: tuple[Callable[[random.Random, str, str], Problem], ...] = (
    _level1,
    _level2,
    _level3,
    _level4,
)


def generate(seed: int = SEED, per_level: int = PER_LEVEL) -> list[SuiteItem]:
    """`per_level` problems of each level, interleaved level by level; same seed, same suite."""
    rng = random.Random(seed)
    items = []
    for index in range(per_level * len(LEVELS)):
        level = index % len(LEVELS)
        question, answer = LEVELS[level](rng, rng.choice(NAMES), rng.choice(THINGS))
        items.append(
            SuiteItem(
                id=f"arith-{index + 1:03d}",
                kind=f"level{level + 1}",
                task=f"{question} {INSTRUCTION}",
                answer=answer,
                checks=[CheckSpec(name="arithmetic")],
                split=block_split(index, len(LEVELS)),
            )
        )
    return items


def main() -> None:
    write_suite("arithmetic", generate())


if __name__ == "__main__":
    main()
