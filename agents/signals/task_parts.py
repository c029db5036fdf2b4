"""What a task names, read by rule: its content words and the parts an answer must address.

It also reads the reply length a task asks for ("at least 300 words"), so an answer can be
that long. A part is something the task lists or names: the concepts to join ("…philosophy:
glacier, jazz, moss"), the domains to read a word across, the figure of a myth and the field
of the hypothesis ("the myth of Icarus as a hypothesis about climate science"), the items asked
for ("give its goal and two rules"). Words are tokenized by wordfreq (a maintained library that
ships its word-frequency data) and compared by a short stem, so "rules" meets "rule" and
"fermentation" meets "fermenting".
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel
from wordfreq import tokenize, zipf_frequency

COMMON = 6.2
"""Zipf frequency (log10 per billion words) from which a word is a function word, not content:
"the" 7.7, "is" 7.1, "people" 6.25; "many" 5.9 and "important" 5.4 stay content, but weigh
little (`specificity`)."""
STEM = 5
LEAD = frozenset(
    """a an the its their his her your our my this that these those some any each every both
    give gives name list state describe explain write use using with and or of for to in on
    one two three four five six seven eight nine ten single at least most exactly""".split()
)
"""Words that open a listed part without being it ("give its goal", "two rules")."""
_MYTH = re.compile(
    r"\b(?:myth|legend|story|fable|tale)\s+of\s+([^,.;:]+?)(?=\s+as\b|[,.;:]|$)", re.I
)
_AS = re.compile(r"\bas\s+an?\s+([\w\s-]+?)\s+(?:about|of|for|in|on)\s+([^,.;:?]+)", re.I)
_QUOTED = re.compile(r"[\"“']([^\"”']{2,40})[\"”']")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bor\b|&)\s*", re.I)


def words(text: str) -> list[str]:
    """Lower-case word tokens, as wordfreq splits them."""
    return [w for w in tokenize(text, "en") if any(ch.isalpha() for ch in w)]


def stem(word: str) -> str:
    """A short stem: plural s dropped, then the first five letters."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:STEM]


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def is_content(word: str) -> bool:
    return len(word) > 2 and word.isalpha() and zipf(word) < COMMON


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if is_content(w)}


class Part(BaseModel):
    """One part the task names: its words as written, and their stems."""

    text: str
    stems: frozenset[str]

    def addressed(self, stems: set[str]) -> bool:
        return bool(self.stems & stems)


class TaskReading(BaseModel):
    """A task read once per judgment: its content stems and the parts it names."""

    text: str
    stems: frozenset[str]
    parts: list[Part]

    @classmethod
    def of(cls, task: str) -> TaskReading:
        return _reading(task)


def _part(phrase: str) -> Part | None:
    kept = [w for w in words(phrase) if w not in LEAD]
    stems = frozenset(stem(w) for w in kept if is_content(w))
    return Part(text=" ".join(kept), stems=stems) if stems else None


def _listed(task: str) -> list[str]:
    """The items of a list after a colon, up to the end of that sentence."""
    found = []
    for _, after in re.findall(r"(:)\s*([^.?!:]+)", task):
        items = [i for i in _SPLIT.split(after) if i.strip()]
        if len(items) >= 2:
            found += items
    return found


@lru_cache(maxsize=256)
def _reading(task: str) -> TaskReading:
    phrases = _listed(task)
    phrases += [m.group(1) for m in _MYTH.finditer(task)]
    for m in _AS.finditer(task):
        phrases += [m.group(1), m.group(2)]
    phrases += [m.group(1) for m in _QUOTED.finditer(task)]
    parts: list[Part] = []
    for phrase in phrases:
        part = _part(phrase)
        if part is not None and all(part.stems != p.stems for p in parts):
            parts.append(part)
    return TaskReading(text=task, stems=frozenset(content_stems(task)), parts=parts)


TOKENS_PER_WORD = 1.6
"""SmolLM2's tokenizer writes about 1.3 tokens per English word; the rest is headroom."""
MAX_ANSWER_TOKENS = 4096
_LENGTH = re.compile(
    r"\b(?:at least|minimum of|no fewer than|around|about|roughly|approximately|exactly)?\s*"
    r"(\d{2,4})[\s-]*words?\b",
    re.I,
)


def answer_tokens(task: str, base: int) -> int:
    """The reply length a task asks for ("at least 300 words"), never below `base`."""
    asked = [int(m.group(1)) for m in _LENGTH.finditer(task)]
    wanted = int(max(asked) * TOKENS_PER_WORD) + 32 if asked else 0
    return min(MAX_ANSWER_TOKENS, max(base, wanted))
