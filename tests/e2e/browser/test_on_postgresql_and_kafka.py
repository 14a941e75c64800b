"""The dashboard on the production shape: PostgreSQL for the events and the read models,
the relay publishing to Kafka, and the read models, auto-send and the router consuming
from Kafka. The page reloads until the read models show a change (on Kafka a write does
not wait for them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from kafka import KafkaProducer
from werkzeug.serving import make_server

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.document_rules import DocumentStatus
from lucy_events.bootstrap import bootstrap, kafka_dead_letters, kafka_source
from lucy_events.bus.catalogue import TOPICS
from lucy_events.bus.kafka_settings import producer_settings
from lucy_events.bus.relay import Relay
from lucy_events.bus.runtime import ConsumerRuntime
from lucy_events.bus.wakeups import PostgresWakeup
from lucy_events.config import Settings
from lucy_events.demo import seed_demo
from lucy_events.routers.router import Router
from lucy_events.web import create_app
from tests.conftest import FAST_GROUP
from tests.e2e.browser.conftest import ADMIN, LAPTOP, Site, expect, sign_in
from tests.integration.test_router import RecordingPackage

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.xdist_group("browser")]


@pytest.fixture
def kafka_site(postgres_url: str, broker: Any, tmp_path: Any) -> Iterator[Site]:
    broker.create_topics(TOPICS)
    services = bootstrap(Settings.from_env({
        "LUCY_DATA_DIR": str(tmp_path), "LUCY_DATABASE_URL": postgres_url,
        "LUCY_KAFKA_BOOTSTRAP": broker.bootstrap}))
    demo = seed_demo(services.app)
    package = RecordingPackage()
    stop = threading.Event()
    relay = Relay(services.app, services.read_db,
                  lambda: KafkaProducer(**producer_settings(broker.bootstrap)),
                  wakeup=PostgresWakeup(postgres_url.split("?")[0],
                                        services.app.recorder.channel_name),
                  poll_timeout=0.5)
    dead_letters = kafka_dead_letters(broker.bootstrap, services.read_db)
    handlers = [*services.projection_handlers(), Router(services.app, lambda code: package)]
    runtimes = [ConsumerRuntime(kafka_source(broker.bootstrap, h.name, h.topics, **FAST_GROUP),
                                h, dead_letters, poll_timeout=0.2) for h in handlers]
    threads = [threading.Thread(target=relay.run, args=(stop,), daemon=True),
               *(threading.Thread(target=r.run, args=(stop,), daemon=True) for r in runtimes)]
    for thread in threads:
        thread.start()
    server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    tokens = AccessTokens(services.read_db)
    yield Site(f"http://127.0.0.1:{server.server_port}", services, demo, package, {
        email: tokens.issue(demo.firm_id, staff_id, "browser tests")
        for email, staff_id in demo.staff.items()})
    server.shutdown()
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    services.close()


def until(page: Any, check: Callable[[], bool], seconds: float = 45) -> None:
    """Reload until the read models caught up with what the page should show."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the page never showed the change")
        time.sleep(0.5)
        page.reload()


def test_the_dashboard_works_on_postgresql_and_kafka(browser, kafka_site: Site, screens):
    context = browser.new_context(viewport=LAPTOP, base_url=kafka_site.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, kafka_site, ADMIN)
        rows = page.locator("table tbody tr")
        until(page, lambda: rows.count() > 0)  # the read models filled from Kafka

        page.get_by_label("Search clients").fill("Brouwerij")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(rows.first).to_contain_text("Brouwerij Het Anker")
        page.get_by_role("link", name="Brouwerij Het Anker", exact=True).click()
        client_url = page.url

        app, firm_id = kafka_site.services.app, kafka_site.demo.firm_id
        client_id = next(c for c in kafka_site.demo.clients
                         if app.client(firm_id, c).name == "Brouwerij Het Anker")
        received = [d.subject_id for d in app.client_history(firm_id, client_id)
                    if d.event_type == "DocumentReceived"]
        documents = [app.document(firm_id, d) for d in received]
        sendable = [d for d in documents  # what the page offers "Send" for
                    if d.status is DocumentStatus.INBOX and d.can_be_sent
                    and not d.held_as_duplicate]
        document_id = sendable[0].id
        page.goto(client_url.rstrip("/") + "/documents")
        row = page.locator("table.document-table tbody tr").filter(
            has_text=app.document(firm_id, document_id).file_name)
        row.get_by_role("button", name="Send").first.click()
        until(page, lambda: "Sent" in (row.first.inner_text() if row.count() else ""))
        assert app.document(firm_id, document_id).status is DocumentStatus.SENT
        assert any(o.document_id == document_id for o, _ in kafka_site.package.received.values())
        screens.take(page, "sent-on-kafka")
    finally:
        context.close()
