"""Settings: defaults < `noetic.toml` < `NOETIC_*` environment variables < explicit overrides.

The CLI passes its flags as overrides, Python callers pass keyword arguments, so both reach the
same validated `NoeticSettings`. Every invalid value becomes one `ConfigError` line that names the
setting and where to change it.
"""

from __future__ import annotations

import contextvars
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from noetic.errors import ConfigError
from noetic.plugins import ROLES_GROUP, registered_names
from noetic.record import Mode

MAX_CANDIDATES = 8
"""Most candidates per round: each one is a generation plus a critique, so the cost is linear."""

MAX_ROUNDS = 100
CONFIG_FILE_NAME = "noetic.toml"

ModeChoice = Literal["auto", "safe", "experimental"]


class ModelSettings(BaseModel):
    """Which GGUF to load and how. `path=None` means the bundled SmolLM2-135M-Instruct."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path | None = None
    n_ctx: int = Field(4096, ge=512, le=262_144)
    n_gpu_layers: int = Field(0, ge=-1, description="Layers offloaded to the GPU; -1 = all.")
    n_threads: int | None = Field(None, ge=1)
    n_batch: int = Field(512, ge=32, le=8192)
    # An OpenAI-compatible model server instead of the in-process GGUF (models/openai_compat.py).
    base_url: str | None = Field(
        None,
        pattern=r"^https?://\S+$",
        description="The server's OpenAI API root, e.g. http://gpu-host:8000/v1; set, it "
        "replaces the in-process GGUF.",
    )
    api_model: str | None = Field(
        None, min_length=1, description="Model name sent to the server; default: its first."
    )
    api_key_env: str = Field(
        "NOETIC_API_KEY", min_length=1, description="Environment variable holding the API key."
    )
    api_flavor: Literal["llama_cpp", "vllm", "openai"] = Field(
        "llama_cpp",
        description="Request dialect: JSON-schema response_format and repeat-penalty field.",
    )
    timeout_s: float = Field(300.0, gt=0, le=3600, description="Per request, queueing included.")
    max_retries: int = Field(4, ge=0, le=20, description="Retries of a transient server error.")
    retry_backoff_s: float = Field(0.5, ge=0, le=60, description="First retry delay; doubles.")
    max_concurrency: int = Field(8, ge=1, le=256, description="Requests in flight per model.")


_CHECK_SPEC = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)(?::(?P<key>[^<>=]+))?(?:(?P<op><=|>=|<|>|=)(?P<value>.+))?$",
    re.DOTALL,
)
CHECK_SPEC_SYNTAX = "NAME, NAME=VALUE, NAME<=N, NAME>=N, NAME=A..B or NAME:KEY>=N"


class CheckSpec(BaseModel):
    """A check named for a run (`noetic checks` lists them).

    Written as a line: `"words<=50"`, `"forbidden=rain,snow"`, `"letter:e=0"`, `"title"`; or as
    a table, `{name = "words", at_most = 50}`, where every key but `name` is a parameter. The
    line's KEY, operator and VALUE are kept as written here; the check they name says which of
    its parameters they set (`Check.from_spec`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    key: str | None = None
    op: Literal["=", "<=", ">=", "<", ">"] | None = None
    value: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            match = _CHECK_SPEC.match(data.strip())
            if match is None:
                raise ValueError(f"cannot read check '{data}': write {CHECK_SPEC_SYNTAX}")
            return {k: v.strip() for k, v in match.groupdict().items() if v is not None}
        if isinstance(data, dict) and not {"params", "key", "op", "value"} & data.keys():
            return {
                "name": data.get("name"),
                "params": {k: v for k, v in data.items() if k != "name"},
            }
        return data

    def __str__(self) -> str:
        """The line form (a table's parameters as `name{...}`)."""
        line = self.name + (f":{self.key}" if self.key else "")
        line += f"{self.op}{self.value}" if self.op else ""
        return line + (f"{self.params}" if self.params else "")


class MemorySettings(BaseModel):
    """Where the shared vector memory lives: embedded on disk by default, a server with `url`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    accumulator: bool = Field(
        True, description="The global weight accumulator (anchors, resonance) beside the memory."
    )
    url: str | None = None
    api_key: SecretStr | None = None
    collection: str = "noetic_memory"
    embedding_model: Path | None = Field(
        None, description="A separate embedding GGUF; by default the chat model embeds."
    )
    recall_k: int = Field(4, ge=0, le=64)
    lessons: int = Field(
        3,
        ge=0,
        le=16,
        description="Lessons (what failed and what fixed it) recalled from earlier runs of the "
        "same kind of task into each round's refinement prompt; 0 recalls none.",
    )
    min_relevance: float = Field(
        0.65,
        ge=0,
        le=1,
        description="A memory enters a prompt only if its embedding relevance to the task "
        "(0..1, as the judge reads it) is at least this. With the default model's embeddings, "
        "thoughts from an unrelated run measured 0.50-0.59, associated notes 0.69-0.73.",
    )


def masked_url(url: str) -> str:
    """`url` with any password (before the host, or as a `password=` parameter) shown as `***`:
    a URL goes into messages and `noetic config show`, its password never."""
    url = re.sub(r"^([a-z][a-z0-9+.-]*://[^/?#@:]*):[^/?#]*@", r"\1:***@", url, flags=re.I)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url, flags=re.I)


class CheckpointSettings(BaseModel):
    """Where runs are stored: a SQLite file under `home` by default, a PostgreSQL database with
    `url`, where the weight accumulator then lives too, so workers on many machines share both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(
        None,
        pattern=r"^postgres(ql)?://\S+$",
        description="postgresql://user[:password]@host[:port]/database; unset: SQLite under home.",
    )

    @field_serializer("url")
    def _masked(self, url: str | None) -> str | None:
        return None if url is None else masked_url(url)


class BudgetSettings(BaseModel):
    """Hard caps on a run, and how far "think longer" may extend it.

    Budgets are checked between rounds: the round in flight finishes, then the run converges on
    the best answer so far (without another model call once a budget is spent).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_tokens: int | None = Field(None, ge=1, description="Total prompt + completion tokens.")
    max_seconds: float | None = Field(None, gt=0, description="Seconds spent in stages.")
    stage_tokens: dict[str, int] = Field(
        default_factory=dict, description="Per-role cap on completion tokens, e.g. critic = 96."
    )
    extra_rounds: int = Field(
        0, ge=0, le=MAX_ROUNDS, description="Rounds the meta-thinker may add when scores are low."
    )
    plateau_rounds: int = Field(
        2, ge=1, description="Rounds without a better best score before the run has converged."
    )

    @field_validator("stage_tokens")
    @classmethod
    def _positive_caps(cls, caps: dict[str, int]) -> dict[str, int]:
        bad = {role: cap for role, cap in caps.items() if cap < 1}
        if bad:
            raise ValueError(f"stage token caps must be at least 1, got {bad}")
        return caps


class NoeticSettings(BaseSettings):
    """Everything a run can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="NOETIC_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    home: Path = Field(default_factory=lambda: platformdirs.user_data_path("noetic"))
    model: ModelSettings = ModelSettings()
    roles: dict[str, ModelSettings] = Field(
        default_factory=dict,
        description="A model per role name (e.g. a bigger GGUF for the critic); the rest share "
        "`model`.",
    )
    memory: MemorySettings = MemorySettings()
    checkpoints: CheckpointSettings = CheckpointSettings()
    budget: BudgetSettings = BudgetSettings()
    policies: dict[Mode, Path] = Field(
        default_factory=dict, description="Policy files replacing the presets, by mode."
    )
    checks: list[CheckSpec] = Field(
        default_factory=list,
        description="Checks run on every candidate (`--check NAME`); failing a hard one keeps a "
        "candidate from selection while another passes.",
    )
    auto_checks: bool = Field(
        True,
        description='Bind the checks the task states ("in at most 50 words", "no commas") '
        "besides the named ones (`--no-auto-checks` turns it off).",
    )
    graph: str = Field(
        "deliberation",
        description="The graph to run: a registered name (`noetic graphs`) or a TOML spec file.",
    )
    stages: dict[str, str] = Field(
        default_factory=dict,
        description="A role or stage to seat at a node of the graph, by node name "
        "(`--stage critique=devils_advocate`).",
    )
    rounds: int = Field(2, ge=1, le=MAX_ROUNDS)
    candidates: int = Field(3, ge=1, le=MAX_CANDIDATES)
    mode: ModeChoice = "auto"
    seed: int = Field(0, ge=0)
    steer: bool = Field(False, description="Pause before each selection for a person to steer.")
    log_json: bool = False
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, ModelSettings]) -> dict[str, ModelSettings]:
        known = registered_names(ROLES_GROUP)
        for name in value:
            if name not in known:
                raise ValueError(
                    f"no installed package registers the role {name!r} "
                    f"(installed: {', '.join(known)})"
                )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))


