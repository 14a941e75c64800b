"""Ops rebuild the read models, list failed deliveries with their reasons, and replay
them: from the terminal, on the embedded default."""

from __future__ import annotations

import json

from tests.e2e.conftest import Cli


def test_replay_then_failed_deliveries_then_retry(sqlite_cli: Cli):
    sqlite_cli.run("demo")
    rebuilt = sqlite_cli.run("replay")
    assert "dashboard:" in rebuilt.stdout and "swapped in" in rebuilt.stdout
    assert "rebuilding dashboard" in rebuilt.stderr  # the progress bar

    failed = sqlite_cli.run("deliveries", "failed").stdout.splitlines()
    count = int(failed[-1].split()[0])
    assert count > 0
    assert any("401 Unauthorized" in line or "SMTP" in line for line in failed[1:-1])

    exact = sqlite_cli.run("deliveries", "failed", "--integration", "exact-online-api").stdout
    exact_count = int(exact.splitlines()[-1].split()[0])
    assert 0 < exact_count <= count
    assert all("exact-online-api" in line for line in exact.splitlines()[1:-1])

    retried = sqlite_cli.run("deliveries", "retry", "--integration", "exact-online-api").stdout
    assert f"{exact_count} documents asked to be sent again, 0 skipped" in retried

    client = next(line.split()[2] for line in exact.splitlines()[1:-1])
    history = [json.loads(line) for line in
               sqlite_cli.run("history", client, "--json").stdout.splitlines()]
    assert any(e["event"] == "SendRequested" and e["actor"] == "system:ops" for e in history)


def test_a_bad_since_names_the_option(sqlite_cli: Cli):
    result = sqlite_cli.run("deliveries", "failed", "--since", "last week", check=False)
    assert result.returncode == 2 and "--since" in result.stderr
