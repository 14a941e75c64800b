"""One runner, one crash policy: a consumer that crashed on a bug starts again from its
last commit; one that keeps crashing stops every consumer and the process (exit 1)."""

from __future__ import annotations

import signal
import threading
import time
from functools import partial

import pytest
from structlog.testing import capture_logs

from lucy_events.bootstrap import bootstrap
from lucy_events.bus import positions
from lucy_events.bus.runner import STOP_GRACE_S
from lucy_events.bus.status import ConsumerState
from lucy_events.cli.consumers import run_handlers
from lucy_events.config import Settings
from lucy_events.retries import consumer_restarts
from lucy_events.routers.integrations.registry import AdapterSettings
from tests.bus_support import RecordingProjection
from tests.integration.test_bus_faults import wait_for
from tests.integration.test_relay import busy_office

QUICKLY = partial(consumer_restarts, restarts=3, first_wait=0.01)


@pytest.fixture
def services(tmp_path):
    services = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path)}))
    busy_office(services.app)
    yield services
    services.close()


def test_a_consumer_that_crashed_on_a_bug_a_few_times_is_restarted_and_misses_nothing(
    services
):
    buggy = RecordingProjection(services.read_db, "buggy")
    buggy.bugs = 2
    runner = services.consumer_runner([buggy], poll_timeout=0.05, restarting=QUICKLY)
    runner.start()
    head = services.app.recorder.max_notification_id()
    try:
        wait_for(lambda: len(buggy.rows()) == head, 30, "the restarted consumer to catch up")
    finally:
        runner.stop()
    status = services.consumer_statuses.get("buggy")
    assert status is not None and status.restarts == 2 and status.parked == 0
    assert runner.failed is None
    assert services.dead_letter_store().list() == []
    assert [r[3] for r in buggy.rows()] == list(range(1, head + 1))


def test_a_consumer_that_keeps_crashing_stops_the_runner_and_every_other_consumer(services):
    broken = RecordingProjection(services.read_db, "broken")
    broken.bugs = 10**6
    healthy = RecordingProjection(services.read_db, "healthy")
    failures: list[str] = []
    runner = services.consumer_runner([broken, healthy], poll_timeout=0.05,
                                      restarting=QUICKLY,
                                      on_failure=lambda: failures.append("called"))
    runner.start()
    assert runner.wait() == 1  # returns on its own: nobody asked it to stop
    assert runner.failed == "broken" and failures == ["called"]
    assert not any(thread.is_alive() for thread in runner.threads)
    status = services.consumer_statuses.get("broken")
    assert status is not None and status.state is ConsumerState.FAILED
    assert "a bug in the projection" in (status.reason or "")
    assert status.restarts == 3 and broken.rows() == []
    assert services.dead_letter_store().list() == []  # a bug parks nothing


def test_the_worker_command_exits_non_zero_when_its_consumer_keeps_crashing(services):
    broken = RecordingProjection(services.read_db, "broken")
    broken.bugs = 10**6
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with pytest.raises(SystemExit) as exited:
            run_handlers(services, [broken], poll_timeout=0.05, restarting=QUICKLY)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert exited.value.code == 1


class SlowProjection(RecordingProjection):
    """Takes ``seconds`` over each batch, as a delivery to a slow package does."""

    def __init__(self, db, name: str, seconds: float) -> None:
        super().__init__(db, name)
        self.seconds = seconds
        self.started = threading.Event()

    def apply(self, tx, events) -> None:
        self.started.set()
        time.sleep(self.seconds)
        super().apply(tx, events)


def test_stopping_lets_the_step_in_flight_finish_and_commit_its_position(services):
    slow = SlowProjection(services.read_db, "slow", seconds=1.5)
    runner = services.consumer_runner([slow], poll_timeout=0.05)
    runner.start()
    assert slow.started.wait(30), "the consumer never started a step"
    busy = runner.stop()
    assert busy == [] and not any(thread.is_alive() for thread in runner.threads)
    applied = len(slow.rows())
    assert applied > 0  # the batch under way when stopping was written...
    with services.read_db.transaction() as tx:
        saved = positions.load(tx, "slow")
    assert sum(saved.values()) > 0  # ...and its position with it: nothing comes again


def test_a_consumer_still_busy_after_the_grace_period_is_named_in_the_log(services):
    slow = SlowProjection(services.read_db, "stuck", seconds=3)
    runner = services.consumer_runner([slow], poll_timeout=0.05)
    runner.start()
    assert slow.started.wait(30), "the consumer never started a step"
    with capture_logs() as logs:
        busy = runner.stop(timeout=0.2)
    assert busy == ["stuck"]
    assert [entry["consumers"] for entry in logs
            if entry["log_level"] == "warning"] == [["stuck"]]
    assert runner.join(10) == []  # it ends once its step is done


def test_stopping_waits_longer_than_a_delivery_to_a_package_may_take():
    assert AdapterSettings().timeout < STOP_GRACE_S
