"""Layout: a title in <<...>>, bullet points, marked sections, *highlights*, JSON, a
postscript, [placeholders], two answers separated by a line of asterisks."""

from __future__ import annotations

import json
import re
from typing import ClassVar, Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.counted import Counted
from noetic.agents.checks.flagged import Flagged
from noetic.agents.checks.phrases import NUM, counts, number, quoted, relate
from noetic.record import CheckResult

_BULLET = re.compile(r"^\s*(?:[*\-•]|\d+[.)])\s+\S", re.M)
_HIGHLIGHT = re.compile(r"\*\*?[^*\n]+\*\*?")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]+\]")


class Title(Flagged):
    name = "title"
    description = "A title wrapped in double angular brackets, like <<title>>."
    phrases = re.compile(
        r"\btitle[^.?!]{0,80}?(?:<<|double angular brackets|double angle brackets)"
        r"|(?:<<|double angular brackets|double angle brackets)[^.?!]{0,40}?\btitle",
        re.I,
    )
    fix = "give a title wrapped in double angular brackets, like <<title>>"

    def holds(self, text: str) -> bool:
        return re.search(r"<<[^<>\n]+>>", text) is not None


class Bullets(Counted):
    name = "bullets"
    description = "Markdown bullet points (`bullets=3`)."
    unit = "bullet points"
    unit_pattern = r"(?:markdown\s+)?bullet(?:\s+points?|s)?|bulleted items|list items"

    def count(self, text: str) -> int:
        return len(_BULLET.findall(text))


class Highlights(Counted):
    name = "highlights"
    description = "Parts highlighted with markdown, *like this* (`highlights>=2`)."
    unit = "highlighted parts"

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        for m in re.finditer(r"\bhighlight\w*[^.?!]*", task, re.I):
            if "*" not in m.group(0) and "markdown" not in m.group(0).lower():
                continue
            clause = re.split(r"\b(?:like|such as|e\.g\.|for example)\b|\*", m.group(0))[0]
            n = re.search(rf"\b(?P<rel>at least|at most|exactly|more than|no more than)?\s*"
                          rf"\b(?P<n>{NUM})\b", clause, re.I)  # fmt: skip
            count = number(n["n"]) if n else None
            low, high = relate(n["rel"], None, count) if n and count else (1, None)
            return [cls(at_least=low, at_most=high).read_from(m.group(0))]
        return []

    def count(self, text: str) -> int:
        return sum(1 for h in _HIGHLIGHT.findall(text) if h.strip("* "))


class Placeholders(Counted):
    name = "placeholders"
    description = "Placeholders in square brackets, like [name] (`placeholders>=2`)."
    unit = "placeholders in [brackets]"
    unit_pattern = r"placeholders?"

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        if counted := super().infer(task):
            return counted
        m = re.search(r"\bplaceholders?\b[^.?!]*", task, re.I)
        if m is None or not re.search(r"square brackets|\[[^\]]+\]", m.group(0), re.I):
            return []
        listed = len(_PLACEHOLDER.findall(m.group(0)))
        example = re.search(r"\b(?:such as|like|e\.g\.|for example)\b", m.group(0), re.I)
        return [cls(at_least=1 if example or listed < 2 else listed).read_from(m.group(0))]

    def count(self, text: str) -> int:
        return len(_PLACEHOLDER.findall(text))


class Sections(Counted):
    name = "sections"
    description = "Sections that each begin with a marker (`sections:Section=3`)."
    key_field = "marker"
    unit = "sections"

    marker: str = Field(min_length=1)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        marker = re.search(
            r"\b(?:mark|begin|start|label|head|title)\w*\s+(?:the beginning of\s+)?"
            r"(?:each|every)\s+"
            r"(?:\w+'s\s+)?(?:section|part|day|step|chapter|week)\w*\s+with\s+(?:the word\s+)?"
            r"['\"‘“]?(?P<m>[A-Za-z]+)\s+(?:X|N|#|\d|\{[^}]*\})"
            r"|\b(?:labeled|labelled|titled|named|called|headed)\s+['\"‘“]?(?P<m2>[A-Za-z]+)\s+(?:X|N|\d)",
            task,
            re.I,
        )
        if marker is None:
            return []
        word = marker["m"] or marker["m2"]
        found = counts(rf"(?:sections?|parts?|chapters?|{re.escape(word.lower())}s?)", task)
        if not found:
            return []
        (low, high), phrase = found[0]
        return [cls(marker=word, at_least=low, at_most=high).read_from(
            f"{phrase} … {marker.group(0)}")]  # fmt: skip

    def count(self, text: str) -> int:
        return len(re.findall(rf"^\W*{re.escape(self.marker)}\s+\S", text, re.M))


class JsonFormat(Flagged):
    name = "json"
    description = "The whole answer is valid JSON (a ```json fence is allowed)."
    phrases = re.compile(
        r"\b(?:in|as|using|into)\s+(?:valid\s+|proper\s+)?JSON(?:\s+format)?\b"
        r"|\bJSON\s+format\b|\bwrapped in JSON\b|\b(?:valid|a)\s+JSON\s+object\b",
        re.I,
    )
    fix = "answer with valid JSON only"

    def holds(self, text: str) -> bool:
        body = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text.strip(), flags=re.I)
        try:
            json.loads(body)
        except ValueError:
            return False
        return True


class Postscript(Check):
    name = "postscript"
    description = "Ends with a postscript starting with a marker (`postscript=P.S.`)."
    value_field = "marker"

    marker: str = Field("P.S.", min_length=1)

    _PHRASE: ClassVar[re.Pattern[str]] = re.compile(
        r"\b(?:post-?script|P\.\s?P?\.?\s?S\.)[^.?!]*?(?:start|begin)\w*\s+with\s+"
        r"(?P<m>\"[^\"]+\"|'[^']+'|“[^”]+”|P\.\s?(?:P\.\s?)?S\.?)"
        r"|\b(?:add|include|end with|finish with|append|with)\s+a\s+(?:post-?script|"
        r"(?P<m2>P\.\s?(?:P\.\s?)?S\.?))",
        re.I,
    )

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = cls._PHRASE.search(task)
        if m is None:
            return []
        raw = m["m"] or m["m2"] or "P.S."
        marker = (quoted(raw) or [raw])[0].strip()
        return [cls(marker=marker).read_from(m.group(0))]

    def run(self, task: str, text: str) -> CheckResult:
        if re.search(rf"^\s*{re.escape(self.marker)}", text, re.M | re.I):
            return self.result(True, 1.0, "has the postscript")
        return self.result(False, 0.0, f"end with a postscript starting with {self.marker}")


class TwoAnswers(Check):
    name = "two_answers"
    description = "Two different answers separated by a line (`two_answers=******`)."
    value_field = "separator"

    separator: str = Field("******", min_length=1)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = re.search(
            r"\b(?:two|2)\s+(?:different\s+|distinct\s+|separate\s+)?\w+s\b[^.?!]*?separated\s+by"
            r"[^?!]*?(?P<sep>\*{3,}|-{3,}|={3,}|six asterisks|6 asterisks)",
            task,
            re.I,
        )
        if m is None:
            return []
        separator = m["sep"] if m["sep"][0] in "*-=" else "******"
        return [cls(separator=separator).read_from(m.group(0))]

    def run(self, task: str, text: str) -> CheckResult:
        parts = [p.strip() for p in text.split(self.separator)]
        if len(parts) == 2 and all(parts) and parts[0] != parts[1]:
            return self.result(True, 1.0, "gives two answers")
        return self.result(
            False, 0.0, f"give two different answers separated by a line {self.separator}"
        )
