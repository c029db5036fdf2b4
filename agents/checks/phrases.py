"""Reading an instruction's numbers and relations out of a task: "at most 50 words", "less than
5 sentences" (at most 4), "between 100 and 150 words", "the letter q at least three times".

Only what can be read exactly binds a check; anything looser is left alone, because a missing
check costs less than a wrong one.
"""

from __future__ import annotations

import re

_NUMBERS = {
    "once": 1, "twice": 2, "thrice": 3,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "single": 1,
}  # fmt: skip
NUM = r"(?:\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_AT_LEAST = r"at least|no fewer than|no less than|not less than|a minimum of|minimum of|min\.?"
_AT_MOST = (
    r"at most|no more than|not more than|a maximum of|maximum of|max\.?|up to|within|"
    r"not exceeding|not to exceed|no longer than"
)
_BELOW = r"less than|fewer than|under|below|shorter than"
_ABOVE = r"more than|over|above|longer than"
_EXACT = r"exactly|precisely|just|only"
_RELATION = rf"(?P<rel>{_AT_LEAST}|{_AT_MOST}|{_BELOW}|{_ABOVE}|{_EXACT})"
_AFTER = r"(?P<after>\s+or\s+(?:more|fewer|less|longer|shorter)|\+)"
# A bare count needs a writing verb or preposition before it ("in 3 sentences", "write three
# sentences"): "a story about three sentences a judge wrote" states no length.
_BARE_LEAD = (
    r"(?:\bin|\bwrite|\busing|\buse|\bwith|\bof|\bgive(?: me)?|\bcontain(?:s|ing)?|\bhave|"
    r"\binto|\binclude|\bprovide|\blist|\bbe|\bhas|\bacross|\bspan)\s+"
)

Bounds = tuple[int | None, int | None]


def number(word: str) -> int | None:
    """`3`, `three` or `twice` as an int."""
    return int(word) if word.isdigit() else _NUMBERS.get(word.lower())


def relate(rel: str | None, after: str | None, n: int) -> Bounds:
    """(at least, at most) for "REL n" or "n or more"."""
    rel = (rel or "").lower()
    after = (after or "").strip().lower()
    if re.fullmatch(_AT_LEAST, rel) or after in ("or more", "or longer", "+"):
        return n, None
    if re.fullmatch(_AT_MOST, rel) or after in ("or fewer", "or less", "or shorter"):
        return None, n
    if re.fullmatch(_BELOW, rel):
        return None, n - 1
    if re.fullmatch(_ABOVE, rel):
        return n + 1, None
    return n, n


def counts(unit: str, task: str, *, bare: bool = True) -> list[tuple[Bounds, str]]:
    """Every stated count of `unit` (a regex of the unit's words) in `task`, with its phrase.

    `bare=False` reads only counts with a relation ("at least 3"); with `bare`, "in 3 X",
    "write three X" and "a 4-X essay" read as exactly."""
    found: list[tuple[Bounds, str]] = []
    taken: list[tuple[int, int]] = []
    between = re.compile(
        rf"\bbetween\s+(?P<a>{NUM})\s+(?:and|to)\s+(?P<b>{NUM})\s+{unit}\b"
        rf"|\b(?P<c>\d+)\s*(?:-|–|to)\s*(?P<d>\d+)\s+{unit}\b"
        rf"|\b(?P<e>{NUM})\s+or\s+(?P<f>{NUM})\s+{unit}\b",
        re.I,
    )
    for m in between.finditer(task):
        low, high = number(m["a"] or m["c"] or m["e"]), number(m["b"] or m["d"] or m["f"])
        if low is not None and high is not None and low <= high:
            found.append(((low, high), m.group(0)))
            taken.append(m.span())
    # "3 bullet points per slide" counts slides, not the answer's bullets
    unit = rf"(?:{unit})\b(?!\s+(?:\w+\s+)?(?:per|each|every)\b)"
    related = re.compile(rf"\b{_RELATION}\s+(?:of\s+)?(?P<n>{NUM}){_AFTER}?\s+{unit}", re.I)
    after = re.compile(
        rf"(?P<lead>{_BARE_LEAD})?\b(?P<n>{NUM}){_AFTER}?\s+{unit}"
        rf"(?P<tail>\s+or\s+(?:more|fewer|less))?",
        re.I,
    )
    hyphen = re.compile(rf"\b(?P<n>{NUM})-{unit}", re.I)
    for pattern in (related, after, hyphen):
        for m in pattern.finditer(task):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                continue
            n = number(m["n"])
            groups = m.groupdict()
            groups["after"] = groups.get("after") or groups.get("tail")
            if (
                n is None
                or (
                    pattern is after
                    and not groups.get("after")
                    and not (bare and groups.get("lead"))
                )
                or (pattern is hyphen and not bare)
            ):
                continue
            found.append((relate(groups.get("rel"), groups.get("after"), n), m.group(0)))
            taken.append(m.span())
    return found


def quoted(text: str) -> list[str]:
    """The quoted pieces of `text`, in order ('x', "x", ‘x’, “x”)."""
    return [
        next(g for g in m.groups() if g is not None)
        for m in re.finditer(
            r"\"([^\"]+)\"|“([^”]+)”|‘([^’]+)’|(?<![A-Za-z])'([^']+)'(?![A-Za-z])", text
        )
    ]


def sentence_of(task: str, start: int, end: int) -> str:
    """The sentence of `task` around the span (for a phrase to show)."""
    left = max(task.rfind(mark, 0, start) for mark in (". ", "? ", "! ", "\n"))
    right = [i for i in (task.find(m, end) for m in (". ", "? ", "! ", "\n")) if i != -1]
    return task[left + 1 if left >= 0 else 0 : min(right) + 1 if right else len(task)].strip()
