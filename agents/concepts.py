"""Concepts grounded in the text: phrases a candidate actually contains.

A small model's "concepts" are often not in its own text ("SULLYPIS", "[, context:]"), and
whatever a candidate names becomes the accumulator's anchors for every later round and run. So a
candidate keeps the model's proposals that occur in its text, and the overlay adds keyphrases
it extracts itself with YAKE (statistical, no model, maintained on PyPI): the accumulator only
ever learns phrases that were written.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

import yake

MAX_CONCEPTS = 5
MAX_WORDS = 3
LABEL = re.compile(r"^(r\d+c\d+|round\s*\d+|run\s*\w*\d\w*|[0-9a-f]{6,}|\d[\d\-]*)$", re.I)
"""Ids and labels of the record (candidate ids, round numbers, run ids, bare numbers): never
concepts."""


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def is_label(phrase: str) -> bool:
    return bool(LABEL.match(phrase.strip()))


def occurs(phrase: str, text: str) -> bool:
    """Whether `phrase` is written in `text` as whole words (case and punctuation ignored)."""
    needle = _normal(phrase)
    return bool(needle) and f" {needle} " in f" {_normal(text)} "


_YAKE = threading.Lock()
"""The critic reads concepts in worker threads, and the extractor's similarity cache is a plain
dict it clears between texts: one text at a time."""


@lru_cache(maxsize=1)
def _extractor() -> yake.KeywordExtractor:
    return yake.KeywordExtractor(lan="en", n=MAX_WORDS, top=MAX_CONCEPTS * 2, dedupLim=0.7)


def keyphrases(text: str, limit: int = MAX_CONCEPTS) -> list[str]:
    """The text's keyphrases, most salient first (YAKE: lower score is more salient)."""
    with _YAKE:
        extracted = _extractor().extract_keywords(text)
    found = sorted(extracted, key=lambda kw: kw[1])
    return [kw for kw, _ in found if not is_label(kw) and occurs(kw, text)][:limit]


def straddles(phrase: str, other: str, text: str) -> bool:
    """Whether `phrase` and `other` are two cuts of one span of `text` that share words at their
    edge: "assumption about artificial" of "assumption about artificial general intelligence",
    beside "artificial general intelligence". YAKE's n-grams cut noun phrases so."""
    first, second = _normal(phrase).split(), _normal(other).split()
    for a, b in ((first, second), (second, first)):
        for k in range(1, min(len(a), len(b))):
            if a[-k:] == b[:k] and occurs(" ".join(a + b[k:]), text):
                return True
    return False


def grounded_concepts(text: str, proposed: Sequence[str], limit: int = MAX_CONCEPTS) -> list[str]:
    """Up to `limit` concepts of `text`: the proposed ones it contains, then its keyphrases;
    none inside another ("greek myth" beside "ancient greek myth"), none a fragment cut across
    an earlier one (`straddles`)."""
    chosen: list[str] = []
    for phrase in [*proposed, *keyphrases(text)]:
        phrase = " ".join(phrase.split()).lower()
        if (
            len(chosen) < limit
            and not is_label(phrase)
            and occurs(phrase, text)
            and not any(
                occurs(phrase, c) or occurs(c, phrase) or straddles(phrase, c, text) for c in chosen
            )
        ):
            chosen.append(phrase)
    return chosen


STOPWORDS = frozenset(
    "a an and are as at be but by for from has have how in into is it its of on or that the "
    "this to was what when where which who why will with about your you their there these "
    "those than then them they our out over such can could should would more most very".split()
)


def content_words(text: str) -> set[str]:
    return {w for w in _normal(text).split() if len(w) > 2 and w not in STOPWORDS}


RECORD_TEXT = re.compile(r"[{}\[\]\n]|\bround\s*\d|\bscore\b|\br\d+c\d+\b", re.I)
"""What the record looks like when a model copies it: braces, round numbers, scores, ids."""


def grounded_focus(focus: str, task: str) -> bool:
    """Whether a proposed next focus can steer the next round: one line of several words,
    mostly letters, with nothing copied from the record, sharing a content word with the task."""
    words = _normal(focus).split()
    letters = sum(ch.isalpha() for ch in focus)
    return (
        len(words) >= 3
        and letters >= 0.7 * len(focus.replace(" ", ""))
        and not RECORD_TEXT.search(focus)
        and bool(content_words(focus) & content_words(task))
    )
