"""Words the answer must use, must not use, or use a number of times; letter frequency."""

from __future__ import annotations

import re
from typing import ClassVar, Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.counted import Counted
from noetic.agents.checks.phrases import NUM, number, quoted, relate
from noetic.agents.checks.words import uses
from noetic.record import CheckResult

_END = r"(?=[.;!?\n]|$| to | in | when | while | so | because )"
_INCLUDE = re.compile(
    r"\b(?:include|includes|including|use|using|mention|mentioning|contain|containing|feature|"
    r"incorporate|have)\s+(?:the\s+|these\s+)?(?:following\s+)?(?:key\s?)?words?\s*:?\s*"
    rf"(?P<items>.+?){_END}",
    re.I,
)
_EXCLUDE = re.compile(
    r"\b(?:do not|don't|never|avoid|without|must not|should not|shouldn't|cannot|can't|not)\s+"
    r"(?:use|using|include|including|mention|mentioning|say|saying|contain|containing|"
    r"writ(?:e|ing))?\s*(?:any of\s+)?(?:the\s+)?(?:following\s+)?(?:key)?words?\s*:?\s*"
    rf"(?P<items>.+?){_END}",
    re.I,
)

_REL = r"(?P<rel>at least|at most|exactly|more than|less than|fewer than|no more than)"
_NEGATED = re.compile(r"(?:not|n't|never|without|avoid)\s*$", re.I)
_COUNTED = re.compile(rf"\b(?:times|twice|once|thrice)\b|\b{NUM}\s+times", re.I)


def _named(m: re.Match[str]) -> bool:
    """The phrase names its words: quoted, or after "keywords" / "the word(s)"."""
    return bool(quoted(m["items"])) or bool(
        re.search(r"key\s?words?\b|\bthe (?:following )?words?\b", m.group(0), re.I)
    )


def _items(text: str) -> list[str]:
    """The words a phrase lists: its quoted pieces, else the comma/and-separated ones (each at
    most two words); none when an item is longer (then the phrase is not a plain list)."""
    found = quoted(text)
    if not found:
        found = [p.strip() for p in re.split(r",|\band\b|\bor\b|\bnor\b", text) if p.strip()]
        if any(len(p.split()) > 2 for p in found):
            return []
    return list(dict.fromkeys(f.strip(" .,'\"").lower() for f in found if f.strip(" .,'\"")))


class _WordList(Check):
    """A list of words the answer must all use (`wanted`) or must not use."""

    value_field = "words"
    wanted: ClassVar[bool]
    phrase: ClassVar[re.Pattern[str]]

    words: list[str] = Field(min_length=1)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        found = []
        for m in cls.phrase.finditer(task):
            items = _items(m["items"])
            if items and _named(m) and not cls.skip(task, m):
                found.append(cls(words=items).read_from(m.group(0)))
        return found

    @classmethod
    def skip(cls, task: str, m: re.Match[str]) -> bool:
        """The phrase states another check's instruction."""
        return False

    def run(self, task: str, text: str) -> CheckResult:
        wrong = [w for w in self.words if uses(w, text) != self.wanted]
        if wrong:
            verb = "use" if self.wanted else "do not use"
            return self.result(
                False, 1 - len(wrong) / len(self.words), f"{verb} the words: {', '.join(wrong)}"
            )
        return self.result(True, 1.0, "uses every keyword" if self.wanted else "avoids them all")


class Keywords(_WordList):
    name = "keywords"
    description = "Uses each of these words (`keywords=budget,deadline`)."
    wanted = True
    phrase = _INCLUDE

    @classmethod
    def skip(cls, task: str, m: re.Match[str]) -> bool:
        """A negated phrase (`forbidden`), a count (`keyword`), or a list after a colon
        (`required_terms`)."""
        before, after = task[max(0, m.start() - 16) : m.start()], task[m.end() : m.end() + 24]
        return bool(
            _NEGATED.search(before)
            or _COUNTED.search(m["items"] + after)
            or (":" in m.group(0) and not re.search(r"key\s?words?", m.group(0), re.I))
        )


