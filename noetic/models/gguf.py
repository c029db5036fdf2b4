"""Checks on a model file before llama.cpp sees it, so a wrong path is an error, not a crash."""

from __future__ import annotations

from pathlib import Path

from noetic.errors import ModelLoadError

GGUF_MAGIC = b"GGUF"


def check_gguf(path: Path) -> Path:
    """Return `path` resolved if it is a readable GGUF file, else raise `ModelLoadError`."""
    path = path.expanduser()
    if not path.exists():
        raise ModelLoadError(
            f"model file {path} does not exist",
            "pass the path of a .gguf file with --model, or omit it for the bundled default",
        )
    if not path.is_file():
        raise ModelLoadError(f"model path {path} is not a file", "pass the path of a .gguf file")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            f"{path} is not a GGUF model (it starts with {magic!r}, not {GGUF_MAGIC!r})",
            "convert it with llama.cpp's convert_hf_to_gguf.py or pass a .gguf file",
        )
    return path.resolve()
