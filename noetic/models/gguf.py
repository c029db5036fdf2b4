"""Checks on a model file before llama.cpp sees it, so a wrong path is an error, not a crash."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

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


_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i",
    6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d",
}  # fmt: skip
_STRING, _ARRAY = 8, 9


def read_metadata(path: Path, wanted: set[str]) -> dict[str, Any]:
    """The `wanted` scalar or string keys of a GGUF file's metadata, read from its header alone.

    Reading stops as soon as every wanted key is found, so it never touches the weights (and
    needs no llama.cpp context, which would print native warnings).
    """
    found: dict[str, Any] = {}
    with check_gguf(path).open("rb") as fh:

        def read(fmt: str) -> Any:
            return struct.unpack(fmt, fh.read(struct.calcsize(fmt)))[0]

        def read_string() -> str:
            return fh.read(read("<Q")).decode("utf-8", errors="replace")

        def skip(value_type: int) -> None:
            if value_type == _STRING:
                fh.seek(read("<Q"), 1)
            elif value_type == _ARRAY:
                item_type, count = read("<I"), read("<Q")
                if item_type in _SCALARS:
                    fh.seek(struct.calcsize(_SCALARS[item_type]) * count, 1)
                else:
                    for _ in range(count):
                        skip(item_type)
            else:
                fh.seek(struct.calcsize(_SCALARS[value_type]), 1)

        fh.seek(4)
        version = read("<I")
        if version < 2:
            raise ModelLoadError(f"{path} is GGUF version {version}", "convert it to GGUF v3")
        read("<Q")  # tensor count
        for _ in range(read("<Q")):
            key, value_type = read_string(), read("<I")
            if key in wanted and value_type in _SCALARS:
                found[key] = read(_SCALARS[value_type])
            elif key in wanted and value_type == _STRING:
                found[key] = read_string()
            else:
                skip(value_type)
            if wanted <= found.keys():
                break
    return found
