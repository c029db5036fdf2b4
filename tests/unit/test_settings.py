"""Settings precedence and one-line errors for bad configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from noetic.errors import ConfigError
from noetic.settings import load_settings


def test_defaults(isolated_home: Path) -> None:
    settings = load_settings()
    assert (settings.rounds, settings.candidates, settings.mode) == (2, 3, "auto")
    assert settings.home == isolated_home
    assert settings.model.path is None and settings.model.n_gpu_layers == 0


def test_toml_then_env_then_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "noetic.toml").write_text("rounds = 5\ncandidates = 2\n[model]\nn_ctx = 2048\n")
    assert load_settings().rounds == 5
    monkeypatch.setenv("NOETIC_ROUNDS", "6")
    monkeypatch.setenv("NOETIC_MODEL__N_GPU_LAYERS", "-1")
    settings = load_settings()
    assert (settings.rounds, settings.candidates) == (6, 2)
    assert (settings.model.n_ctx, settings.model.n_gpu_layers) == (2048, -1)
    assert load_settings(rounds=7).rounds == 7


def test_explicit_config_file(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('mode = "experimental"\n')
    assert load_settings(path).mode == "experimental"
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("rounds = [", "is not valid TOML"),
        ("colour = 'blue'\n", "unknown setting 'colour'"),
        ("[model]\nwarp = 9\n", "unknown setting 'model.warp'"),
        ("rounds = 0\n", "invalid setting rounds=0"),
        ("candidates = 99\n", "invalid setting candidates=99"),
        ("mode = 'wild'\n", "invalid setting mode='wild'"),
    ],
)
def test_bad_config_file_is_one_clear_error(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "noetic.toml").write_text(toml)
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings()
    assert "\n" not in str(caught.value)
    assert " — " in str(caught.value)


def test_error_names_the_flag_and_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(candidates=0)
    assert "--candidates" in str(caught.value) and "NOETIC_CANDIDATES" in str(caught.value)
