"""`form`: length and form the task states (IFEval-style verifiable instructions): how many
sentences or words, a word that must or must not appear, the first word, all lowercase."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.words import number, sentences, uses, words
from noetic.errors import CheckError
from noetic.record import CheckResult

_N = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_QUOTED = r"['\"‘“]?([A-Za-z]+)['\"’”]?"
_NEGATED = re.compile(r"(?:not|n't|never|without)\s+$", re.I)
_READERS: list[tuple[str, re.Pattern[str]]] = [
    (key, re.compile(pattern, re.I))
    for key, pattern in (
        ("sentence_range", rf"\b{_N} or {_N} sentences?\b"),
        ("sentences", rf"\b(?:exactly|in|write) {_N} sentences?\b"),
        ("max_words", rf"\b(?:at most|no more than|under) {_N} words\b"),
        (
            "must_not",
            r"\b(?:do not|don't|never|without) (?:use|using|say|saying|mention|mentioning) "
            rf"the word {_QUOTED}",
        ),
        ("must", rf"\b(?:include|use|contain|mention) the word {_QUOTED}"),
        ("first_word", rf"\b(?:start|begin)s? (?:it |your answer )?with the word {_QUOTED}"),
        ("lowercase", r"\b(?:all|only|entirely in) lower-?case\b|\blower-?case letters\b"),
    )
]


class Form(Check):
    """Every stated constraint is one part of the score; all must hold to pass."""

    name = "form"
    description = "Sentences, words, must / must not contain, first word, all lowercase."

    sentences: int | None = Field(None, ge=1)
    min_sentences: int | None = Field(None, ge=1)
    max_sentences: int | None = Field(None, ge=1)
    max_words: int | None = Field(None, ge=1)
    must_contain: list[str] = Field(default_factory=list)
    must_not_contain: list[str] = Field(default_factory=list)
    first_word: str | None = None
    lowercase: bool = False

    def stated(self) -> bool:
        return any(
            (
                self.sentences, self.min_sentences, self.max_sentences, self.max_words,
                self.must_contain, self.must_not_contain, self.first_word, self.lowercase,
            )
        )  # fmt: skip

    def for_task(self, task: str) -> Self:
        if self.stated():
            return self
        update: dict[str, object] = {"must_contain": [], "must_not_contain": []}
        for key, pattern in _READERS:
            for m in pattern.finditer(task):
                if key == "sentence_range":
                    update["min_sentences"], update["max_sentences"] = (
                        number(m.group(1)), number(m.group(2))
                    )  # fmt: skip
                elif key == "sentences" and "min_sentences" not in update:
                    update["sentences"] = number(m.group(1))
                elif key == "max_words":
                    update["max_words"] = number(m.group(1))
                elif key == "must_not":
                    update["must_not_contain"].append(m.group(1).lower())  # type: ignore[attr-defined]
                elif key == "must" and not _NEGATED.search(task[: m.start()]):
                    update["must_contain"].append(m.group(1).lower())  # type: ignore[attr-defined]
                elif key == "first_word":
                    update["first_word"] = m.group(1)
                elif key == "lowercase":
                    update["lowercase"] = True
        bound = self.model_copy(update=update)
        if not bound.stated():
            raise CheckError(
                "check 'form' found no length or form stated in the task",
                'state one ("in exactly 2 sentences", "do not use the word X", ...) '
                "or pass parameters",
            )
        return bound

    def run(self, task: str, text: str) -> CheckResult:
        failures = [problem for problem in self._problems(text) if problem]
        total = self._count()
        if failures:
            return self.result(False, 1 - len(failures) / total, "; ".join(failures))
        return self.result(True, 1.0, "meets the stated form")

    def _count(self) -> int:
        ranged = self.min_sentences is not None or self.max_sentences is not None
        return max(
            1,
            sum(x is not None for x in (self.sentences, self.max_words, self.first_word))
            + ranged + len(self.must_contain) + len(self.must_not_contain) + self.lowercase,
        )  # fmt: skip

    def _problems(self, text: str) -> list[str | None]:
        count = len(sentences(text))
        out: list[str | None] = []
        if self.sentences is not None and count != self.sentences:
            out.append(f"write exactly {self.sentences} sentences, not {count}")
        low, high = self.min_sentences, self.max_sentences
        if low and high and not low <= count <= high:
            out.append(f"write {low} to {high} sentences, not {count}")
        elif low and not high and count < low:
            out.append(f"write at least {low} sentences, not {count}")
        elif high and not low and count > high:
            out.append(f"write at most {high} sentences, not {count}")
        if self.max_words is not None and len(words(text)) > self.max_words:
            out.append(f"use at most {self.max_words} words, not {len(words(text))}")
        out += [f"use the word '{w}'" for w in self.must_contain if not uses(w, text)]
        out += [f"do not use the word '{w}'" for w in self.must_not_contain if uses(w, text)]
        first = words(text)[:1]
        if self.first_word and (not first or first[0].lower() != self.first_word.lower()):
            out.append(f"start with the word '{self.first_word}'")
        if self.lowercase and text != text.lower():
            out.append("write only lowercase letters")
        return out
