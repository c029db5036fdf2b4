"""A throwaway PostgreSQL for tests: Debian's server binaries, a cluster in a temporary folder on
a free loopback port with trust authentication, started once per session; each test that asks
for `postgres_url` gets a database of its own.

PostgreSQL refuses to run as root, so under root the cluster belongs to the `postgres` user and
its commands run as that user. Where no server binaries are installed (`make test` installs
Debian's `postgresql` when it can), the tests that need one are skipped and say why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

OWNER = "postgres"
"""The OS user that owns the cluster when the tests run as root; also its superuser's name."""
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
)
"""Loopback only, no socket file, and durability off: the cluster lives as long as the tests."""


def server_binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: Debian's newest, else the ones on PATH."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    found = debian[-1] if debian else shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PostgresServer:
    """A cluster in `root` on `port`, run by `binaries`."""

    def __init__(self, binaries: Path, root: Path, port: int) -> None:
        self.binaries = binaries
        self.root = root
        self.port = port

    @classmethod
    def start(cls) -> PostgresServer:
        """initdb and start a fresh cluster, or skip the calling tests saying what is missing."""
        binaries = server_binaries()
        if binaries is None:
            pytest.skip(
                "PostgreSQL server binaries are not installed (Debian: apt-get install postgresql)"
            )
        root = Path(tempfile.mkdtemp(prefix="noetic-postgres-"))
        if os.geteuid() == 0:
            try:
                shutil.chown(root, user=OWNER, group=None)
            except LookupError:
                shutil.rmtree(root)
                pytest.skip(f"running as root and there is no {OWNER!r} user to run PostgreSQL")
        server = cls(binaries, root, free_port())
        server._run("initdb", "-D", "data", "-U", OWNER, "-A", "trust", "-E", "UTF8", "--no-sync")
        server._run("pg_ctl", "-D", "data", "-l", "server.log", "-w", "-o",
                    f"-p {server.port} {SERVER_OPTIONS}", "start")  # fmt: skip
        return server

    def stop(self) -> None:
        self._run("pg_ctl", "-D", "data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://{OWNER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database's URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'create database "{name}"')
        return self.url(name)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", OWNER, "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr}\n{tail}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh database on the session's cluster."""
    return postgres_server.create_database()
