"""The generator of the `constraints` suite: tasks a small model can do, verified by checks.

Two families, interleaved so that any prefix (what `--limit` takes) covers every kind:
- CommonGen-style: one or two sentences that use all of 3 to 5 related words (`required_terms`).
- IFEval-style verifiable instructions on a topic: a number of sentences, a word that must not
  appear, a given first word, all lowercase, a word limit with a word to include (`form`).
Every item names its checks with explicit parameters, so the score never depends on how the
task is phrased. Blocks of one item per kind alternate between the dev and the test split. The
shipped `suites/constraints.jsonl` is this generator's output for `SEED`; regenerate it with
`python -m noetic.evaluation.constraints_gen`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from noetic.evaluation.suites import SuiteItem, block_split, write_suite
from noetic.settings import CheckSpec

SEED = 2026
PER_KIND = 15
THEMES: tuple[tuple[str, ...], ...] = (
    ("dog", "frisbee", "park", "catch", "grass", "owner", "run"),
    ("baker", "bread", "oven", "morning", "flour", "shop", "smell"),
    ("ship", "storm", "captain", "map", "island", "sail", "wave"),
    ("teacher", "student", "lesson", "book", "class", "question", "learn"),
    ("mountain", "snow", "climber", "rope", "peak", "cold", "camp"),
    ("farmer", "field", "tractor", "harvest", "corn", "rain", "barn"),
    ("guitar", "song", "night", "stage", "crowd", "sing", "light"),
    ("garden", "flower", "bee", "sun", "water", "seed", "grow"),
    ("river", "bridge", "fish", "boat", "child", "stone", "swim"),
    ("kitchen", "soup", "knife", "onion", "pot", "cook", "table"),
    ("train", "station", "ticket", "city", "window", "travel", "wait"),
    ("doctor", "patient", "hospital", "medicine", "nurse", "heal", "bed"),
    ("library", "reader", "shelf", "story", "quiet", "page", "borrow"),
    ("rocket", "moon", "astronaut", "space", "launch", "star", "orbit"),
    ("market", "fruit", "seller", "basket", "price", "buy", "street"),
    ("forest", "tree", "bird", "path", "leaf", "walk", "deer"),
    ("beach", "sand", "shell", "sea", "towel", "swim", "sunset"),
    ("painter", "canvas", "brush", "color", "museum", "paint", "light"),
)
TOPICS: tuple[tuple[str, str], ...] = (
    ("the ocean", "water"),
    ("a train journey", "train"),
    ("your favourite food", "eat"),
    ("a rainy day", "rain"),
    ("a city at night", "light"),
    ("learning to swim", "water"),
    ("an old library", "book"),
    ("a winter morning", "snow"),
    ("a birthday party", "cake"),
    ("a walk in the forest", "tree"),
    ("a visit to the market", "buy"),
    ("the first day of school", "teacher"),
    ("a football match", "ball"),
    ("a summer garden", "flower"),
    ("a long flight", "plane"),
)
FIRST_WORDS = ("Today", "Yesterday", "Sometimes", "Every", "When", "After")
NUMBERS = {2: "two", 3: "three"}

Made = tuple[str, list[CheckSpec]]


def _words(rng: random.Random, count: int) -> Made:
    words = rng.sample(rng.choice(THEMES), count)
    task = f"Write one or two sentences that use all of these words: {', '.join(words)}."
    return task, [
        CheckSpec(name="required_terms", params={"terms": words}),
        CheckSpec(name="form", params={"min_sentences": 1, "max_sentences": 2}),
    ]


def _sentences(rng: random.Random) -> Made:
    topic, _ = rng.choice(TOPICS)
    n = rng.choice((2, 3))
    return f"Write exactly {NUMBERS[n]} sentences about {topic}.", [
        CheckSpec(name="form", params={"sentences": n})
    ]


def _exclude(rng: random.Random) -> Made:
    topic, word = rng.choice(TOPICS)
    return f"Write one sentence about {topic} without using the word '{word}'.", [
        CheckSpec(name="form", params={"sentences": 1, "must_not_contain": [word]})
    ]


def _first_word(rng: random.Random) -> Made:
    topic, _ = rng.choice(TOPICS)
    first = rng.choice(FIRST_WORDS)
    return f"Write two sentences about {topic}. Start with the word '{first}'.", [
        CheckSpec(name="form", params={"sentences": 2, "first_word": first})
    ]


def _lowercase(rng: random.Random) -> Made:
    topic, _ = rng.choice(TOPICS)
    return f"Write one sentence about {topic} in all lowercase letters.", [
        CheckSpec(name="form", params={"sentences": 1, "lowercase": True})
    ]


def _limit(rng: random.Random) -> Made:
    topic, word = rng.choice(TOPICS)
    limit = rng.choice((12, 15, 20))
    return (
        f"Write about {topic} in at most {limit} words, and include the word '{word}'.",
        [CheckSpec(name="form", params={"max_words": limit, "must_contain": [word]})],
    )


KINDS: tuple[tuple[str, Callable[[random.Random], Made]], ...] = (
    ("words3", lambda rng: _words(rng, 3)),
    ("sentences", _sentences),
    ("words4", lambda rng: _words(rng, 4)),
    ("exclude", _exclude),
    ("words5", lambda rng: _words(rng, 5)),
    ("first_word", _first_word),
    ("lowercase", _lowercase),
    ("limit", _limit),
)


def generate(seed: int = SEED, per_kind: int = PER_KIND) -> list[SuiteItem]:
    """`per_kind` items of each kind, interleaved kind by kind; same seed, same suite."""
    rng = random.Random(seed)
    items = []
    for index in range(per_kind * len(KINDS)):
        kind, make = KINDS[index % len(KINDS)]
        task, checks = make(rng)
        items.append(
            SuiteItem(
                id=f"cons-{index + 1:03d}",
                kind=kind,
                task=task,
                checks=checks,
                split=block_split(index, len(KINDS)),
            )
        )
    return items


def main() -> None:
    write_suite("constraints", generate())


if __name__ == "__main__":
    main()
