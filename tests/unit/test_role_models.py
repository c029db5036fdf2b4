"""Per-role models: `[roles.NAME]` settings load their own model; Python's `role_models` win."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from noetic import adeliberate
from noetic.errors import ConfigError, UnknownRoleError
from noetic.settings import ModelSettings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> dict[ModelSettings, ScriptedModel]:
    """Replace the model factory: each distinct ModelSettings gets its own scripted model."""
    models: dict[ModelSettings, ScriptedModel] = {}

    def load(settings: ModelSettings, *, seed: int = 0) -> ScriptedModel:
        models[settings] = RoleScript().model(str(settings.path))
        return models[settings]

    monkeypatch.setattr("noetic.models.factory.load_chat_model", load)
    return models


def titles(model: ScriptedModel) -> set[str | None]:
    return {r.schema_title for r in model.requests}


async def run(**kw: Any):  # type: ignore[no-untyped-def]
    return await adeliberate("A task", embedder=HashingEmbedder(), rounds=1, mode="safe", **kw)


async def test_roles_settings_give_a_role_its_own_model(
    loaded: dict[ModelSettings, ScriptedModel], tmp_path: Path, always_synthesize: dict[str, Path]
) -> None:
    big = ModelSettings(path=tmp_path / "big.gguf")
    await run(roles={"critic": big, "meta_thinker": big}, policies=always_synthesize)
    assert len(loaded) == 2  # the shared model and one big model for both judging roles
    assert titles(loaded[big]) == {"Reflection"}  # the critic scores, it does not sample
    assert loaded[big].score_requests
    assert titles(loaded[ModelSettings()]) == {None, "Synthesis"}


async def test_python_role_models_win_over_settings(
    loaded: dict[ModelSettings, ScriptedModel], tmp_path: Path
) -> None:
    mine = RoleScript().model()
    await run(
        roles={"critic": ModelSettings(path=tmp_path / "big.gguf")}, role_models={"critic": mine}
    )
    assert len(loaded) == 1
    assert titles(mine) == set() and mine.score_requests


async def test_unknown_role_name_is_refused(loaded: dict[ModelSettings, ScriptedModel]) -> None:
    with pytest.raises(ConfigError, match="registers the role 'critik'") as caught:
        await run(roles={"critik": ModelSettings()})
    assert "critic" in str(caught.value) and not loaded


async def test_unknown_role_model_given_in_python_is_refused(
    loaded: dict[ModelSettings, ScriptedModel],
) -> None:
    with pytest.raises(UnknownRoleError, match="unknown role 'critik'"):
        await run(role_models={"critik": RoleScript().model()})
