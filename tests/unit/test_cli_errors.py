"""Bad input through the real CLI: one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from noetic_cli import noetic, one_line_error
from structlog.testing import capture_logs

from noetic.models.default_model import default_model_path
from noetic.models.factory import load_embedder
from noetic.models.llama_embedder import LlamaCppEmbedder
from noetic.settings import ModelSettings, load_settings

# What a server started without embeddings answers `POST /v1/embeddings`.
LLAMA_SERVER_NO_EMBEDDINGS = {
    "error": {
        "code": 501,
        "message": "This server does not support embeddings. Start it with `--embeddings`",
        "type": "not_supported_error",
    }
}
LLAMA_CPP_PYTHON_NO_EMBEDDINGS = {
    "error": {
        "message": "Llama model must be created with embedding=True to call this method",
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}


@contextmanager
def server_without_embeddings(status: int, body: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """An OpenAI-compatible server on a free loopback port that lists one model and answers
    every POST with `status` and `body`; yields its URL and the paths POSTed to."""
    posts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            models = {"object": "list", "data": [{"id": "chat.gguf", "object": "model"}]}
            if self.path == "/v1/models":
                self._reply(200, models)
            else:
                self._reply(404, {"error": {"code": 404, "message": "File Not Found"}})

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            posts.append(self.path)
            self._reply(status, body)

        def _reply(self, code: int, reply: dict[str, Any]) -> None:
            data = json.dumps(reply).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads `posts`, not the access log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", posts
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["run", "   "], ["task is empty"]),
        (["run", "x", "--rounds", "0"], ["rounds=0", "--rounds"]),
        (["run", "x", "--candidates", "9"], ["candidates=9", "--candidates"]),
        (["run", "x", "--mode", "wild"], ["mode='wild'"]),
        (["run", "x", "--model", "/no/such/model.gguf"], ["does not exist", "--model"]),
        (["bench", "--model", "/no/such/model.gguf"], ["does not exist", "--model"]),
        # Numbers out of range go the same way as every bad input, not through Typer's usage block.
        (["batch", "tasks.jsonl", "--concurrency", "0"], ["--concurrency 0", "1 to 64"]),
        (["eval", "--suite", "open", "--samples", "9"], ["--samples 9", "2 to 8"]),
        (["eval", "--suite", "open", "--limit", "0"], ["--limit 0", "--limit 1 or more"]),
        (["bench", "--repeats", "0"], ["--repeats 0", "--repeats 1 or more"]),
        (["graph", "--format", "png"], ["--format png", "--out"]),
    ],
)
def test_bad_run_arguments(tmp_path: Path, args: list[str], needles: list[str]) -> None:
    one_line_error(noetic(*args, cwd=tmp_path), *needles)


def test_file_that_is_not_gguf(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 this is a zip")
    one_line_error(noetic("run", "x", "--model", str(fake), cwd=tmp_path), "not a GGUF model")


def test_malformed_noetic_toml(tmp_path: Path) -> None:
    (tmp_path / "noetic.toml").write_text("rounds = [\n")
    one_line_error(noetic("run", "x", cwd=tmp_path), "not valid TOML")


def test_unknown_setting_in_noetic_toml(tmp_path: Path) -> None:
    (tmp_path / "noetic.toml").write_text("temperature = 0.5\n")
    one_line_error(noetic("config", "show", cwd=tmp_path), "unknown setting 'temperature'")


def test_version_and_roles(tmp_path: Path) -> None:
    version = noetic("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("noetic 0.")
    roles = noetic("roles", "--json", cwd=tmp_path)
    assert roles.returncode == 0
    assert "generator" in roles.stdout and '"package": "noetic"' in roles.stdout


@pytest.mark.parametrize(
    ("status", "body"),
    [(501, LLAMA_SERVER_NO_EMBEDDINGS), (500, LLAMA_CPP_PYTHON_NO_EMBEDDINGS)],
    ids=["llama-server", "llama-cpp-python"],
)
def test_a_server_without_embeddings_leaves_them_to_the_packaged_model_in_process(
    status: int, body: dict[str, Any]
) -> None:
    """Not an error: a chat server's default is no embeddings, and a run should just work.
    One log line says so, and the server is asked once (a refusal is not retried)."""
    settings = load_settings()
    with server_without_embeddings(status, body) as (url, posts), capture_logs() as logs:
        embedder = load_embedder(settings.model_copy(update={"model": ModelSettings(base_url=url)}))
    assert isinstance(embedder, LlamaCppEmbedder)
    assert embedder.name == default_model_path().name
    said = [e for e in logs if e["event"] == "embedding_in_process"]
    assert len(said) == 1 and "serves no embeddings" in said[0]["server"]
    assert posts == ["/v1/embeddings"]
