"""GGUF checks and the header-only metadata reader."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from noetic.errors import ModelLoadError
from noetic.models.default_model import default_model_path
from noetic.models.gguf import check_gguf, read_metadata


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def test_reads_wanted_keys_past_arrays(tmp_path: Path) -> None:
    kvs = [
        _string("tokenizer.tokens") + struct.pack("<IIQ", 9, 8, 2) + _string("a") + _string("bc"),
        _string("general.architecture") + struct.pack("<I", 8) + _string("llama"),
        _string("scores") + struct.pack("<IIQ", 9, 6, 3) + struct.pack("<3f", 1, 2, 3),
        _string("llama.embedding_length") + struct.pack("<II", 4, 576),
    ]
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs))
    wanted = {"general.architecture", "llama.embedding_length"}
    assert read_metadata(path, wanted) == {
        "general.architecture": "llama",
        "llama.embedding_length": 576,
    }
    assert read_metadata(path, {"missing"}) == {}


def test_bundled_model_metadata() -> None:
    meta = read_metadata(default_model_path(), {"general.architecture", "llama.embedding_length"})
    assert meta == {"general.architecture": "llama", "llama.embedding_length": 576}


def test_not_gguf(tmp_path: Path) -> None:
    path = tmp_path / "x.gguf"
    path.write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(ModelLoadError, match="not a GGUF model"):
        check_gguf(path)
    with pytest.raises(ModelLoadError, match="does not exist"):
        check_gguf(tmp_path / "absent.gguf")
