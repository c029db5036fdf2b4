"""Text normalization shared by the accumulator (concept keys) and the memory (keywords).

One set of rules, so "Ideas", " idea " and "IDEA" are the same concept in the accumulator and the
same keyword in hybrid search.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_KEEP_S = ("ss", "us", "is")


def _words(text: str) -> list[str]:
    return _WORD.findall(_POSSESSIVE.sub("", text.casefold()))


def singular(word: str) -> str:
    """A light English singular: enough to merge "ideas"/"idea", never a full stemmer."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def normalize_concept(concept: str) -> str:
    """Concept key: casefolded words, single-spaced, last word singular ("" if nothing is left)."""
    words = _words(concept)
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def keywords(text: str) -> list[str]:
    """Keyword tokens for sparse search: casefolded, singular, at least two characters."""
    return [singular(word) for word in _words(text) if len(word) > 1]


def duplicate_key(text: str) -> str:
    """Text with case, punctuation and spacing removed: equal keys mean the same memory."""
    return " ".join(_words(text))
