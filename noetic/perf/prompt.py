"""The benchmark's prompt: what a generator sees mid-run, with a long shared prefix.

A system prompt, recalled memories and semantic anchors (about 600 tokens on SmolLM2's
tokenizer) shared by every candidate, then the task. Fixed text, so runs compare.
"""

from __future__ import annotations

from noetic.models.base import Message

TASK = "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence"

SYSTEM = """\
You are an associative thinker. You connect distant ideas into one bold, concrete thought.
Write in plain prose, with concrete images, and stay on the task.
"""

MEMORIES = [
    "Sisyphus pushes a boulder uphill forever; Camus says we must imagine him happy, because "
    "the struggle itself toward the heights is enough to fill a heart.",
    "Gradient descent is a boulder rolled down a loss landscape: each step is local, blind to the "
    "summit, and the valley it finds depends on where it started.",
    "A system that retrains on its own outputs drifts: errors compound, diversity collapses, and "
    "the model forgets the rare cases it once handled well.",
    "Benchmarks saturate: every time a test is passed, a harder one is written, so progress "
    "toward general intelligence is measured against a receding hilltop.",
    "In reinforcement learning, an agent rewarded only at the summit rarely finds it; shaped "
    "rewards along the slope teach it to climb, at the risk of loving the slope.",
    "Catastrophic forgetting: a network trained on a new task overwrites the weights that held "
    "the old one, as if the boulder rolled back down each night.",
    "The gods punished Sisyphus for cheating death twice: he chained Thanatos and tricked "
    "Persephone, so his punishment was an endless task without an ending.",
    "Open-ended learning systems generate their own curricula: each solved problem proposes a "
    "slightly harder neighbour, an ever-growing mountain of tasks.",
    "Camus saw the moment Sisyphus walks back down the hill as the hour of consciousness, when he "
    "is superior to his fate and stronger than his rock.",
    "Scaling laws predict loss falling as a power law in compute: every halving of the error "
    "costs an order of magnitude more effort, a hill that steepens as you climb.",
    "Memory-augmented agents keep a log of past attempts and retrieve it before acting, so each "
    "ascent starts from what the last one learned instead of from the foot of the hill.",
    "Homeostasis in living systems is a repeated return to a set point; intelligence may be the "
    "capacity to choose which set points to return to.",
]

ANCHORS = [
    "recursion (0.82)",
    "futility (0.74)",
    "self-improvement (0.71)",
    "absurd (0.66)",
    "gradient (0.61)",
    "memory (0.58)",
    "curriculum (0.52)",
    "forgetting (0.49)",
]


def shared_prefix() -> str:
    """The system message every candidate shares: instructions, memories, anchors."""
    memories = "\n".join(f"- [thought from an earlier run] {m}" for m in MEMORIES)
    return f"{SYSTEM}\nRelated memories:\n{memories}\n\nKey concepts so far: {', '.join(ANCHORS)}\n"


def candidate_messages() -> list[Message]:
    """The generator's request: the shared prefix, then the task and a call for a long answer."""
    return [
        Message(role="system", content=shared_prefix()),
        Message(
            role="user",
            content=f"Task: {TASK}\n\nWrite one long, detailed paragraph: a new hypothesis that "
            "goes beyond these memories.",
        ),
    ]
