"""The answer's language, told by langdetect (its profiles ship in the package)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.record import CheckResult

LANGUAGES = {
    "english": "en", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "swedish": "sv", "danish": "da", "norwegian": "no",
    "finnish": "fi", "polish": "pl", "czech": "cs", "russian": "ru", "ukrainian": "uk",
    "turkish": "tr", "greek": "el", "arabic": "ar", "hebrew": "he", "hindi": "hi",
    "bengali": "bn", "japanese": "ja", "korean": "ko", "chinese": "zh-cn", "vietnamese": "vi",
    "thai": "th", "indonesian": "id", "swahili": "sw", "romanian": "ro", "hungarian": "hu",
}  # fmt: skip
_NAMES = "|".join(LANGUAGES)
_PHRASE = re.compile(
    rf"\b(?:respond|answer|reply|write|written|speak|be|only|entirely|wholly|completely)\s+"
    rf"(?:it\s+|only\s+|entirely\s+|completely\s+)?in\s+(?:the\s+)?(?P<lang>{_NAMES})\b"
    rf"|\b(?:use|using)\s+only\s+(?P<lang4>{_NAMES})\b"
    rf"(?!\s+(?:word|name|term|phrase|translation|food|cuisine|culture|history))"
    rf"|\b(?:in|into)\s+(?P<lang2>{_NAMES})\s*,?\s+(?:only|language)\b"
    rf"|\bno other language than\s+(?P<lang3>{_NAMES})\b",
    re.I,
)


@lru_cache(maxsize=1)
def _detect():  # type: ignore[no-untyped-def]
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0  # langdetect samples; a seed makes its verdict repeatable
    return detect


class Language(Check):
    name = "language"
    description = "The whole answer in one language, by ISO 639-1 code (`language=fr`)."
    value_field = "code"

    code: str = Field(pattern=r"^[a-z]{2}(-[a-z]{2})?$")

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = _PHRASE.search(task)
        if m is None or re.search(r"\btranslat", task, re.I):
            return []
        name = next(g for g in (m["lang"], m["lang2"], m["lang3"], m["lang4"]) if g).lower()
        return [cls(code=LANGUAGES[name]).read_from(m.group(0))]

    def run(self, task: str, text: str) -> CheckResult:
        from langdetect.lang_detect_exception import LangDetectException

        try:
            found = _detect()(text)
        except LangDetectException:
            found = "none"
        if found == self.code:
            return self.result(True, 1.0, f"written in {self.code}")
        name = next((n for n, c in LANGUAGES.items() if c == self.code), self.code)
        return self.result(False, 0.0, f"write the whole answer in {name.title()}, not {found}")
