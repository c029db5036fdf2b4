"""Text normalization shared by the accumulator (concept keys) and the memory (keywords).

One set of rules, so "Ideas", " idea " and "IDEA" are the same concept in the accumulator and the
same keyword in hybrid search.
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_KEEP_S = ("ss", "us", "is")
_ES = ("ches", "shes", "sses", "xes", "zes")
COMMONER_BY = 1.5
"""How much rarer (in Zipf frequency) than the plural a singular may be and still be taken."""


def _words(text: str) -> list[str]:
    return _WORD.findall(_POSSESSIVE.sub("", text.casefold()))


def singular(word: str) -> str:
    """A light English singular: enough to merge "ideas"/"idea", never a full stemmer. A cut is
    kept only when it leaves a word about as common as the plural ("teaches" is "teach", not
    "teache"; "species" and "physics" stay): a concept key is shown to people and the model."""
    if len(word) > 4 and word.endswith("ies"):
        cut = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(_ES):
        cut = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        cut = word[:-1]
    else:
        return word
    known = zipf_frequency(cut, "en")
    return cut if known > 0 and known >= zipf_frequency(word, "en") - COMMONER_BY else word


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
