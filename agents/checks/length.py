"""Length in words, sentences, paragraphs and characters."""

from __future__ import annotations

from noetic.agents.checks.counted import Counted
from noetic.agents.checks.words import paragraphs, sentences, words


class Words(Counted):
    name = "words"
    description = "Length in words (`words<=50`, `words>=300`, `words=40..60`)."
    unit = "words"
    unit_pattern = r"words?(?!\s+(?:in|with|written in|using)\s+(?:all\s+)?(?:caps|capital|upper))"
    bare_counts = False  # "a 100-word story" is a rough size; "in at most 100 words" is a limit

    def count(self, text: str) -> int:
        return len(words(text))


class Sentences(Counted):
    name = "sentences"
    description = "Length in sentences (`sentences=3`, `sentences<=4`)."
    unit = "sentences"
    unit_pattern = r"(?:full |complete )?sentences?"

    def count(self, text: str) -> int:
        return len(sentences(text))


class Paragraphs(Counted):
    name = "paragraphs"
    description = "Paragraphs, separated by blank lines (`paragraphs=3`)."
    unit = "paragraphs"
    unit_pattern = r"paragraphs?"

    def count(self, text: str) -> int:
        return len(paragraphs(text))


class Characters(Counted):
    name = "characters"
    description = "Length in characters, spaces included (`characters<=280`)."
    unit = "characters"
    unit_pattern = r"(?:characters?|chars)"
    bare_counts = False

    def count(self, text: str) -> int:
        return len(text.strip())
