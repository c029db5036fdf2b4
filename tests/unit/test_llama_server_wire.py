"""What the llama-server backend asks for when it scores, and how it reads the replies (a mocked
server; the real one is in tests/integration/test_llama_server_judge.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from noetic.models.base import Message, ScoreRequest
from noetic.models.llama_server import LlamaServerModel, text_grammar, token_grammar
from noetic.models.model_server import ModelServer
from noetic.models.openai_wire import ModelList
from noetic.settings import ModelSettings

SETTINGS = ModelSettings(base_url="http://127.0.0.1:9", retry_backoff_s=0.0)
TASK = [Message(role="user", content="Rate it.")]


def scored(tokens: list[tuple[str, float]], top: list[tuple[str, float]]) -> httpx.Response:
    content = [
        {
            "token": t,
            "bytes": list(t.encode()),
            "logprob": lp,
            "top_logprobs": [{"token": a, "logprob": b} for a, b in top],
        }
        for t, lp in tokens
    ]
    return httpx.Response(
        200,
        json={
            "choices": [{"message": {"content": ""}, "logprobs": {"content": content}}],
            "usage": {"prompt_tokens": 7, "completion_tokens": len(tokens)},
        },
    )


class Server:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"data": [{"id": "m.gguf", "owned_by": "llamacpp"}]})
        body = json.loads(request.content)
        self.bodies.append(body)
        if request.url.path == "/tokenize":
            split = {"Blue sky": [(31, "Blue"), (45, " sky")], "⁻": [(7, [226, 129]), (8, [187])]}
            pieces = [{"id": i, "piece": p} for i, p in split[body["content"]]]
            return httpx.Response(200, json={"tokens": pieces})
        if body.get("grammar", "").startswith("root ::= <"):  # the forced tokens
            return scored([("Blue", -1.0), (" sky", -2.0)], [])
        if "grammar" in body:  # the forced text, then the end token
            return scored([("⁻", -3.0), ("", -0.5)], [])
        return scored([("7", -0.5)], [("7", -0.5), ("8", -1.5), ("x", -3.0)])


async def test_a_continuation_is_forced_by_grammar_and_options_read_after_its_prefill() -> None:
    server = Server()
    model = LlamaServerModel(
        SETTINGS, server=ModelServer(SETTINGS, transport=httpx.MockTransport(server))
    )
    (scores,) = await model.score_each(
        [ScoreRequest(messages=TASK, continuation="Blue sky", options=["7", "8", "9"])]
    )
    assert scores.logprobs == [-1.0, -2.0]
    assert scores.options == {"7": -0.5, "8": -1.5}  # "9" was not among the likeliest
    assert scores.usage.prompt_tokens == 14
    tokenized, forced, after = server.bodies
    assert tokenized == {"content": "Blue sky", "add_special": False, "with_pieces": True}
    assert forced["grammar"] == "root ::= <[31]> <[45]>" and forced["max_tokens"] == 2
    assert forced["logprobs"] is True
    assert forced["temperature"] == 0.0 and forced["messages"][-1]["role"] == "user"
    assert after["messages"][-1] == {"role": "assistant", "content": "Blue sky"}
    assert after["max_tokens"] == 1 and after["top_logprobs"] == 100


async def test_a_text_whose_tokens_split_a_character_is_forced_as_text() -> None:
    server = Server()
    model = LlamaServerModel(
        SETTINGS, server=ModelServer(SETTINGS, transport=httpx.MockTransport(server))
    )
    (scores,) = await model.score_each([ScoreRequest(messages=TASK, continuation="⁻")])
    assert scores.logprobs == [-3.0]  # the end token after the text is not counted
    assert server.bodies[-1]["grammar"] == 'root ::= "⁻"'
    assert text_grammar('a "q"\\\n\x01') == 'root ::= "a \\"q\\"\\\\\\n\\x01"'


def test_llama_server_is_told_apart_by_the_owner_it_lists() -> None:
    def listed(*owners: str) -> ModelList:
        return ModelList.model_validate({"data": [{"id": "m", "owned_by": o} for o in owners]})

    assert listed("llamacpp").from_llama_server
    assert not listed("me").from_llama_server and not listed().from_llama_server
    assert token_grammar([7, 8]) == "root ::= <[7]> <[8]>"
