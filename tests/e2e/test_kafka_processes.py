"""The production shape: PostgreSQL, Kafka, and the relay and projector as their own
processes. The dashboard's read model fills from Kafka; SIGTERM stops each cleanly."""

from __future__ import annotations

import signal
import time
from uuid import UUID

import pytest

from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.projections import list_clients
from tests.e2e.conftest import Cli


@pytest.mark.postgres
def test_relay_and_projector_processes_fill_the_dashboard_from_kafka(postgres_cli: Cli, broker):
    postgres_cli.env.update(LUCY_KAFKA_BOOTSTRAP=broker.bootstrap,
                            LUCY_KAFKA_SESSION_TIMEOUT_MS="2000",
                            LUCY_KAFKA_HEARTBEAT_INTERVAL_MS="300")
    postgres_cli.run("topics", "--partitions", "3", "--replication-factor", "1")
    postgres_cli.run("demo")
    processes = [postgres_cli.start("relay"), postgres_cli.start("project")]
    services = bootstrap(Settings.from_env(postgres_cli.env))
    try:
        firm_id, _ = services.app.find_firms()[0]
        admin = next(m for m in services.app.firm(firm_id).staff.values()
                     if m.role.value == "admin")
        deadline, total = time.monotonic() + 60, 0
        while time.monotonic() < deadline and total < 30:
            time.sleep(0.5)
            try:
                total = list_clients(services.read_db, firm_id=firm_id,
                                     viewer_staff_id=admin.id, viewer_role="admin").total
            except Exception:  # the projector has not created its tables yet
                total = 0
        assert total == 30
        page = list_clients(services.read_db, firm_id=firm_id, viewer_staff_id=admin.id,
                            viewer_role="admin", q="Brouwerij")
        assert [row.name for row in page.rows] == ["Brouwerij Het Anker"]
        assert isinstance(page.rows[0].client_id, UUID)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=30) for process in processes]
        services.close()
    assert codes == [0, 0]
