"""Punctuation: no commas, the whole answer in double quotes, an exact closing phrase."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.flagged import Flagged
from noetic.agents.checks.phrases import quoted
from noetic.record import CheckResult


class NoCommas(Flagged):
    name = "no_commas"
    description = "No commas anywhere."
    phrases = re.compile(
        r"\b(?:no|without(?: using)?(?: any)?|do not use(?: any)?|don't use(?: any)?|"
        r"avoid(?: using)?"
        r"(?: any)?|refrain from using(?: any)?|never use|not use any|free of)\s+commas\b"
        r"|\bcommas? (?:is|are) not allowed\b|\bcomma-free\b",
        re.I,
    )
    fix = "use no commas"

    def holds(self, text: str) -> bool:
        return "," not in text


class Quoted(Flagged):
    name = "quoted"
    description = "The whole answer wrapped in double quotation marks."
    phrases = re.compile(
        r"\b(?:wrap|enclose|put|surround|place)\w*\s+(?:your\s+|the\s+)?(?:entire\s+|whole\s+|full\s+)?"
        r"(?:response|answer|reply|output|text)\s+(?:in|with|inside|within|between)\s+"
        r"(?:a pair of\s+)?"
        r"double[- ]quot\w*(?:\s+marks)?"
        r"|\b(?:response|answer|reply|output)\s+(?:should|must)\s+be\s+(?:wrapped|enclosed|put|"
        r"placed)\s+(?:in|with|inside|within)\s+double[- ]quot\w*(?:\s+marks)?",
        re.I,
    )
    fix = "wrap the whole answer in double quotation marks"

    def holds(self, text: str) -> bool:
        t = text.strip()
        return len(t) > 1 and t[0] in '"“' and t[-1] in '"”'


class EndsWith(Check):
    name = "ends_with"
    description = "Ends with an exact phrase (`ends_with='Any other questions?'`)."
    value_field = "phrase"

    phrase: str = Field(min_length=1)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = re.search(
            r"\b(?:end|finish|conclude|close|wrap up)\w*\s+(?:your\s+|the\s+|it\s+|each\s+)?"
            r"(?:entire\s+|whole\s+)?(?:response|answer|reply|email|letter|message|story|poem|text)?\s*"
            r"(?:with|by saying|by writing)\s+(?:the\s+|this\s+)?(?:exact\s+|following\s+)?"
            r"(?:phrase|sentence|words?|line|question)?\s*:?\s*"
            r"(?P<q>\"[^\"]+\"|“[^”]+”|'[^']+'(?![A-Za-z]))",
            task,
            re.I,
        )
        if m is None or "postscript" in m.group(0).lower():
            return []
        phrase = quoted(m["q"])
        return [cls(phrase=phrase[0]).read_from(m.group(0))] if phrase else []

    def run(self, task: str, text: str) -> CheckResult:
        end = text.strip().rstrip("\"”'’").strip()
        if end.endswith(self.phrase.strip()):
            return self.result(True, 1.0, "ends with the phrase")
        return self.result(False, 0.0, f'end with the exact phrase "{self.phrase}"')
