"""Reading words, sentences and listed terms out of text, the way the built-in checks need."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n\s*\*\*\*+\s*\n")
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
    """Word tokens as regex tokenizers count them (`\\w+`): digits count, "don't" is two."""
    return WORD.findall(text)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[str]:
    """Sentences as pysbd's rule-based segmenter reads them ("Dr. Smith" and "3.5" end none; as
    in common tokenizers, a line break alone ends none); pieces without a word are dropped."""
    flat = " ".join(text.split())
    pieces = (piece.strip() for piece in _segmenter().segment(flat)) if flat else ()
    return [piece for piece in pieces if WORD.search(piece)]


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines (or a `***` line), each with a word in it."""
    return [p for p in (b.strip() for b in _PARAGRAPH_BREAK.split(text.strip())) if WORD.search(p)]


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
