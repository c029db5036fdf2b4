"""Prompt layout for the prefix cache: what the rounds and the judge send must start alike.

The backend caches a call's common prefix and finds it again only token for token, so fixed text
goes first. Rendered with a ChatML template like the default model's (SmolLM2: a default system
message when a request has none), as text: a shared text prefix is a shared token prefix up to
the last token at its edge.
"""

from __future__ import annotations

import os

from noetic import adeliberate
from noetic.agents.generator import AssociativeGenerator
from noetic.agents.signals.likelihood import likelihood_groups, likelihood_requests
from noetic.models.base import Message
from noetic.models.chat_template import ChatTemplate
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel

CHATML = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant.<|im_end|>\n' }}{% endif %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
TEMPLATE = ChatTemplate(CHATML, bos_token="<|im_start|>", eos_token="<|im_end|>")
TASK = "Explain why the sky is blue in two sentences."


def text(messages: list[Message]) -> str:
    return TEMPLATE.render(messages)[0]


def shared(a: str, b: str) -> str:
    return a[: len(os.path.commonprefix([a, b]))]


def refine(draft: str, fix: str) -> str:
    return text(AssociativeGenerator.prompt.render(task=TASK, previous=draft, fix=fix))


def test_the_refine_prompt_starts_as_the_plain_prompt() -> None:
    """Refinements and fresh samples of a round share the system message and the whole task."""
    plain = text([Message(role="user", content=TASK)])
    assert shared(refine("A draft.", "Fix this: say more."), plain).endswith(TASK)


def test_each_scoring_group_shares_its_whole_prompt() -> None:
    """The judge sends the task's texts and the neutral ones apart: each group's common prefix
    is its whole prompt, and the task's is the generator's plain prompt, cached by the round."""
    texts = ["Rayleigh scattering.", "Blue light scatters more."]
    groups = likelihood_groups(likelihood_requests(TASK, texts))
    assert [len(g) for g in groups] == [2, 2]
    for group in groups:
        assert all(r.messages == group[0].messages for r in group)
    assert groups[0][0].messages == [Message(role="user", content=TASK)]
    assert groups[0][0].messages != groups[1][0].messages


async def test_the_judge_reads_round_one_candidates_after_the_prompt_they_were_sampled_from() -> (
    None
):
    """The in-process backend answers a read of a text after the very prompt it was sampled from
    out of the log-probabilities kept while sampling (`llama_reads`), with no evaluation; a
    generator or judge prompt that drifts apart would silently evaluate every read again."""
    model = ScriptedModel(RoleScript())
    await adeliberate(TASK, model=model, embedder=HashingEmbedder(), rounds=1)
    sampled = [r for r in model.requests if r.schema_title is None]  # the generator's plain text
    assert sampled and all(r.messages == sampled[0].messages for r in sampled)
    assert sampled[0].messages == [Message(role="user", content=TASK)]
    reads = [r.messages for r in model.score_requests if r.continuation and not r.options]
    assert reads.count(sampled[0].messages) >= len(sampled)
