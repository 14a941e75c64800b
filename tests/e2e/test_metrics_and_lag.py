"""Ops see the store's head, each consumer's lag and parked messages: CLI and /metrics."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from lucy_events.bootstrap import bootstrap
from lucy_events.bus.dead_letters import StoreDeadLetters
from lucy_events.bus.log_source import LogSource
from lucy_events.bus.runtime import ConsumerRuntime, Position, Undecodable
from lucy_events.config import Settings
from lucy_events.web import create_app
from tests.bus_support import RecordingProjection
from tests.e2e.conftest import Cli


def scrape(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page by name and labels."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(body) for sample in family.samples}


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
        # The handlers the embedded default runs are named by themselves, not yet started.
        for handler in services.consumer_handlers():
            [line] = [line for line in out.splitlines() if line.split()[0] == handler.name]
            assert line.split()[-2:] == ["0", str(head)]
        assert "projector" not in out

        reply = create_app(services).test_client().get("/metrics")
        assert reply.status_code == 200
        samples = scrape(reply.get_data(as_text=True))
        assert samples[("lucy_event_store_head", ())] == head
        labels = (("consumer", "recorder"), ("partition", "0"), ("topic", "log"))
        assert samples[("lucy_consumer_lag", labels)] == head - 100
        assert samples[("lucy_consumer_position", labels)] == 100
        assert samples[("lucy_dead_letters", (("consumer", "recorder"),))] == 1
        assert samples[("lucy_metrics_source_up", (("source", "lag"),))] == 1
    finally:
        services.close()


def test_two_apps_in_one_process_keep_their_own_metrics(tmp_path):
    first = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path / "a")}))
    second = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path / "b")}))
    try:
        first.metrics.deliveries.labels("yuki", "delivered").inc()
        one = scrape(create_app(first).test_client().get("/metrics").get_data(as_text=True))
        two = scrape(create_app(second).test_client().get("/metrics").get_data(as_text=True))
        key = ("lucy_deliveries_total", (("outcome", "delivered"), ("package", "yuki")))
        assert one[key] == 1
        assert key not in two
    finally:
        first.close()
        second.close()


def test_a_worker_serves_its_own_metrics_on_the_metrics_port(sqlite_cli: Cli):
    import signal
    import time
    import urllib.request

    from tests.e2e.conftest import free_port

    sqlite_cli.run("demo")
    port = free_port()
    sqlite_cli.env["LUCY_METRICS_PORT"] = str(port)
    worker = sqlite_cli.start("project")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback
    try:
        deadline, samples = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            try:
                with opener.open(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
                    samples = scrape(reply.read().decode())
            except OSError:  # not listening yet
                samples = {}
            lag = samples.get(("lucy_consumer_lag", (("consumer", "dashboard"),
                                                     ("partition", "0"), ("topic", "log"))))
            timed = samples.get(("lucy_handler_seconds_count", (("consumer", "dashboard"),)))
            if lag == 0 and timed:  # a batch is timed once its transaction committed
                break
            time.sleep(0.3)
        assert lag == 0, samples
        assert samples[("lucy_handler_seconds_count", (("consumer", "dashboard"),))] > 0
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0


def test_with_the_brokers_away_metrics_still_answer_in_time_and_lag_says_why(sqlite_cli: Cli):
    import time

    from tests.e2e.conftest import free_port

    sqlite_cli.run("demo")
    sqlite_cli.env["LUCY_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{free_port()}"  # nobody listens
    services = bootstrap(Settings.from_env(sqlite_cli.env))
    try:
        started = time.monotonic()
        reply = create_app(services).test_client().get("/metrics")
        assert time.monotonic() - started < 9  # within Prometheus' 10 s scrape timeout
        assert reply.status_code == 200
        samples = scrape(reply.get_data(as_text=True))
        assert samples[("lucy_metrics_source_up", (("source", "lag"),))] == 0
        assert samples[("lucy_metrics_source_up", (("source", "store"),))] == 1
        assert samples[("lucy_event_store_head", ())] == services.store_head()
    finally:
        services.close()
    failed = sqlite_cli.run("lag", check=False)
    assert failed.returncode == 1
    assert "cannot read the consumer groups' offsets from 127.0.0.1:" in failed.stderr
    assert "Traceback" not in failed.stderr
