"""The offensive-text classifier read out of alt-profanity-check's pickles: the same
probabilities as the package, from a cache file that a later process loads without
scikit-learn, rebuilt when the file is damaged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from noetic.agents.signals.offensive import OffensiveModel, cached_path, from_pickles

TEXTS = [
    "The myth of Sisyphus is read as a parable of absurd, repeated labour.",
    "You worthless idiot, shut up and die.",
    "Go to hell, you bastard.",
    "",
    "12 !! ??",
    "Qwxzt blorvian unheard-of words only",
    "damn this shit, it broke again",
    "I love kittens; HATE HATE HATE you, moron.",
]

LOAD = """
import sys
from noetic.agents.signals.offensive import offensive_model
print(round(offensive_model().probabilities(["Go to hell, you bastard."])[0], 6))
print("sklearn" in sys.modules)
"""


@pytest.fixture(scope="module")
def model() -> OffensiveModel:
    return from_pickles()


def test_probabilities_equal_the_packages(model: OffensiveModel) -> None:
    from profanity_check import predict_prob

    ours = model.probabilities(TEXTS)
    np.testing.assert_allclose(ours, predict_prob(TEXTS), rtol=0, atol=1e-12)
    assert ours[1] > 0.9 and ours[0] < 0.1  # and they discriminate


def test_a_saved_model_loads_equal(model: OffensiveModel, tmp_path: Path) -> None:
    path = tmp_path / "offensive.npz"
    model.save(path)
    assert OffensiveModel.load(path).probabilities(TEXTS) == model.probabilities(TEXTS)
    assert [p.name for p in tmp_path.iterdir()] == ["offensive.npz"]  # no staging file left


def _load_in_a_process(cache: Path) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", LOAD], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_a_later_process_loads_the_cache_without_scikit_learn(
    model: OffensiveModel, tmp_path: Path
) -> None:
    expected = str(round(model.probabilities(["Go to hell, you bastard."])[0], 6))
    assert _load_in_a_process(tmp_path) == [expected, "True"]  # first: from the pickles
    [cached] = (tmp_path / "noetic").iterdir()
    assert cached == cached_path(tmp_path / "noetic")
    assert _load_in_a_process(tmp_path) == [expected, "False"]

    cached.write_bytes(cached.read_bytes()[:1000])  # cut short, as by a crash
    assert _load_in_a_process(tmp_path) == [expected, "True"]
    assert _load_in_a_process(tmp_path) == [expected, "False"]  # and written whole again


def test_a_cache_that_cannot_be_written_still_answers(
    model: OffensiveModel, tmp_path: Path
) -> None:
    expected = str(round(model.probabilities(["Go to hell, you bastard."])[0], 6))
    (tmp_path / "noetic").write_text("a file where the cache folder should be")
    assert _load_in_a_process(tmp_path) == [expected, "True"]
