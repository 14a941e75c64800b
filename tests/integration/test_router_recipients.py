"""The router's cache of clients and firms: current for every request it serves, with
one read of the log a check instead of a query per client and firm a delivery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.config import persistence_env
from lucy_events.routers.recipients import Recipients
from tests.integration.test_router import linked_client
from tests.support import Office, open_office


@pytest.fixture
def app(tmp_path, clock) -> Iterator[LucyApplication]:
    app = LucyApplication(persistence_env(f"sqlite:///{tmp_path}/events.sqlite"),
                          blobs=InMemoryBlobStore(), clock=clock)
    yield app
    app.close()


class Counted:
    """Counts the calls of one method of the store it wraps."""

    def __init__(self, inner: Any, method: str) -> None:
        self.inner, self.method, self.calls = inner, method, 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.inner, name)
        if name != self.method:
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return found(*args, **kwargs)

        return counted


def head(app: LucyApplication) -> int:
    return app.recorder.max_notification_id() or 0


def request(recipients: Recipients, office: Office, client_id: Any) -> tuple[str, str]:
    """What a delivery asks for a request stored now, after the router polled it."""
    office.receive(client_id)  # the traffic in between: the document's own events
    as_of = head(office.app)
    recipients.polled(as_of)
    client = recipients.client(office.firm_id, client_id, as_of=as_of)
    assert client.integration is not None
    return client.integration["package"], client.integration["settings"].get(
        "purchase_address", "")


def counted_recipients(app: LucyApplication) -> tuple[Recipients, Counted, Counted]:
    recipients = Recipients(app)
    fresh = recipients._aggregates
    events, log = Counted(fresh._events, "get"), Counted(fresh._log, "select_notifications")
    fresh._events, fresh._log = events, log  # type: ignore[assignment]
    return recipients, events, log


def test_steady_requests_of_an_unchanged_client_read_the_log_not_the_client(app):
    office = open_office(app)
    client_id = linked_client(office)
    recipients, events, log = counted_recipients(app)
    for _ in range(2):  # the first read, then the first check starts the chain
        request(recipients, office, client_id)
    events.calls = log.calls = 0
    for _ in range(5):
        assert request(recipients, office, client_id) == ("octopus", "in@octopus.example")
    assert (events.calls, log.calls) == (0, 5)


def test_a_client_relinked_after_the_last_check_is_read_again_for_a_later_request(app):
    office = open_office(app)
    client_id = linked_client(office)
    other_id = linked_client(office)
    recipients, events, _ = counted_recipients(app)
    for _ in range(3):
        request(recipients, office, client_id)
        request(recipients, office, other_id)
    app.unlink_integration(office.firm_id, client_id, office.admin)
    app.link_integration(office.firm_id, client_id, "clearfacts", office.admin,
                         {"purchase_address": "in@clearfacts.example"}, ubl=False)
    events.calls = 0
    assert request(recipients, office, client_id) == ("clearfacts", "in@clearfacts.example")
    assert request(recipients, office, other_id) == ("octopus", "in@octopus.example")
    assert events.calls == 1  # only the changed client was read


def test_a_stretch_of_the_log_longer_than_a_check_reads_falls_back_to_each_clients_query(
        app, monkeypatch):
    monkeypatch.setattr("lucy_events.routers.recipients.CHECK_LIMIT", 3)
    office = open_office(app)
    client_id = linked_client(office)
    recipients, events, _ = counted_recipients(app)
    for _ in range(3):
        request(recipients, office, client_id)
    for _ in range(3):  # more events than a check reads, the client changed among them
        office.receive(client_id)
    app.unlink_integration(office.firm_id, client_id, office.admin)
    app.link_integration(office.firm_id, client_id, "clearfacts", office.admin,
                         {"purchase_address": "in@clearfacts.example"}, ubl=False)
    events.calls = 0
    assert request(recipients, office, client_id) == ("clearfacts", "in@clearfacts.example")
    assert events.calls == 1
