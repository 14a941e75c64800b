"""`lucy-events notify run` (from cron): a reminder of an invitation about to expire goes
out once, to the outbox when no relay is set, however often the command runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.notifications.outbox import Outbox
from lucy_events.web.api.freshness import wait_for_own_writes
from tests.e2e.conftest import Cli
from tests.support import open_office


def _invited_nineteen_days_ago(data_dir: Path) -> None:
    settings = Settings.from_env({"LUCY_DATA_DIR": str(data_dir)})
    services = bootstrap(settings, clock=lambda: datetime.now(UTC) - timedelta(days=19))
    consumers = services.consumer_runner(services.projection_handlers())
    consumers.start()
    office = open_office(services.app)
    client_id = office.new_client()
    services.app.invite_client(office.firm_id, client_id, office.admin)
    assert wait_for_own_writes(services, timeout=10)
    consumers.stop()
    services.close()


def test_notify_run_reminds_once_of_an_invitation_about_to_expire(sqlite_cli: Cli):
    data_dir = sqlite_cli.cwd / "var"
    _invited_nineteen_days_ago(data_dir)
    first = sqlite_cli.run("notify", "run")
    assert first.stdout.startswith("reminded Sofie Admin <sofie@")
    assert "1 reminder(s) sent" in first.stderr
    second = sqlite_cli.run("notify", "run")
    assert second.stdout == "" and "0 reminder(s) sent, 1 sent before" in second.stderr
    [entry] = Outbox(data_dir / "outbox").entries()
    assert entry.subject.startswith("The invitation of Bakkerij Claes expires on ")
