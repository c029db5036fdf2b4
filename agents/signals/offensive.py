"""How likely a text is offensive: alt-profanity-check's shipped model, read without scikit-learn.

The package ships a TF-IDF vectorizer and five sigmoid-calibrated linear SVMs as pickles.
Unpickling them imports scikit-learn and SciPy, over 2 s of every CLI run's start, and each call
spends 10-20 ms in scikit-learn's input checks around what is a few dictionary lookups and dot
products. So the first process on a machine reads the pickles once and keeps their numbers in
the user's cache folder (named for a digest of the pickles, so an upgrade reads them again);
every later process loads that file and computes the same probability with numpy.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import platformdirs

FORMAT = 1
_PICKLES = ("vectorizer.joblib", "model.joblib")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
"""scikit-learn's default token pattern, which the shipped vectorizer was fitted with."""


@dataclass(frozen=True)
class OffensiveModel:
    """The shipped classifier's numbers: TF-IDF (`words`, `idf`), then per fold a linear score
    (`weights`, `intercepts`) through a sigmoid (`slopes`, `offsets`), averaged."""

    words: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    intercepts: np.ndarray
    slopes: np.ndarray
    offsets: np.ndarray

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """The probability that each text is offensive, as `profanity_check.predict_prob`."""
        return [self._probability(text) for text in texts]

    def _probability(self, text: str) -> float:
        counts = Counter(
            self.words[token] for token in _TOKEN.findall(text.lower()) if token in self.words
        )
        if counts:
            columns = np.fromiter(counts, dtype=np.intp)
            tfidf = np.fromiter(counts.values(), dtype=np.float64) * self.idf[columns]
            scores = self.weights[:, columns] @ (tfidf / np.linalg.norm(tfidf)) + self.intercepts
        else:
            scores = self.intercepts
        return float(np.mean(1.0 / (1.0 + np.exp(self.slopes * scores + self.offsets))))

    def save(self, path: Path) -> None:
        """Write the numbers whole: into a file beside `path`, then renamed over it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with staging.open("wb") as out:
            np.savez(
                out,
                words=np.array(sorted(self.words, key=self.words.__getitem__)),
                idf=self.idf,
                weights=self.weights,
                intercepts=self.intercepts,
                slopes=self.slopes,
                offsets=self.offsets,
            )
        os.replace(staging, path)

    @classmethod
    def load(cls, path: Path) -> OffensiveModel:
        with np.load(path) as saved:
            words = {str(word): i for i, word in enumerate(saved["words"])}
            arrays = {name: saved[name] for name in saved.files if name != "words"}
        return cls(words=words, **arrays)


def from_pickles() -> OffensiveModel:
    """Read the numbers out of the shipped pickles (imports scikit-learn: seconds)."""
    from profanity_check import profanity_check as shipped

    vectorizer, folds = shipped.vectorizer, shipped.model.calibrated_classifiers_
    if len(shipped.model.classes_) != 2 or any(f.method != "sigmoid" for f in folds):
        raise TypeError("alt-profanity-check's model is no longer binary sigmoid-calibrated")
    return OffensiveModel(
        words={str(word): int(i) for word, i in vectorizer.vocabulary_.items()},
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        weights=np.stack([f.estimator.coef_[0] for f in folds]),
        intercepts=np.array([f.estimator.intercept_[0] for f in folds]),
        slopes=np.array([f.calibrators[0].a_ for f in folds]),
        offsets=np.array([f.calibrators[0].b_ for f in folds]),
    )


def cached_path(cache_dir: Path | None = None) -> Path:
    """Where this installation's numbers are kept: named for the pickles' digest."""
    digest = hashlib.sha256(str(FORMAT).encode())
    spec = find_spec("profanity_check")  # found, not imported: importing it loads scikit-learn
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("alt-profanity-check is not installed", name="profanity_check")
    data = Path(spec.origin).parent / "data"
    for name in _PICKLES:
        digest.update((data / name).read_bytes())
    folder = cache_dir or platformdirs.user_cache_path("noetic")
    return folder / f"offensive-{digest.hexdigest()[:16]}.npz"


@cache
def offensive_model() -> OffensiveModel:
    """The classifier, from the cache, or from the pickles the first time (then cached)."""
    path = cached_path()
    try:
        return OffensiveModel.load(path)
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):  # absent, or cut short
        model = from_pickles()
        try:
            model.save(path)
        except OSError:  # a read-only cache only costs the next process the same seconds
            pass
        return model
