"""The OpenAI-compatible backend against a mocked server: retries and backoff, error mapping,
the API key, `n` sampling with and without server support, flavors and embeddings."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from noetic.errors import ConfigError, ContextOverflowError
from noetic.models.base import Message, Sampling
from noetic.models.factory import load_chat_model
from noetic.models.http_errors import ModelServerError
from noetic.models.http_retry import RetryPolicy
from noetic.models.model_server import ModelServer, api_root, display_name
from noetic.models.openai_compat import OpenAICompatEmbedder, OpenAICompatModel
from noetic.settings import ModelSettings, load_settings

URL = "http://127.0.0.1:9"
MESSAGES = [Message(role="user", content="hi")]
SCHEMA = {"title": "Critique", "type": "object", "properties": {"x": {"type": "integer"}}}

Handler = Callable[[httpx.Request], httpx.Response]


def settings(**overrides: Any) -> ModelSettings:
    return ModelSettings(base_url=URL, retry_backoff_s=0.0, **overrides)


class FakeServer:
    """Serves /v1/models and whatever `chat` answers; records every request."""

    def __init__(self, chat: Handler | None = None, models: list[str] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.chat = chat or (lambda request: completion(["{}"]))
        self.models = ["/srv/models/Tiny.Q4.gguf"] if models is None else models

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/v1/models":
            return httpx.Response(200, json={"data": [{"id": m} for m in self.models]})
        return self.chat(request)

    def bodies(self, path: str = "/v1/chat/completions") -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if r.url.path == path]

    def model(self, **overrides: Any) -> OpenAICompatModel:
        server = ModelServer(settings(**overrides), transport=httpx.MockTransport(self))
        return OpenAICompatModel(settings(**overrides), server=server)


def completion(texts: list[str], prompt: int = 5, completion_tokens: int = 3) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "choices": [
                {"index": i, "message": {"role": "assistant", "content": t}}
                for i, t in enumerate(texts)
            ],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion_tokens},
        },
    )


def failing_then(failures: list[httpx.Response | Exception], then: Handler) -> Handler:
    pending = list(failures)

    def handle(request: httpx.Request) -> httpx.Response:
        if pending:
            failure = pending.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        return then(request)

    return handle


async def test_names_the_served_gguf_like_the_in_process_backend() -> None:
    model = FakeServer().model()
    assert model.api_model == "/srv/models/Tiny.Q4.gguf"
    assert model.name == "Tiny.Q4.gguf"
    assert FakeServer().model(api_model="qwen2.5:7b").name == "qwen2.5:7b"


async def test_transient_failures_are_retried_then_succeed() -> None:
    refused = httpx.ConnectError("connection refused")
    server = FakeServer(
        chat=failing_then(
            [httpx.Response(503, json={"error": {"message": "loading"}}), refused],
            lambda request: completion(["ok"]),
        )
    )
    with capture_logs() as logs:
        result = await server.model().complete(MESSAGES, Sampling(seed=1))
    assert result.texts == ["ok"]
    assert len(server.bodies()) == 3
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == ["model_server_retry"] * 2


async def test_a_server_that_stays_down_is_one_error_naming_the_url_and_the_fix() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    model = FakeServer().model(max_retries=2)
    model.server = ModelServer(settings(max_retries=2), transport=httpx.MockTransport(down))
    with pytest.raises(ModelServerError) as caught:
        await model.complete(MESSAGES, Sampling())
    assert "http://127.0.0.1:9/v1" in caught.value.problem
    assert "3 time(s)" in caught.value.problem and "ConnectError" in caught.value.problem
    assert "--base-url" in caught.value.fix


def test_an_unreachable_server_fails_at_load_not_mid_run() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    server = ModelServer(settings(max_retries=1), transport=httpx.MockTransport(down))
    with pytest.raises(ModelServerError, match="failed 2 time"):
        OpenAICompatModel(settings(max_retries=1), server=server)


async def test_context_overflow_is_not_retried_and_keeps_its_error_class() -> None:
    overflow = httpx.Response(
        400,
        json={
            "error": {
                "message": "This model's maximum context length is 1024 tokens.",
                "code": "context_length_exceeded",
            }
        },
    )
    server = FakeServer(chat=lambda request: overflow)
    with pytest.raises(ContextOverflowError, match="maximum context length is 1024"):
        await server.model().complete(MESSAGES, Sampling())
    assert len(server.bodies()) == 1


@pytest.mark.parametrize("status", [400, 422])
async def test_a_rejected_request_is_not_retried(status: int) -> None:
    server = FakeServer(
        chat=lambda request: httpx.Response(status, json={"error": {"message": "bad field"}})
    )
    with capture_logs() as logs, pytest.raises(ModelServerError, match=f"HTTP {status}"):
        await server.model().complete(MESSAGES, Sampling())
    assert len(server.bodies()) == 1
    assert not [e for e in logs if e["event"] == "model_server_retry"]


async def test_a_plain_500_is_still_retried() -> None:
    server = FakeServer(
        chat=failing_then(
            [httpx.Response(500, json={"error": {"message": "internal error"}})],
            lambda request: completion(["ok"]),
        )
    )
    assert (await server.model().complete(MESSAGES, Sampling())).texts == ["ok"]
    assert len(server.bodies()) == 2


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            501,
            {
                "error": {
                    "code": 501,
                    "message": "This server does not support embeddings. "
                    "Start it with `--embeddings`",
                    "type": "not_supported_error",
                }
            },
        ),
        (
            500,
            {
                "error": {
                    "message": "Llama model must be created with embedding=True to call this "
                    "method",
                    "type": "internal_server_error",
                    "param": None,
                    "code": None,
                }
            },
        ),
        (500, {"error": "This server does not support embeddings. Start it with --embeddings"}),
        (
            400,
            {
                "object": "error",
                "message": "The model does not support Embeddings API",
                "type": "BadRequestError",
                "code": 400,
            },
        ),
    ],
    ids=["llama-server", "llama-cpp-python", "bare-error-500", "vllm"],
)
def test_a_server_without_embeddings_is_one_error_naming_the_fixes_at_once(
    status: int, body: dict[str, Any]
) -> None:
    fake = FakeServer(chat=lambda request: httpx.Response(status, json=body))
    with capture_logs() as logs, pytest.raises(ModelServerError) as caught:
        OpenAICompatEmbedder(
            settings(), server=ModelServer(settings(), transport=httpx.MockTransport(fake))
        )
    assert len(fake.bodies("/v1/embeddings")) == 1
    assert not [e for e in logs if e["event"] == "model_server_retry"]
    assert f"serves no embeddings (HTTP {status}: " in caught.value.problem
    for fix in ("--embeddings", "memory.embedding_model", "memory.enabled"):
        assert fix in caught.value.fix


@pytest.mark.parametrize(
    ("status", "message", "retried"),
    [
        (408, "request timeout", True),
        (429, "too many requests", True),
        (500, "internal error", True),
        (502, "bad gateway", True),
        (503, "loading model", True),
        (504, "gateway timeout", True),
        (400, "invalid request", False),
        (401, "bad key", False),
        (404, "no such model", False),
        (422, "invalid field", False),
        (501, "not implemented", False),
        (500, "This server does not support embeddings. Start it with `--embeddings`", False),
        (503, "Embeddings are not enabled on this server", False),
    ],
)
def test_only_replies_that_may_pass_are_retried(status: int, message: str, retried: bool) -> None:
    policy = RetryPolicy(url=URL, max_retries=1, backoff_s=0.0, timeout_s=1.0)
    response = httpx.Response(status, json={"error": {"message": message}})
    assert (policy.after(0, response) is not None) is retried


def test_retry_after_is_honoured() -> None:
    policy = RetryPolicy(url=URL, max_retries=1, backoff_s=0.0, timeout_s=1.0)
    assert policy.after(0, httpx.Response(429, headers={"Retry-After": "2"})) == 2.0


async def test_read_timeouts_are_not_retried() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out")

    server = FakeServer(chat=slow)
    with pytest.raises(ModelServerError, match="did not answer within 7s") as caught:
        await server.model(timeout_s=7).complete(MESSAGES, Sampling())
    assert "timeout_s" in caught.value.fix
    assert len(server.bodies()) == 1


async def test_the_api_key_comes_from_the_named_variable_and_is_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "sk-very-secret-123"
    monkeypatch.setenv("MY_SERVER_KEY", secret)
    server = FakeServer(
        chat=lambda request: httpx.Response(401, json={"error": {"message": "bad key"}})
    )
    with capture_logs() as logs, pytest.raises(ModelServerError) as caught:
        model = server.model(api_key_env="MY_SERVER_KEY")
        await model.complete(MESSAGES, Sampling())
    assert {r.headers["authorization"] for r in server.requests} == {f"Bearer {secret}"}
    assert "$MY_SERVER_KEY" in caught.value.fix
    shown = str(caught.value) + repr(model) + repr(model.server) + repr(logs)
    assert secret not in shown


async def test_no_key_sends_no_authorization_header() -> None:
    server = FakeServer()
    await server.model(api_key_env="NOETIC_TEST_UNSET_KEY").complete(MESSAGES, Sampling())
    assert all("authorization" not in r.headers for r in server.requests)


async def test_n_samples_come_from_the_servers_n_when_it_honours_it() -> None:
    def honours(request: httpx.Request) -> httpx.Response:
        return completion([f"s{i}" for i in range(json.loads(request.content).get("n", 1))])

    server = FakeServer(chat=honours)
    result = await server.model().complete(MESSAGES, Sampling(seed=5), n=3)
    assert result.texts == ["s0", "s1", "s2"]
    assert [b.get("n") for b in server.bodies()] == [3]


async def test_a_server_ignoring_n_gets_concurrent_requests_with_distinct_seeds() -> None:
    def ignores(request: httpx.Request) -> httpx.Response:
        return completion([f"seed{json.loads(request.content)['seed']}"])

    server = FakeServer(chat=ignores)
    model = server.model()
    first = await model.complete(MESSAGES, Sampling(seed=10), n=3)
    assert sorted(first.texts) == ["seed10", "seed11", "seed12"]
    assert first.usage.prompt_tokens == 15 and first.usage.completion_tokens == 9
    assert [b.get("n") for b in server.bodies()] == [3, None, None]

    server.requests.clear()
    await model.complete(MESSAGES, Sampling(seed=20), n=2)
    assert [(b.get("n"), b["seed"]) for b in server.bodies()] in (
        [(None, 20), (None, 21)],
        [(None, 21), (None, 20)],
    )


async def test_the_concurrency_limit_bounds_requests_in_flight() -> None:
    in_flight = peak = 0

    class SlowTransport(httpx.MockTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return completion(["x"])

    server = ModelServer(settings(max_concurrency=2), transport=SlowTransport(FakeServer()))
    model = OpenAICompatModel(settings(max_concurrency=2), server=server)
    await asyncio.gather(*(model.complete(MESSAGES, Sampling()) for _ in range(6)))
    assert peak == 2


@pytest.mark.parametrize(
    ("flavor", "format_type", "penalty_key"),
    [
        ("llama_cpp", "json_object", "repeat_penalty"),
        ("vllm", "json_schema", "repetition_penalty"),
        ("openai", "json_schema", None),
    ],
)
async def test_structured_output_and_penalty_follow_the_flavor(
    flavor: str, format_type: str, penalty_key: str | None
) -> None:
    server = FakeServer()
    await server.model(api_flavor=flavor).complete(
        MESSAGES, Sampling(repeat_penalty=1.2), json_schema=SCHEMA
    )
    [body] = server.bodies()
    assert body["response_format"]["type"] == format_type
    if format_type == "json_object":
        assert body["response_format"]["schema"] == SCHEMA
    else:
        assert body["response_format"]["json_schema"] == {"name": "Critique", "schema": SCHEMA}
    penalties = {k: v for k, v in body.items() if "penalty" in k}
    assert penalties == ({penalty_key: 1.2} if penalty_key else {})


async def test_a_reply_that_is_not_a_chat_completion_is_a_clear_error() -> None:
    server = FakeServer(chat=lambda request: httpx.Response(200, json={"choices": []}))
    with pytest.raises(ModelServerError, match="not an OpenAI chat completion"):
        await server.model().complete(MESSAGES, Sampling())


async def test_embeddings_are_pooled_unit_vectors_in_input_order() -> None:
    def embeddings(request: httpx.Request) -> httpx.Response:
        texts = json.loads(request.content)["input"]
        data = [
            # Per-token vectors, as llama-cpp-python's server returns for unpooled models.
            {"index": i, "embedding": [[float(len(t)), 0.0, 0.0], [float(len(t)), 2.0, 0.0]]}
            for i, t in enumerate(texts)
        ]
        return httpx.Response(200, json={"data": list(reversed(data))})

    fake = FakeServer(chat=embeddings)
    embedder = OpenAICompatEmbedder(
        settings(), server=ModelServer(settings(), transport=httpx.MockTransport(fake))
    )
    assert embedder.dimension == 3
    vectors = await embedder.embed(["a", "", "abc"])
    assert all(math.isclose(sum(v * v for v in vector), 1.0) for vector in vectors)
    assert vectors[0] == pytest.approx([1 / math.sqrt(2), 1 / math.sqrt(2), 0.0])
    assert vectors[2] == pytest.approx([3 / math.sqrt(10), 1 / math.sqrt(10), 0.0])
    inputs = [body["input"] for body in fake.bodies("/v1/embeddings")[1:]]  # after the probe
    assert sorted(inputs) == [[" "], ["a"], ["abc"]]  # llama_cpp: one text per request


async def test_other_flavors_embed_many_texts_in_one_request() -> None:
    def embeddings(request: httpx.Request) -> httpx.Response:
        texts = json.loads(request.content)["input"]
        return httpx.Response(
            200, json={"data": [{"index": i, "embedding": [1.0, 0.0]} for i in range(len(texts))]}
        )

    fake = FakeServer(chat=embeddings)
    vllm = settings(api_flavor="vllm")
    embedder = OpenAICompatEmbedder(
        vllm, server=ModelServer(vllm, transport=httpx.MockTransport(fake))
    )
    assert await embedder.embed(["a", "b", "c"]) == [[1.0, 0.0]] * 3
    assert [body["input"] for body in fake.bodies("/v1/embeddings")][1:] == [["a", "b", "c"]]


def test_retry_delays_double_with_jitter_and_honour_retry_after() -> None:
    policy = RetryPolicy(url=URL, max_retries=5, backoff_s=1.0, timeout_s=1.0)
    for retry in range(4):
        assert 2**retry * 0.5 <= policy.delay(retry) <= 2**retry
    assert policy.delay(0, retry_after=5.0) == 5.0
    assert policy.delay(10) <= 30.0


def test_base_urls_without_a_path_mean_their_v1_root() -> None:
    assert api_root("http://host:8000") == "http://host:8000/v1"
    assert api_root("http://host:8000/") == "http://host:8000/v1"
    assert api_root("https://api.example.com/v1/") == "https://api.example.com/v1"
    assert api_root("http://host/proxy/openai/v1") == "http://host/proxy/openai/v1"
    assert display_name("Qwen/Qwen2.5-7B-Instruct") == "Qwen/Qwen2.5-7B-Instruct"


def test_settings_select_the_server_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOETIC_MODEL__BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("NOETIC_MODEL__MAX_CONCURRENCY", "16")
    loaded = load_settings()
    assert loaded.model.base_url == "http://127.0.0.1:8000/v1"
    assert loaded.model.max_concurrency == 16
    with pytest.raises(ConfigError, match="model.base_url"):
        load_settings(model={"base_url": "127.0.0.1:8000"})


def test_the_factory_checks_the_server_it_selects() -> None:
    with pytest.raises(ModelServerError, match="127.0.0.1:9/v1"):
        load_chat_model(settings(max_retries=0, timeout_s=2))
