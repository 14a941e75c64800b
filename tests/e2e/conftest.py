"""Running the installed ``lucy-events`` command the way a user does."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "lucy-events"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cli:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd

    def run(self, *args: str, check: bool = True, input: str | None = None
            ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(BIN), *args], env=self.env, cwd=self.cwd, capture_output=True, text=True,
            timeout=120, input=input,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"lucy-events {' '.join(args)} failed:\n{result.stderr}")
        return result

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(BIN), *args], env=self.env, cwd=self.cwd, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUCY_")}
    # A command that dies of a signal (a crash in a C library) prints its threads' stacks.
    env.update(LUCY_DATA_DIR=str(tmp_path / "var"), LUCY_LOG_FORMAT="json",
               PYTHONFAULTHANDLER="1", **extra)
    env.setdefault("LUCY_SMTP_PORT", str(free_port()))  # serve's SMTP intake: no fixed port
    return env


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The demo firm seeded once for a module's tests that only read it (history, as-of,
    a command's error): seeding takes seconds, and reading changes nothing."""
    home = tmp_path_factory.mktemp("demo")
    cli = Cli(cli_env(home), home)
    cli.run("demo")
    return cli


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    return Cli(cli_env(tmp_path), tmp_path)


@pytest.fixture
def postgres_cli(tmp_path: Path, postgres_url: str) -> Cli:
    return Cli(cli_env(tmp_path, LUCY_DATABASE_URL=postgres_url), tmp_path)
