"""One relay at a time: a second ``lucy-events relay`` waits as a hot standby and takes over
within seconds when the active one is killed, losing nothing, and publishing again only
what the killed one had sent without saving its position (the at-least-once window)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from lucy_events.bootstrap import Services, bootstrap
from lucy_events.bus import positions
from lucy_events.bus.avro import AvroCodec
from lucy_events.bus.catalogue import TOPICS
from lucy_events.config import Settings
from tests.bus_support import read_topics
from tests.e2e.conftest import BIN, Cli
from tests.support import open_office

BATCH = 50


class RelayProcess:
    """``lucy-events relay`` with its JSON log lines in a file (a pipe could fill up)."""

    def __init__(self, cli: Cli, name: str) -> None:
        self.log_path = cli.cwd / f"{name}.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(BIN), "relay", "--batch-size", str(BATCH)], env=cli.env, cwd=cli.cwd,
            stdout=self.log_file, stderr=subprocess.STDOUT, text=True)

    def events(self) -> list[dict]:
        lines = self.log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def wait_for(self, event: str, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("event") == event for e in self.events()):
                return time.monotonic()
            assert self.process.poll() is None, self.log_path.read_text()
            time.sleep(0.05)
        raise AssertionError(f"no {event!r} in {self.log_path.read_text()}")

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        return self.process.returncode


def relay_position(services: Services) -> int:
    with services.read_db.transaction() as tx:
        positions.create_table(tx)
        return positions.load(tx, "relay").get(("log", 0), 0)


@pytest.mark.postgres
def test_a_standby_relay_takes_over_when_the_active_one_is_killed(
    postgres_cli: Cli, broker, tmp_path: Path
):
    postgres_cli.env["LUCY_KAFKA_BOOTSTRAP"] = broker.bootstrap
    postgres_cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    services = bootstrap(Settings.from_env(postgres_cli.env))
    office = open_office(services.app)
    for _ in range(40):
        office.new_client()
    active = RelayProcess(postgres_cli, "first")
    standby: RelayProcess | None = None
    try:
        active.wait_for("relay lock taken")
        standby = RelayProcess(postgres_cli, "second")
        standby.wait_for("relay standing by")
        assert not any(e.get("event") == "relay lock taken" for e in standby.events())

        for _ in range(200):  # the active relay publishes while events keep coming
            office.new_client()
            if relay_position(services) > 100:
                break
        active.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        for _ in range(60):  # and keep coming while nobody publishes
            office.new_client()
        took_over = standby.wait_for("relay lock taken", timeout=30) - killed_at
        assert took_over < 5

        head = services.store_head()
        deadline = time.monotonic() + 60
        while relay_position(services) < head and time.monotonic() < deadline:
            time.sleep(0.1)
        assert relay_position(services) == head
        records = read_topics(broker.bootstrap, TOPICS, expect=head)
        copies = Counter(dict(r.headers)["event-id"] for r in records)
        ids = Counter(AvroCodec().decode(r.value).notification_id for r in records)
        assert set(ids) == set(range(1, head + 1))  # nothing lost
        duplicated = [n for n, count in ids.items() if count > 1]
        assert max(copies.values()) <= 2
        # Again only what was sent after the last saved position: two batches at most.
        assert len(duplicated) <= 2 * BATCH
        time.sleep(6)  # the new active relay reports its progress every 5 s
        [progress, *_] = [e for e in standby.events() if e.get("event") == "relay progress"]
        assert {"published", "position", "lag"} <= set(progress)
    finally:
        active.stop()
        if standby is not None:
            assert standby.stop() == 0
        services.close()
