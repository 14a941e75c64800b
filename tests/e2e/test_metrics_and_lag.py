"""Ops see the store's head, each consumer's lag and parked messages: CLI and /metrics."""

from __future__ import annotations

from lucy_events.bootstrap import bootstrap
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Position, Undecodable
from lucy_events.config import Settings
from lucy_events.web import create_app
from tests.bus_support import RecordingProjection
from tests.e2e.conftest import Cli


def test_lag_and_metrics_show_how_far_behind_a_consumer_is(sqlite_cli: Cli):
    sqlite_cli.run("demo")
    services = bootstrap(Settings.from_env(sqlite_cli.env))
    try:
        projection = RecordingProjection(services.read_db)
        source = LogSource(services.app, services.read_db, projection.name, projection.topics)
        runtime = ConsumerRuntime(source, projection, StoreDeadLetters(services.read_db),
                                  batch_size=100)
        runtime.step()  # a hundred events processed, the rest still to do
        StoreDeadLetters(services.read_db).park_undecodable(
            Undecodable(Position("log", 0, 999_999), b"junk", "unreadable"), "recorder")
        head = services.app.recorder.max_notification_id()

        out = sqlite_cli.run("lag").stdout
        assert f"event store head: {head}" in out
        [line] = [line for line in out.splitlines() if line.startswith("recorder")]
        assert line.split()[-2:] == ["100", str(head - 100)]

        body = create_app(services).test_client().get("/metrics").get_data(as_text=True)
        assert f"lucy_event_store_head {head}" in body
        labels = '{consumer="recorder",topic="log",partition="0"}'
        assert f"lucy_consumer_lag{labels} {head - 100}" in body
        assert 'lucy_dead_letters{consumer="recorder"} 1' in body
    finally:
        services.close()
