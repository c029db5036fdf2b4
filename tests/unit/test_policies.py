"""Policy presets and policy files."""

from __future__ import annotations

from pathlib import Path

import pytest

from noetic.errors import ConfigError
from noetic.policies import PRESETS, SelectionWeights, load_policy_file, load_preset


def test_presets_load_and_differ() -> None:
    safe, experimental = (load_preset(mode) for mode in PRESETS)
    assert safe.sampling.temperature < experimental.sampling.temperature
    assert safe.candidates(3) < experimental.candidates(3)
    assert safe.weights.round_novelty < experimental.weights.round_novelty


def test_candidates_are_capped() -> None:
    assert load_preset("experimental").candidates(8) == 8


def test_combine_is_a_weighted_mean_of_present_signals() -> None:
    weights = SelectionWeights(relevance=0.5, coherence=0.5, novelty=0.0, resonance=1.0)
    assert weights.combine({"relevance": 1.0, "coherence": 0.0, "novelty": 1.0}) == 0.5
    assert weights.combine({}) == 0.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\nwarmth = 3\n', "unknown key 'warmth'"),
        ('name = "x"\n[sampling]\ntemperature = 9\n', "sampling.temperature"),
        ("name = ", "not valid TOML"),
    ],
)
def test_bad_policy_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_policy_file(path)
