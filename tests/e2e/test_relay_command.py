"""``lucy-events relay`` stops with a clear error at a stored event it cannot encode, rather
than leave a gap in that aggregate's versions on the topic."""

from __future__ import annotations

import uuid
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from lucy_events.bootstrap import bootstrap
from lucy_events.bus import positions
from lucy_events.config import Settings
from tests.e2e.conftest import Cli, cli_env
from tests.support import open_office


def test_the_relay_stops_with_a_clear_error_at_an_event_it_cannot_encode(tmp_path: Path, broker):
    env = cli_env(tmp_path, LUCY_KAFKA_BOOTSTRAP=broker.bootstrap)
    cli = Cli(env, tmp_path)
    cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    services = bootstrap(Settings.from_env(env))
    try:
        office = open_office(services.app)
        before = services.store_head()
        aggregate = uuid.uuid4()
        services.app.recorder.insert_events([StoredEvent(
            originator_id=aggregate, originator_version=1,
            topic="lucy_events.aggregates.gone:Gone.Vanished", state=b"{}")])
        office.new_client()
    finally:
        services.close()
    stopped = cli.run("relay", check=False)
    assert stopped.returncode == 1
    assert (f"stored event {before + 1} (lucy_events.aggregates.gone:Gone.Vanished, aggregate "
            f"{aggregate} version 1) cannot be encoded") in stopped.stderr
    services = bootstrap(Settings.from_env(env))
    try:
        with services.read_db.transaction() as tx:
            assert positions.load(tx, "relay")[("log", 0)] == before
    finally:
        services.close()
