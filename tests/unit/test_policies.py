"""Policy presets and policy files."""

from __future__ import annotations

from pathlib import Path

import pytest

from noetic import adeliberate
from noetic.errors import ConfigError
from noetic.policies import PRESETS, Policy, SelectionWeights, load_policy_file, load_preset
from noetic.policies.policy import policy_toml
from noetic.testing import HashingEmbedder, RoleScript

DECIDING = ("meta_thinker", "mode_switcher", "synthesizer")


def test_presets_load_and_differ() -> None:
    safe, experimental = (load_preset(mode) for mode in PRESETS)
    assert safe.sampling.temperature < experimental.sampling.temperature
    assert safe.candidates(3) < experimental.candidates(3)
    assert safe.weights.round_novelty < experimental.weights.round_novelty


def test_presets_keep_the_deciding_roles_cool_in_every_mode() -> None:
    for mode in PRESETS:
        policy = load_preset(mode)
        assert {policy.role_sampling(role).temperature for role in DECIDING} == {0.3}
        assert policy.role_sampling("generator") == policy.sampling
    assert Policy(name="without a roles table").roles == load_preset("safe").roles


def test_a_role_table_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\n[roles.meta_thinker]\ntemperature = 0.9\n[roles.generator]\ntop_p = 0.5\n'
    )
    policy = load_policy_file(path)
    reflect = policy.role_sampling("meta_thinker", max_tokens=140)
    assert (reflect.temperature, reflect.top_p, reflect.max_tokens) == (0.9, 0.95, 140)
    assert policy.role_sampling("generator") == policy.sampling.model_copy(update={"top_p": 0.5})
    assert policy.role_sampling("synthesizer").temperature == 0.3
    path.write_text(policy_toml(policy))
    assert load_policy_file(path) == policy


async def test_a_role_samples_as_the_policy_file_says(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[roles.meta_thinker]\ntemperature = 0.9\n')
    model = RoleScript().model()
    await adeliberate(
        "A question",
        model=model,
        embedder=HashingEmbedder(),
        rounds=1,
        mode="safe",
        policies={"safe": path},
    )
    temperatures = {r.schema_title: r.sampling.temperature for r in model.requests}
    assert temperatures["Reflection"] == 0.9
    assert temperatures["Synthesis"] == 0.3
    plain = {r.sampling.temperature for r in model.requests if r.schema_title is None}
    assert plain == {0.0, load_policy_file(path).sampling.temperature}  # the first is greedy


def test_candidates_are_capped() -> None:
    assert load_preset("experimental").candidates(8) == 8


def test_combine_is_a_weighted_mean_of_present_signals() -> None:
    weights = SelectionWeights(relevance=0.5, coherence=0.5, novelty=0.0, resonance=1.0)
    assert weights.combine({"relevance": 1.0, "coherence": 0.0, "novelty": 1.0}) == 0.5
    assert weights.combine({}) == 0.0


def test_a_registered_text_signal_is_weighed_by_name() -> None:
    # The built-in substance signals are fields; any registered signal may be weighed too.
    weights = SelectionWeights(no_echo=0.5)
    assert weights.combine({"no_echo": 1.0, "pmi": 0.0}) > weights.combine({"pmi": 0.0})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "x"\nwarmth = 3\n', "unknown key 'warmth'"),
        ('name = "x"\n[sampling]\ntemperature = 9\n', "sampling.temperature"),
        ("name = ", "not valid TOML"),
        (
            'name = "x"\n[roles.meta_thinkr]\ntemperature = 0.5\n',
            "registers the role 'meta_thinkr'",
        ),
        ('name = "x"\n[roles.critic]\nwarmth = 1\n', "unknown key 'roles.critic.warmth'"),
        ('name = "x"\n[roles.critic]\ntemperature = 3\n', "roles.critic.temperature"),
        ('name = "x"\n[weights]\nwit = 0.2\n', "unknown signal 'wit'.*informativeness"),
        ('name = "x"\n[weights]\ncoverage = 2\n', "weights.coverage"),
    ],
)
def test_bad_policy_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_policy_file(path)


def test_what_resonance_rewards_is_the_policys_choice() -> None:
    assert not load_preset("safe").explores and load_preset("experimental").explores
    assert Policy(name="safe", favours="unexplored").explores
    assert not Policy(name="experimental", favours="reinforced").explores
    # a policy stored before the field keeps what its mode did
    assert Policy(name="experimental").explores and not Policy(name="safe").explores
