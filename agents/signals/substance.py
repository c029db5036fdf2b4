"""Substance: whether an answer says something, read from its words against the task's.

A small model's likelihood prefers short common words and the task's own words, so fluency and
PMI rank "X is an important topic that people have studied for many years" and a restatement
of the task above an answer with content. These four signals read what likelihood misses:

- `informativeness`: the content an answer adds beyond the task, each new word weighted by how
  specific it is (word frequency, from wordfreq), so "important", "many" and "interesting"
  count for little and "evaporation" counts in full;
- `coverage`: the share of the parts the task names (concepts, domains, items asked for) that
  the answer addresses; absent when the task names none;
- `no_echo`: the share of the answer's content that is new rather than the task's own words;
- `no_meta`: the share of sentences that answer rather than talk about the answer or the task.
"""

from __future__ import annotations

import math
import re

from noetic.agents.signals.task_parts import TaskReading, is_content, stem, words, zipf
from noetic.agents.signals.text import Reading, TextSignal

VAGUE = frozenset(
    """important interesting significant various different several certain unique fascinating
    crucial essential key main major overall aspect aspects topic topics concept concepts idea
    ideas notion way ways thing things stuff role roles factor factors element elements issue
    issues matter area areas field context sense nature kind type sort lot lots great good
    better best new novel creative coherent whole together combine combined combining combines
    connect connected connects connection explore explores exploring approach""".split()
)
"""Words that name nothing however rare they are: what a hollow answer is made of."""
SPECIFIC_AT = 3.0
"""Zipf frequency at which a new word counts in full; it counts nothing from `COMMON_AT`."""
COMMON_AT = 5.5
SATURATION = 5.0
"""Specific new words at which informativeness reaches 0.63 (1 - 1/e)."""
NEW_SHARE = 0.6
"""Share of new content words from which an answer is no echo at all."""
ECHO_FLOOR = 0.5
"""`no_echo` below this is an echo of the task: a hard failure, like a failed hard check."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+")
_OPENS = re.compile(r"(?:^|[.!?:;\n][\"')\]]*)\s*[\"'(\[]*$")
_ANSWER = r"(?:answer|response|explanation|reply|solution|retelling|proposal|advice|plan)"
_ITSELF = (
    r"(?:idea|answer|response|story|narrative|philosophy|proposal|approach|concept|hypothesis|"
    r"explanation|game|worldview|retelling|combination|reading|interpretation|advice|plan)"
)
_META = re.compile(
    r"|".join(
        [
            # the answer described instead of given: "the answer should link ...", "this
            # explanation makes it easy", "this idea brings them together"
            rf"\b{_ANSWER}s? (?:\w+ ){{0,2}}?(?:should|would|could|must|needs?|will|has to)\b",
            rf"\bthis {_ANSWER}\b(?! is that)",
            rf"\b(?:this|the|my|our|such an?) {_ITSELF}s? (?:\w+ ){{0,2}}?"
            r"(?:brings?|combines?|connects?|shows?|explores?|highlights?|addresses|offers?|"
            r"captures?|reflects?|demonstrates?|illustrates?|invites?|encourages?|manages?|"
            r"emphasi[sz]es|is reimagined|is about)\b",
            rf"\ban? (?:simple|good|strong|clear|short|complete|better|great|possible) {_ANSWER}\b",
            # an earlier answer judged or revised: "the answer I provided earlier was incorrect"
            rf"\b{_ANSWER}s? (?:that )?(?:i|we) (?:\w+ )?"
            r"(?:provided|gave|wrote|offered|suggested)\b",
            rf"\b(?:previous|earlier|above|original) {_ANSWER}s?\b",
            rf"\b{_ANSWER}s? (?:\w+ ){{0,2}}?(?:is|was|were) (?:\w+ )?"
            r"(?:incorrect|wrong|mistaken)\b",
            # the task or its solving talked about
            r"\b(?:this|the) (?:task|question|prompt|problem)\b",
            r"\b(?:one|you|we) (?:would|should|must|could|can|might|(?:only )?needs? to|"
            r"ha(?:ve|s) to) (?:first )?(?:think|consider|combine|choose|explore|look|reflect|"
            r"define|compare|find|work out|add|multiply|divide|subtract|take)\b",
            r"\bto (?:answer|solve|combine|join|retell|explain|read|address) "
            r"(?:this|these|the|it|well)\b",
            r"\b(?:is|was) (?:an? |one of the )?(?:\w+ )?(?:interesting|good|great|creative|common|"
            r"tricky|difficult|fascinating) (?:question|task|problem|challenge|idea|way)\b",
            r"\b(?:the (?:right|best|main) approach|it is not easy to)\b",
            r"\b(?:easy|simple|clear) (?:enough )?(?:for \w+(?: \w+)? )?to (?:understand|follow)\b",
            r"\bin an? (?:new|unique|novel|creative|interesting|fresh|meaningful|engaging|clear) "
            r"way\b",
            r"\b(?:here is|here's|i will|i would|i'll|let me|let's|in this (?:answer|essay))\b",
            r"\breimagin\w*|\breinterpret\w*",
            r"\bbrings? (?:\w+ ){0,4}together\b",
        ]
    ),
    re.I,
)


def specificity(word: str) -> float:
    """How much a word names: 1 for rare words, 0 for common and vague ones."""
    if word in VAGUE:
        return 0.0
    return min(1.0, max(0.0, (COMMON_AT - zipf(word)) / (COMMON_AT - SPECIFIC_AT)))


SUBJECT_WORD = 0.3
"""Specificity from which a task's word names its subject ("ocean", "salty"; not "explain")."""
SAME_SUBJECT = 0.75


