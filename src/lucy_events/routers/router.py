"""The router: delivers each requested document to its client's one accounting package,
and requests the send of a recognised one when the client's auto-send is on.

On SendRequested it checks the document still waits for that very attempt (a message
redelivered after a crash finds it Sent and does nothing), asks the package whether it
already has the document under its delivery key (a crash between the package accepting
and DocumentSent being stored must not deliver twice), delivers with the retry policy,
and records DocumentSent, SendFailed or DocumentRejected on the Document.

On DocumentRecognised or DuplicateDismissed it asks ``AutoSend`` whether the document
may now go by itself. Both are one consumer (group ``router``): the route process reads
the document topic once, not once a handler (auto-send was a group of its own until
session 13, costing the route process about 1 ms of CPU a delivered document under
load; docs/benchmarks.md, Delivery).

The runtime runs it as a ConcurrentHandler: one client's documents one after another,
different clients' at once on ``workers`` threads, polling on meanwhile, so a slow
package holds back only its own clients. The client and the firm are read through
``Recipients`` (a cache the event store keeps current), the document itself fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DocumentNotFound, DocumentStatus
from lucy_events.aggregates.errors import DomainError
from lucy_events.aggregates.event_time import event_time
from lucy_events.application import LucyApplication
from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.per_key import PerKey
from lucy_events.bus.records import BusEvent
from lucy_events.bus.runtime import ConcurrentHandler, Delivery, message_context
from lucy_events.routers.auto_send import TRIGGERS, AutoSend
from lucy_events.routers.integrations.base import (
    Delivered,
    DeliveryError,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.retrying import delivery_retrying
from lucy_events.routers.recipients import Recipient, Recipients
from lucy_events.routers.sent_together import SentTogether

if TYPE_CHECKING:
    from lucy_events.metrics import Metrics

log = structlog.get_logger()
ROUTER = Actor.system("router")
XML_TYPES = ("application/xml", "text/xml")


class Router(ConcurrentHandler):
    name = "router"
    topics = (DOCUMENT_TOPIC,)
    latency_sensitive = True  # a send waits on it; the consumer's fetch wait is shorter
    #: What it acts on (the others are never decoded).
    acts_on = frozenset(("SendRequested", *TRIGGERS))
    #: The consumer that auto-sent before it joined the router: its parked messages
    #: replay here.
    former_names = ("auto-send",)

    def __init__(
        self, app: LucyApplication, integrations: Callable[[str], Integration],
        *, retrying: Callable[[], Any] = delivery_retrying, workers: int = 8,
        metrics: Metrics | None = None,
    ) -> None:
        self.app = app
        self.integrations = integrations
        self.retrying = retrying
        self.metrics = metrics
        self.workers = workers
        self.per_client = PerKey(workers)
        self.recipients = Recipients(app)
        self.sent = SentTogether(app, ROUTER)
        self.auto_send = AutoSend(app)

    def wants(self, delivery: Delivery) -> bool:
        return delivery.event_type in self.acts_on

    def key_of(self, delivery: Delivery) -> bytes | None:
        # Every event up to the highest polled one is committed in the store: a cached
        # client or firm read after this point is current for any request up to it.
        self.recipients.polled(delivery.event.notification_id)
        return super().key_of(delivery)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        # Different clients are delivered concurrently, one client's in order.
        self.per_client.run([d for d in deliveries if self.wants(d)], self.handle_one)

    def handle_one(self, delivery: Delivery) -> None:
        with message_context(delivery):
            if delivery.event_type == "SendRequested":
                self.route(delivery.event)
            else:
                self.auto_send.consider(delivery.event)

    def route(self, event: BusEvent) -> None:
        try:
            document = self.app.document_for_system(event.aggregate_id)
        except DocumentNotFound:
            log.warning("send requested for a document that does not exist")
            return
        if document.status is not DocumentStatus.SENDING or (
            document.attempts != event.data["attempt"]
        ):
            log.info("send request already handled", status=document.status.value)
            return
        client = self.recipients.client(document.firm_id, document.client_id,
                                        as_of=event.notification_id)
        integration = client.integration
        if integration is None or integration["kind"] == "none":
            self._record(document, PermanentDeliveryError(
                "no accounting package is linked to this client"), "none", event)
            return
        target = self._target(client, integration, event.notification_id)
        outgoing = self._outgoing(client, document, integration)
        try:
            adapter = self.integrations(target.package)
            delivered = self._deliver(adapter, outgoing, target)
        except DeliveryError as error:
            self._record(document, error, target.package, event)
            return
        reference = delivered.remote_reference
        if delivered.existing:
            log.info("the package already had the document", reference=reference)
        self._outcome(lambda: self.sent.record(document, target.package, reference))
        self._measure(target.package, "delivered", event)
        log.info("document sent", package=target.package, reference=reference)

    def _deliver(self, adapter: Integration, outgoing: Outgoing, target: Target) -> Delivered:
        """Ask-then-deliver under the retry policy: a retry asks again, so a delivery
        that reached the package before failing is not sent a second time."""
        for attempt in self.retrying():
            if self.metrics is not None and attempt.retry_state.attempt_number > 1:
                self.metrics.retries.labels(target.package).inc()
            with attempt:
                return adapter.deliver_once(outgoing, target)
        raise AssertionError("unreachable: the retry policy re-raises")  # pragma: no cover

    def _target(self, client: Recipient, integration: dict[str, Any], as_of: int) -> Target:
        portal = self.recipients.portal_settings(client.firm_id, integration["package"],
                                                 as_of=as_of)
        return Target(
            package=integration["package"], kind=integration["kind"],
            client_settings=dict(integration["settings"]), portal_settings=portal,
            credentials_ref=portal.get("credentials_ref"),
        )

    def _outgoing(self, client: Recipient, document: Document,
                  integration: dict[str, Any]) -> Outgoing:
        content = self.app.blobs.get(document.blob_ref)
        is_ubl = document.media_type in XML_TYPES
        return Outgoing(
            document_id=document.id, client_id=client.id, firm_id=client.firm_id,
            client_name=client.name, client_vat=client.vat_number,
            client_enterprise_number=client.enterprise_number,
            file_name=document.file_name, media_type=document.media_type, content=content,
            document_type=document.document_type or "other",
            received_at=document.created_on,
            ubl=content if integration["ubl"] and is_ubl else None,
        )

    def _record(self, document: Document, error: DeliveryError, package: str,
                request: BusEvent) -> None:
        if isinstance(error, RejectedByPackage):
            log.warning("the package refused the document", reason=error.reason)
            self._outcome(lambda: self.app.record_rejection(document.id, error.reason, ROUTER))
            self._measure(package, "rejected", request)
            return
        retryable = isinstance(error, TransientDeliveryError)
        log.warning("delivery failed", reason=error.reason, retryable=retryable)
        self._outcome(lambda: self.app.record_send_failure(
            document.id, error.reason, retryable, ROUTER))
        self._measure(package, "failed", request)

    def _measure(self, package: str, outcome: str, request: BusEvent) -> None:
        """The router's part of a send: from SendRequested to the outcome it recorded."""
        if self.metrics is not None:  # now, by the clock that stamped the request
            waited = (event_time() - request.occurred_at).total_seconds()
            self.metrics.delivered(package, outcome, waited)

    @staticmethod
    def _outcome(record: Callable[[], None]) -> None:
        try:
            record()
        except DomainError as error:  # another router instance recorded it first
            log.info("outcome already recorded", error=str(error))
