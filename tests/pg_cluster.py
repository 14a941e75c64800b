"""A PostgreSQL cluster of a test's own (Debian's initdb and pg_ctl, on a free port), so
a test can stop and start the database under running processes. Run as the postgres
user when the tests run as root (initdb refuses root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BIN = Path(os.environ.get("LUCY_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


class ClusterError(Exception):
    """Raised when the cluster cannot be made or started here; says why."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnPostgres:
    def __init__(self) -> None:
        if not (BIN / "initdb").exists():
            raise ClusterError(f"no initdb in {BIN}")
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise ClusterError("running as root and runuser is missing")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.dir = Path(tempfile.mkdtemp(prefix="lucy-pg-"))
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run([str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                   "--no-sync", "-E", "UTF8"])

    def _run(self, command: list[str]) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True,
                              timeout=60, check=False)
        if done.returncode != 0:
            raise ClusterError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off")
        self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                   "-l", str(self.dir / "log"), "-w", "start"])

    def stop(self) -> None:
        """A fast shutdown: every open connection is cut, as in an outage."""
        self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                       "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)