def subject(text: str) -> set[str]:
    """The stems of the specific words of a text: what it is about."""
    return {stem(w) for w in words(text) if w.isalpha() and specificity(w) >= SUBJECT_WORD}


NAME_AT = 2.5
"""Zipf frequency below which a capitalized word is a name of the user's own (a place, a
character, a product): "Velmora", "Mowbrix"; not "Paris" or "Monday"."""


def names(text: str) -> set[str]:
    """The rare capitalized words of a text: what a user's continuing work is called. A word
    that opens a sentence is capitalized anyway, so there only a word no list knows counts
    ("Retell" is rare, and no name)."""
    found = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or len(word) < 3 or (rarity := zipf(word)) >= NAME_AT:
            continue
        if rarity == 0 or not _OPENS.search(text[: match.start()]):
            found.add(word.lower())
    return found


def continues(task: str, earlier: str) -> bool:
    """Whether `task` continues the work of the `earlier` task: another task that names the same
    thing of the user's own (the same task asked again is no continuation)."""
    return task.strip() != earlier.strip() and bool(names(task) & names(earlier))


def same_subject(task: str, other: str) -> bool:
    """Whether two tasks are about the same thing: they name the same thing of the user's own
    ("the lighthouse keeper of Velmora" continues "the harbor town of Velmora"), or share three
    quarters of their specific words. "Why is the ocean salty" and "Why is the sky blue" share
    only their form, and the myths of Icarus and of Prometheus as hypotheses about AI differ in
    the one word that matters, so one's answers never reach the other's prompt."""
    if names(task) & names(other):
        return True
    mine, theirs = subject(task), subject(other)
    if not mine or not theirs:
        return mine == theirs and task.strip().lower() == other.strip().lower()
    return len(mine & theirs) / len(mine | theirs) >= SAME_SUBJECT


def _new_words(task: TaskReading, text: str) -> dict[str, str]:
    """The answer's content words not in the task, one per stem."""
    new: dict[str, str] = {}
    for word in words(text):
        key = stem(word)
        if len(word) > 2 and word.isalpha() and key not in task.stems:
            new.setdefault(key, word)
    return new


class Informativeness(TextSignal):
    name = "informativeness"
    description = "Specific content the answer adds beyond the task (word frequency weighted)."
    label = "specific"
    short = "inf"
    charted = True

    def read(self, task: TaskReading, text: str) -> Reading:
        added = sum(specificity(w) for w in _new_words(task, text).values())
        score = 1 - math.exp(-added / SATURATION)
        return Reading(
            score=score,
            defect="says little beyond the task: add specific facts, names, mechanisms"
            if score < 0.4
            else None,
        )


class Coverage(TextSignal):
    name = "coverage"
    description = "Share of the parts the task names (concepts, domains, items) the answer uses."
    label = "covers the task"
    short = "cov"
    charted = True

    def read(self, task: TaskReading, text: str) -> Reading | None:
        if not task.parts:
            return None
        stems = {stem(w) for w in words(text)}
        missing = [p.text for p in task.parts if not p.addressed(stems)]
        score = 1 - len(missing) / len(task.parts)
        return Reading(
            score=score,
            defect=f"leaves out {', '.join(missing)}" if missing else None,
        )


class NoEcho(TextSignal):
    name = "no_echo"
    description = "Share of the answer's content words that are new, not the task's own."
    label = "says something new"
    short = "new"

    def read(self, task: TaskReading, text: str) -> Reading:
        content = {stem(w) for w in words(text) if is_content(w)}
        if not content:
            return Reading(score=0.0, defect="only restates the task")
        new = len(content - task.stems) / len(content)
        score = min(1.0, new / NEW_SHARE)
        return Reading(score=score, defect="only restates the task" if score < ECHO_FLOOR else None)


def echoes(scores: dict[str, float]) -> bool:
    """Whether a judged candidate only restates its task (`no_echo` under `ECHO_FLOOR`)."""
    return scores.get("no_echo", 1.0) < ECHO_FLOOR


class NoMeta(TextSignal):
    name = "no_meta"
    description = "Share of sentences that answer, rather than talk about the answer or task."
    label = "answers directly"
    short = "dir"

    def read(self, task: TaskReading, text: str) -> Reading:
        sentences = [s for s in _SENTENCE.split(text.strip()) if s]
        if not sentences:
            return Reading(score=0.0)
        meta = sum(bool(_META.search(s)) for s in sentences)
        score = 1 - meta / len(sentences)
        return Reading(
            score=score,
            defect="talks about the answer instead of giving it" if score < 0.5 else None,
        )
