"""A model server in a subprocess on loopback, serving a GGUF for tests and benchmarks (Noetic's
scale-out tests and `bench`, and yours): llama.cpp's own `llama-server` (which `make
llama-server` builds next to the venv's Python) with `--parallel` slots and continuous
batching, or llama-cpp-python's `python -m llama_cpp.server`.

`OMP_WAIT_POLICY=PASSIVE` keeps its idle threads from spinning, so the test process next to it
(and any in-process model there) is not starved.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
LLAMA_SERVER = shutil.which("llama-server", path=str(Path(sys.executable).parent))
LLAMA_SERVER = LLAMA_SERVER or shutil.which("llama-server")
"""The binary `make llama-server` links into the venv, else one on PATH, else None."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class LlamaServer:
    """One server process; `start` waits until it lists its model, `kill` is a crash.

    `parallel` slots make it llama-server (each slot gets `n_ctx` tokens, and `/metrics` counts
    its work); `parallel=None` is llama-cpp-python's server, which serves one request at a time.
    """

    def __init__(
        self,
        model: Path,
        log_path: Path,
        *,
        port: int | None = None,
        embedding: bool = False,
        parallel: int | None = 4,
        n_ctx: int = 4096,
    ) -> None:
        self.model = model
        self.log_path = log_path
        self.port = port or free_port()
        self.embedding = embedding
        self.parallel = parallel
        self.n_ctx = n_ctx
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    def command(self) -> list[str]:
        threads = str(os.cpu_count() or 1)
        if self.parallel is None:
            return [
                *(sys.executable, "-m", "llama_cpp.server", "--model", str(self.model)),
                *("--host", HOST, "--port", str(self.port), "--n_ctx", str(self.n_ctx)),
                *("--n_threads", threads, "--verbose", "false"),
                *("--embedding", str(self.embedding).lower()),
            ]
        if LLAMA_SERVER is None:
            raise RuntimeError("llama-server is not built: run `make llama-server`")
        return [
            *(LLAMA_SERVER, "--model", str(self.model), "--host", HOST, "--port", str(self.port)),
            *("--parallel", str(self.parallel), "--ctx-size", str(self.n_ctx * self.parallel)),
            *("--threads", threads, "--no-webui", "--metrics"),
            *(["--embeddings"] if self.embedding else []),
        ]

    def start(self, timeout_s: float = 120.0) -> LlamaServer:
        command = self.command()
        env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited early:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/models", timeout=2.0).is_success:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{command[0]} did not come up in {timeout_s}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, in-flight requests are cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]
