"""`make run` starts `lucy-events serve --demo`: it answers over real HTTP."""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.error import URLError

from tests.e2e.conftest import Cli, free_port


def _get(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def _wait_until_up(url: str, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read()}")
        try:
            _get(url)
            return
        except (URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_serve_with_demo_answers_health_and_readiness_on_the_embedded_default(sqlite_cli: Cli):
    port = free_port()
    process = sqlite_cli.start("serve", "--demo", "--port", str(port))
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        health = _get(f"http://127.0.0.1:{port}/healthz")
        assert health == (200, {"status": "ok", "version": "0.1.0"})
        status, ready = _get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and ready["event_store"]["position"] > 300
        assert (sqlite_cli.cwd / "var" / "events.sqlite").exists()
        deadline = time.monotonic() + 30  # the in-process read models catch up
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                metrics = r.read().decode()
            lags = [line for line in metrics.splitlines()
                    if line.startswith("lucy_consumer_lag") and 'consumer="dashboard"' in line]
            if lags and float(lags[0].rsplit(" ", 1)[1]) == 0:
                break
            time.sleep(0.2)
        assert lags and float(lags[0].rsplit(" ", 1)[1]) == 0, metrics
        assert any((sqlite_cli.cwd / "var" / "blobs").rglob("*"))
    finally:
        process.terminate()
        process.wait(timeout=10)
