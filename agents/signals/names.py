"""The judge's built-in signals by name, each once, with how people and the prompts see it.

A candidate's `scores` hold these, the registered text signals (`noetic.signals`, which carry
their own `label`, `short` and `charted`), and `overall`. The rationale names a signal by its
`label` when it stands out (only those `named`: integrity or resonance would tell a model
nothing to do), `noetic show` prints it by its `short` name, and the report charts the
`charted` ones per round. A policy weighs them by these names (`SelectionWeights`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    label: str
    short: str
    charted: bool = False
    named: bool = True


MODEL_SIGNALS: dict[str, Shown] = {
    "pmi": Shown("specific to the task", "pmi", charted=True),
    "fluency": Shown("fluent", "flu", charted=True),
    "embed_relevance": Shown("on topic", "top", charted=True),
    "relevance": Shown("answers the task", "rel"),
    "coherence": Shown("coherent", "coh"),
    "novelty": Shown("original", "orig"),
    "integrity": Shown("not degenerate", "int", charted=True, named=False),
    "round_novelty": Shown("new among its round", "nov", named=False),
    "memory_novelty": Shown("new against memory", "mem", named=False),
    "resonance": Shown("resonates with reinforced concepts", "res", charted=True, named=False),
    "checks": Shown("passes its checks", "chk", named=False),
    "continuity": Shown("keeps the earlier work's facts", "cont", named=False),
}
"""Signals that come from the model, the embedder, the accumulator, the checks or memory
(not from the text alone), in the order they are shown."""
