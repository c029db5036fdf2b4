"""Letter case: all lowercase, all capitals, how many words are written in capitals."""

from __future__ import annotations

import re
from typing import ClassVar, Self

from noetic.agents.checks.counted import Counted
from noetic.agents.checks.flagged import Flagged
from noetic.agents.checks.phrases import NUM, number, relate
from noetic.agents.checks.words import words

_CAPS = (
    r"(?:all[- ]capital(?:ized)? letters|all[- ]caps|capital letters|uppercase|upper case|capitals)"
)


class Lowercase(Flagged):
    name = "lowercase"
    description = "The whole answer in lowercase letters."
    phrases = re.compile(
        r"\b(?:in|using|use|write|written|respond|answer|reply|be|all|only|entirely|completely|"
        r"fully|wholly)\s+(?:all\s+|only\s+|entirely\s+|completely\s+)?(?:in\s+)?lower[- ]?case"
        r"(?:\s+letters)?\b|\bno capital letters\b|\bwithout (?:any )?capital letters\b",
        re.I,
    )
    fix = "write only lowercase letters"

    def holds(self, text: str) -> bool:
        return text == text.lower()


class Uppercase(Flagged):
    name = "uppercase"
    description = "The whole answer in capital letters."
    phrases = re.compile(
        rf"\b(?:entire|whole|all of (?:your|the)|full)\s+(?:response|answer|reply|text|output)"
        rf"[^.?!]*?\b(?:in|be|use|using)\s+(?:all\s+|only\s+)?{_CAPS}"
        rf"|\b(?:respond|answer|reply|write|written|shout)\s+(?:it\s+|everything\s+)?"
        rf"(?:only\s+|entirely\s+|completely\s+)?in\s+(?:all\s+)?{_CAPS}"
        rf"(?!\s+(?:for|at|should|must|appear))"
        rf"|\buse\s+(?:only\s+)?all\s+{_CAPS}(?!\s+(?:for|at|should|must|appear))"
        rf"|\bin\s+all\s+{_CAPS}(?:\s+letters)?\s*(?:only)?(?=[.,;!]|$)",
        re.I,
    )
    fix = "write the whole answer in capital letters"

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        if CapitalWords.infer(task):
            return []  # "words in all capitals should appear 3 times" counts words
        return super().infer(task)

    def holds(self, text: str) -> bool:
        return text == text.upper()


class CapitalWords(Counted):
    name = "capital_words"
    description = "How many words are written in capitals (`capital_words>=2`)."
    unit = "words in capitals"

    unit_pattern = rf"words?\s+(?:in|with|written in|using)\s+(?:all\s+)?{_CAPS}"
    bare_counts = False

    _PHRASES: ClassVar[list[re.Pattern[str]]] = [
        re.compile(
            rf"\bwords?\s+(?:in|with|written in|using)\s+(?:all\s+)?{_CAPS}[^.?!]*?"
            rf"(?P<rel>at least|at most|more than|less than|fewer than|no more than|exactly)\s+"
            rf"(?P<n>{NUM})(?:\s+times)?",
            re.I,
        ),
        re.compile(
            rf"(?P<rel>at least|at most|more than|less than|fewer than|no more than|exactly)\s+"
            rf"(?P<n>{NUM})\s+(?:words?|times)\s+(?:in|with|written in|using)\s+(?:all\s+)?{_CAPS}",
            re.I,
        ),
    ]

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        if ranged := super().infer(task):
            return ranged[:1]
        for pattern in cls._PHRASES:
            for m in pattern.finditer(task):
                n = number(m["n"])
                if n is not None:
                    low, high = relate(m["rel"], None, n)
                    return [cls(at_least=low, at_most=high).read_from(m.group(0))]
        return []

    def count(self, text: str) -> int:
        return sum(1 for w in words(text) if len(w) > 1 and w.isalpha() and w.isupper())
