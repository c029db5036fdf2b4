"""Reading words, sentences and listed terms out of text, the way the built-in checks need."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_LIST = re.compile(
    r"\b(?:words?|terms?|concepts?)\s*(?::|\(|—|-)\s*(?P<items>[^.;:()\n]+)", re.IGNORECASE
)


def number(word: str) -> int | None:
    """`3` or `three` as an int."""
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences by their end marks (a line break ends one too); empty pieces are dropped."""
    return [s for s in (piece.strip() for piece in _SENTENCE_END.split(text.strip())) if s]


def _forms(word: str) -> str:
    """A regex of a word's common inflections: dog/dogs, bake/baked/baking, city/cities,
    run/running, storm/stormy. Nothing looser: "chalkboard" does not use "chalk"."""
    w = re.escape(word.lower())
    variants = [w + "(?:s|es|ed|d|ing|er|ers|y)?"]
    if word.endswith("e"):
        variants.append(re.escape(word[:-1].lower()) + "(?:ing|er|ers)")
    if word.endswith("y"):
        variants.append(re.escape(word[:-1].lower()) + "(?:ies|ied|ier)")
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word.lower()):
        variants.append(w + re.escape(word[-1].lower()) + "(?:ed|ing|er|ers)")
    return "(?:" + "|".join(variants) + ")"


def uses(term: str, text: str) -> bool:
    """Whether `text` uses `term` (a word or phrase; its last word may be inflected)."""
    parts = term.lower().split()
    if not parts:
        return False
    pattern = r"\s+".join([*map(re.escape, parts[:-1]), _forms(parts[-1])])
    return re.search(rf"(?<![A-Za-z]){pattern}(?![A-Za-z])", text.lower()) is not None


def listed_terms(task: str) -> list[str]:
    """The terms a task lists after "words:", "concepts:" and the like ("use all of these
    words: dog, frisbee and park" gives three), in order, each once."""
    found: list[str] = []
    for match in _LIST.finditer(task):
        for item in re.split(r",|\band\b|\bor\b", match.group("items")):
            term = item.strip().strip("'\"‘’“”").strip()
            if term and len(term.split()) <= 3 and term.lower() not in found:
                found.append(term.lower())
    return found
