"""How the answer starts: a given first word, or the request repeated word for word."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.phrases import quoted, sentence_of
from noetic.agents.checks.words import words
from noetic.record import CheckResult


class FirstWord(Check):
    name = "first_word"
    description = "The answer's first word (`first_word=Imagine`)."
    value_field = "word"

    word: str = Field(min_length=1)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = re.search(
            r"\b(?:start|begin|open)\w*\s+(?:your\s+|the\s+|it\s+|each\s+)?(?:entire\s+)?"
            r"(?:response|answer|reply|text|story|poem|email|letter)?\s*with\s+the\s+word\s+"
            r"(?P<w>['\"‘“]?[A-Za-z]+['\"’”]?)"
            r"|\bfirst word\s+(?:of\s+(?:your|the)\s+\w+\s+)?(?:should|must)\s+be\s+"
            r"(?P<w2>['\"‘“]?[A-Za-z]+['\"’”]?)",
            task,
            re.I,
        )
        if m is None:
            return []
        word = (m["w"] or m["w2"]).strip("'\"‘’“”")
        return [cls(word=word).read_from(m.group(0))]

    def run(self, task: str, text: str) -> CheckResult:
        first = words(text)[:1]
        if first and first[0].lower() == self.word.lower():
            return self.result(True, 1.0, "starts with the word")
        return self.result(False, 0.0, f"start with the word '{self.word}'")


def _flat(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class RepeatRequest(Check):
    name = "repeat_request"
    description = "Repeats the request word for word first (read from the task)."
    value_field = "request"

    request: str = ""

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = re.search(
            r"\b(?:first\s+)?repeat\s+(?:the|my|this|our)\s+(?:request|question|prompt|"
            r"instruction)s?[^.?!]*",
            task,
            re.I,
        )
        if m is None:
            return []
        instruction = sentence_of(task, m.start(), m.end())
        given = quoted(instruction)
        request = given[0] if given and len(given[0].split()) > 3 else task.replace(instruction, "")
        return [cls(request=request.strip() or task.strip()).read_from(instruction)]

    def for_task(self, task: str) -> Self:
        if self.request:
            return self
        inferred = self.infer(task)
        return inferred[0] if inferred else self.model_copy(update={"request": task})

    def run(self, task: str, text: str) -> CheckResult:
        if _flat(text).startswith(_flat(self.request)):
            return self.result(True, 1.0, "repeats the request first")
        return self.result(False, 0.0, "first repeat the request word for word, then answer")