_toml_data: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "noetic_toml_data", default=None
)


class _TomlSource(PydanticBaseSettingsSource):
    """The parsed `noetic.toml` (read by `load_settings`, so its errors are ours to word)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_toml_data.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml_data.get() or {})


def find_config_file(explicit: Path | None = None) -> Path | None:
    """The config file to read: `--config`, else `$NOETIC_CONFIG`, else `./noetic.toml` if any."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(
                f"config file {explicit} does not exist",
                "pass the path of an existing noetic.toml to --config",
            )
        return explicit
    env = os.environ.get("NOETIC_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(
                f"NOETIC_CONFIG points to {path}, which does not exist",
                "set NOETIC_CONFIG to an existing file or unset it",
            )
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    return local if local.is_file() else None


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML ({exc})", f"fix the syntax of {path} or move it away"
        ) from None


_FLAG_FOR = {
    "rounds": "--rounds",
    "candidates": "--candidates",
    "mode": "--mode",
    "seed": "--seed",
    "model.path": "--model",
    "model.n_gpu_layers": "--gpu-layers",
    "model.base_url": "--base-url",
    "budget.max_tokens": "--max-tokens",
    "budget.max_seconds": "--max-seconds",
    "budget.extra_rounds": "--think-longer",
}


def describe_validation_error(exc: ValidationError, source: str) -> ConfigError:
    """One line for the first problem: which setting, what is wrong, where to change it."""
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err["loc"])
    if err["type"] == "extra_forbidden":
        known = ", ".join(sorted(NoeticSettings.model_fields))
        return ConfigError(
            f"unknown setting '{loc}' in {source}",
            f"remove it (known settings: {known})",
        )
    where = [_FLAG_FOR[loc]] if loc in _FLAG_FOR else []
    where.append("NOETIC_" + loc.upper().replace(".", "__"))
    if source != "settings":
        where.append(f"'{loc}' in {source}")
    return ConfigError(
        f"invalid setting {loc}={err.get('input')!r}: {err['msg'].lower()}",
        "set it with " + " or ".join(where),
    )


def settings_with(settings: NoeticSettings, **overrides: Any) -> NoeticSettings:
    """`settings` with `overrides` applied and validated (a bad value is one `ConfigError`)."""
    try:
        return NoeticSettings.model_validate({**dict(settings), **overrides})
    except ValidationError as exc:
        raise describe_validation_error(exc, "settings") from None


def load_settings(config_file: Path | None = None, **overrides: Any) -> NoeticSettings:
    """Build validated settings; `overrides` (CLI flags, Python kwargs) win over everything."""
    path = find_config_file(config_file)
    data = read_config_file(path) if path else {}
    token = _toml_data.set(data)
    try:
        return NoeticSettings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise describe_validation_error(exc, str(path) if path else "settings") from None
    finally:
        _toml_data.reset(token)
