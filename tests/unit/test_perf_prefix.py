"""Prompt-slot planning for the llama.cpp prefix cache: pure bookkeeping, no model."""

from __future__ import annotations

from noetic.models.llama_prefix import PrefixStats, PromptPlan, PromptSlots, common_prefix

SYSTEM_A = list(range(100, 160))
SYSTEM_B = list(range(500, 540))


def place(slots: PromptSlots, prompt: list[int], reserve: int = 0) -> PromptPlan:
    plan = slots.plan(prompt, reserve)
    slots.commit(plan, prompt)
    return plan


def test_common_prefix() -> None:
    assert common_prefix([1, 2, 3], [1, 2, 4]) == 2
    assert common_prefix([1, 2], [1, 2, 3]) == 2
    assert common_prefix([], [1]) == 0


def test_first_prompt_is_evaluated_in_full() -> None:
    slots = PromptSlots(3, capacity=1000)
    plan = place(slots, SYSTEM_A + [1, 2])
    assert plan.common == 0 and plan.source is None
    assert slots.stats == PrefixStats(evaluated=62, reused=0)


def test_repeated_prompt_reevaluates_only_its_last_token() -> None:
    slots = PromptSlots(3, capacity=1000)
    first = place(slots, SYSTEM_A + [1, 2])
    again = place(slots, SYSTEM_A + [1, 2])
    assert again.slot == first.slot and again.common == 61 and again.source is None
    assert slots.stats.reused == 61 and slots.stats.evaluated == 63


def test_prompt_extending_a_slot_stays_in_it() -> None:
    slots = PromptSlots(3, capacity=1000)
    first = place(slots, SYSTEM_A + [1, 2])
    longer = place(slots, SYSTEM_A + [1, 3, 4, 5])
    assert longer.slot == first.slot and longer.common == 61


def test_other_prompt_family_gets_its_own_slot_and_keeps_the_first() -> None:
    slots = PromptSlots(3, capacity=1000)
    generator = place(slots, SYSTEM_A + [1, 2])
    critic = place(slots, SYSTEM_A[:3] + SYSTEM_B)
    assert critic.slot != generator.slot
    assert critic.source == generator.slot and critic.common == 3
    back = place(slots, SYSTEM_A + [7])
    assert back.slot == generator.slot and back.common == 60


def test_short_prompts_sharing_only_the_preamble_keep_their_own_slots() -> None:
    """The judge's two reads of candidates (after the task, after a neutral request) share the
    chat template's preamble, half of each: alternating, each still finds itself cached."""
    slots = PromptSlots(3, capacity=1000)
    preamble = list(range(24))
    task, neutral = preamble + list(range(900, 922)), preamble + list(range(700, 710))
    for prompt in (task, neutral):
        slots.commit(slots.plan(prompt, 0, whole=True), prompt)
    again = [slots.plan(p, 0, whole=True) for p in (task, neutral)]
    assert [plan.common for plan in again] == [len(task), len(neutral)]
    assert again[0].slot != again[1].slot


def test_unrelated_prompt_takes_a_free_slot_then_the_least_recently_used() -> None:
    slots = PromptSlots(2, capacity=1000)
    a = place(slots, [1] * 10)
    b = place(slots, [2] * 10)
    place(slots, [1] * 10)  # a is now the most recently used
    c = place(slots, [3] * 10)
    assert a.slot != b.slot and c.slot == b.slot and c.common == 0 and c.source is None


def test_least_recently_used_slots_are_evicted_to_make_room() -> None:
    slots = PromptSlots(3, capacity=100)
    a = place(slots, [1] * 40)
    b = place(slots, [2] * 40)
    c = slots.plan([3] * 40, reserve=10)
    assert c.evict == (a.slot,) and c.slot not in (a.slot, b.slot)


def test_single_slot_keeps_whatever_prefix_it_shares() -> None:
    slots = PromptSlots(1, capacity=1000)
    place(slots, [9, 8, 7, 6, 5, 4])
    plan = place(slots, [9, 8, 1])
    assert plan.slot == 0 and plan.common == 2 and plan.source is None


def test_a_shared_prefix_is_cached_whole_and_remainders_are_counted() -> None:
    slots = PromptSlots(3, capacity=1000)
    plan = slots.plan(SYSTEM_A, reserve=50, whole=True)
    slots.commit(plan, SYSTEM_A, sharers=3, own=12)
    assert slots.stats == PrefixStats(evaluated=60 + 12, reused=2 * 60)
    again = slots.plan(SYSTEM_A, reserve=50, whole=True)
    assert again.slot == plan.slot and again.common == 60


def test_tokens_copied_between_texts_and_read_from_sampling_count_as_reused() -> None:
    slots = PromptSlots(2, capacity=1000)
    plan = slots.plan(SYSTEM_A, reserve=50, whole=True)
    slots.commit(plan, SYSTEM_A, sharers=2, own=10, copied=7)
    slots.count_reused(30)
    assert slots.stats == PrefixStats(evaluated=60 + 10, reused=60 + 7 + 30)


def test_reuse_fraction() -> None:
    assert PrefixStats().reuse_fraction == 0.0
    assert PrefixStats(evaluated=1, reused=3).reuse_fraction == 0.75