class Forbidden(_WordList):
    name = "forbidden"
    description = "Uses none of these words (`forbidden=rain,snow`)."
    wanted = False
    phrase = _EXCLUDE

    @classmethod
    def skip(cls, task: str, m: re.Match[str]) -> bool:
        """ "Without the letter e" is `letter`."""
        return re.match(r"\s*(?:the\s+)?letter", m["items"], re.I) is not None


class Keyword(Counted):
    name = "keyword"
    description = "How often one word appears (`keyword:blue>=3`)."
    key_field = "word"
    unit = "times"

    word: str = Field(min_length=1)

    _PHRASES: ClassVar[list[re.Pattern[str]]] = [
        re.compile(
            r"\b(?:the\s+)?(?:key)?word\s+['\"‘“](?P<w>[^'\"’”]+)['\"’”]\s+"
            r"(?:(?:should|must|has to|"
            r"needs to|is to)\s+)?(?:appears?|be used|is used|occurs?|shows? up)\s+"
            rf"{_REL}?\s*(?P<n>{NUM})(?:\s+times)?",
            re.I,
        ),
        re.compile(
            r"\b(?:use|mention|include|repeat|say)\s+(?:the\s+)?(?:key)?word\s+['\"‘“](?P<w>[^'\"’”]+)"
            rf"['\"’”]\s+{_REL}?"
            rf"\s*(?P<n>{NUM})(?:\s+times)?",
            re.I,
        ),
    ]

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        found = []
        for pattern in cls._PHRASES:
            for m in pattern.finditer(task):
                n = number(m["n"])
                if n is None or not (m["rel"] or re.search(r"times|twice|once|thrice", m.group(0))):
                    continue
                low, high = relate(m["rel"], None, n)
                found.append(
                    cls(word=m["w"].strip().lower(), at_least=low, at_most=high).read_from(
                        m.group(0)
                    )
                )
        return found

    def count(self, text: str) -> int:
        return len(re.findall(rf"(?<![\w]){re.escape(self.word)}(?![\w])", text, re.I))

    def wanted(self) -> str:
        return f"use '{self.word}' {super().wanted()}"


class Letter(Counted):
    name = "letter"
    description = "How often one letter appears, any case (`letter:q>=3`, `letter:e=0`)."
    key_field = "letter"
    unit = "times"

    letter: str = Field(pattern=r"^[A-Za-z]$")

    _WITHOUT: ClassVar[re.Pattern[str]] = re.compile(
        r"\b(?:without(?: using)?|do not use|don't use|never use|avoid(?: using)?|no)\s+(?:the\s+)?"
        r"letter\s+['\"‘“]?(?P<l>[A-Za-z])\b['\"’”]?",
        re.I,
    )
    _COUNT: ClassVar[re.Pattern[str]] = re.compile(
        r"\bletter\s+['\"‘“]?(?P<l>[A-Za-z])\b['\"’”]?\s+(?:(?:should|must|has to|needs to)\s+)?"
        r"(?:appears?|be used|is used|occurs?|shows? up)\s+"
        rf"{_REL}?\s*(?P<n>{NUM})"
        r"(?:\s+times)?",
        re.I,
    )

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        found = [cls(letter=m["l"].lower(), at_most=0).read_from(m.group(0))
                 for m in cls._WITHOUT.finditer(task)]  # fmt: skip
        for m in cls._COUNT.finditer(task):
            n = number(m["n"])
            if n is not None:
                low, high = relate(m["rel"], None, n)
                found.append(
                    cls(letter=m["l"].lower(), at_least=low, at_most=high).read_from(m.group(0))
                )
        return found

    def count(self, text: str) -> int:
        return text.lower().count(self.letter.lower())

    def wanted(self) -> str:
        if self.at_most == 0:
            return f"do not use the letter '{self.letter}'"
        return f"use the letter '{self.letter}' {super().wanted()}"
