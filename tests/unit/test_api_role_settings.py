"""Per-role model settings: `[roles.NAME]` in noetic.toml, NOETIC_ROLES__NAME__KEY, keywords."""

from __future__ import annotations

from pathlib import Path

import pytest

from noetic import load_settings
from noetic.errors import ConfigError
from noetic.settings import ModelSettings


def test_no_role_has_its_own_model_by_default() -> None:
    assert load_settings().roles == {}


def test_toml_and_environment_merge_per_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "noetic.toml").write_text('[roles.critic]\npath = "big.gguf"\nn_ctx = 8192\n')
    monkeypatch.setenv("NOETIC_ROLES__CRITIC__N_GPU_LAYERS", "-1")
    monkeypatch.setenv("NOETIC_ROLES__GENERATOR__BASE_URL", "http://gpu-host:8000/v1")

    roles = load_settings().roles
    assert roles["critic"] == ModelSettings(path=Path("big.gguf"), n_ctx=8192, n_gpu_layers=-1)
    assert roles["generator"].base_url == "http://gpu-host:8000/v1"


def test_python_keywords_set_a_role_model() -> None:
    settings = load_settings(roles={"synthesizer": {"n_ctx": 2048}})
    assert settings.roles["synthesizer"].n_ctx == 2048


def test_a_bad_role_setting_names_where_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOETIC_ROLES__CRITIC__N_CTX", "3")
    with pytest.raises(ConfigError, match="roles.critic.n_ctx") as caught:
        load_settings()
    assert "NOETIC_ROLES__CRITIC__N_CTX" in str(caught.value)
