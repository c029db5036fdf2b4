"""Which KV-cache sequence holds which prompt, so a new prompt evaluates only what is not cached.

A deliberation cycles through a few prompt families (generator, critic, meta-thinker, ...), each
with its own system prompt, and consecutive prompts of one family share long prefixes. So the
last few prompts stay cached side by side, one per slot (a llama.cpp sequence id, in a unified KV
cache whose cells sequences can share). A new prompt goes to the slot it extends when it keeps
most of that slot; otherwise to a free or least recently used slot, which first receives the
longest cached prefix by reference. This is pure bookkeeping: the backend applies the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

REPLACE_SHARE = 0.75
"""A prompt overwrites the slot it matches best only if it keeps at least this share of it.

Not a half: the chat template's preamble alone is half of a short prompt (24 of the 46 tokens of
the judge's read of a candidate after the task, and of the 34 after the neutral request), and at
one half those two families took each other's slot every round."""


class PrefixStats(BaseModel):
    """Prompt tokens evaluated versus found in the KV cache, cumulative over a model's calls."""

    evaluated: int = 0
    reused: int = 0

    @property
    def reuse_fraction(self) -> float:
        total = self.evaluated + self.reused
        return self.reused / total if total else 0.0


@dataclass(frozen=True)
class PromptPlan:
    """How to place one prompt: into `slot`, keeping its first `common` tokens cached.

    With `source` set, those tokens are copied from that slot first (the slot's own content is
    dropped); `evict` lists slots to clear to make room.
    """

    slot: int
    common: int
    source: int | None = None
    evict: tuple[int, ...] = ()


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


@dataclass
class _Slot:
    tokens: list[int] = field(default_factory=list)
    last_used: int = 0


class PromptSlots:
    """Tracks `count` cached prompts in a KV cache of `capacity` cells."""

    def __init__(self, count: int, capacity: int) -> None:
        self._slots = [_Slot() for _ in range(count)]
        self._capacity = capacity
        self._clock = 0
        self.stats = PrefixStats()

    def plan(self, prompt: Sequence[int], reserve: int, *, whole: bool = False) -> PromptPlan:
        """Where `prompt` goes, with `reserve` more cells needed for what follows it.

        Unless `whole` (a prefix that sequences continue on their own), at least the prompt's
        last token is evaluated: its logits start the generation.
        """
        slots = self._slots
        most = len(prompt) if whole else len(prompt) - 1
        matches = [min(common_prefix(s.tokens, prompt), most) for s in slots]
        best = max(range(len(slots)), key=lambda i: (matches[i], slots[i].last_used))
        common = matches[best]
        extends_best = common > 0 and common >= REPLACE_SHARE * len(slots[best].tokens)
        slot = best
        if len(slots) > 1 and not extends_best:
            slot = min(
                (i for i in range(len(slots)) if i != best),
                key=lambda i: (bool(slots[i].tokens), slots[i].last_used),
            )
        source = best if slot != best and common > 0 else None
        return PromptPlan(
            slot=slot,
            common=common,
            source=source,
            evict=self._evictions(slot, len(prompt) + reserve),
        )

    def _evictions(self, slot: int, needed: int) -> tuple[int, ...]:
        """Least recently used slots to clear until `needed` cells fit beside the rest.

        Cells shared between slots are counted once per slot, so this errs towards evicting.
        """
        held = {i: len(s.tokens) for i, s in enumerate(self._slots) if i != slot and s.tokens}
        evict: list[int] = []
        for i in sorted(held, key=lambda i: self._slots[i].last_used):
            if sum(held.values()) + needed <= self._capacity:
                break
            evict.append(i)
            del held[i]
        return tuple(evict)

    def commit(
        self,
        plan: PromptPlan,
        prompt: Sequence[int],
        *,
        sharers: int = 1,
        own: int = 0,
        copied: int = 0,
    ) -> None:
        """Record that the plan was applied and `prompt` now fills its slot.

        `sharers` prompts start with it (the first reuses what was cached, the others reuse it
        whole); beyond it they evaluated `own` more tokens and copied `copied` from one another.
        """
        self._clock += 1
        for i in plan.evict:
            self._slots[i] = _Slot()
        self._slots[plan.slot] = _Slot(tokens=list(prompt), last_used=self._clock)
        self.stats = PrefixStats(
            evaluated=self.stats.evaluated + len(prompt) - plan.common + own,
            reused=self.stats.reused + plan.common + (sharers - 1) * len(prompt) + copied,
        )

    def count_reused(self, tokens: int) -> None:
        """Prompt tokens answered from what sampling recorded (`SampledReads`), in no slot."""
        self.stats = PrefixStats(evaluated=self.stats.evaluated, reused=self.stats.reused + tokens)

    def forget(self, slot: int) -> None:
        """The slot's cells were cleared (a failed evaluation leaves it undefined)."""
        self._slots[slot] = _Slot()

    def forget_all_but(self, slot: int) -> list[int]:
        """Clear the bookkeeping of every other non-empty slot; returns their ids."""
        cleared = [i for i, s in enumerate(self._slots) if i != slot and s.tokens]
        for i in cleared:
            self._slots[i] = _Slot()
        return cleared

    def clear(self) -> None:
        """Forget every cached prompt; the statistics stay."""
        self._slots = [_Slot() for _ in self._slots]
