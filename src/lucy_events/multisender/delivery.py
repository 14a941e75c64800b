"""The multisender's delivery worker: mails each requested sending to its destination.

On MultisendRequested it checks the sending still waits for that very attempt (a
request delivered again after a crash finds its outcome recorded and does nothing),
claims the sending's delivery key in the sent-mail ledger and mails the document
through the outgoing-mail backend with the router's retry policy
(``delivery_retrying`` over the mail backend's transient errors); then it records
MultisendSent (the Message-ID) or MultisendFailed (the reason, and whether trying again
without a fix may help) on the document's Multisends, never on the Document.

The delivery key: the ledger row is claimed before the mail leaves and released when
it failed, and the Message-ID is derived from the sending. A worker killed after the
mail left but before the outcome was recorded finds the key claimed when the request
comes again, and records the sending as sent without a second copy. The other side of
that window: killed after the claim but before the relay took the mail, the sending is
recorded as sent although nothing left (the invoices' e-mail has the same trade-off);
the relay's log, searched for the Message-ID, tells which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.application import AggregateNotFoundError
from tenacity import Retrying

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document_rules import DocumentNotFound, DocumentStatus
from lucy_events.aggregates.errors import DomainError
from lucy_events.aggregates.multisender_rules import Sending
from lucy_events.aggregates.multisends import Multisends
from lucy_events.application import LucyApplication
from lucy_events.bus.catalogue import MULTISENDER_TOPIC
from lucy_events.bus.per_key import PerKey
from lucy_events.bus.records import BusEvent
from lucy_events.bus.runtime import Delivery, Handler, message_context
from lucy_events.multisender.mails import document_mail
from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer, TransientMailError
from lucy_events.notifications.sending import send_once
from lucy_events.routers.integrations.retrying import delivery_retrying

log = structlog.get_logger()
WORKER = Actor.system("multisender")


def mail_delivery_retrying() -> Retrying:
    """The router's delivery policy, over the mail backend's transient errors."""
    return delivery_retrying(transient=(TransientMailError,))


class MultisendDelivery(Handler):
    name = "multisender"
    topics = (MULTISENDER_TOPIC,)

    def __init__(self, app: LucyApplication, mailer: Mailer, ledger: SentMail, *,
                 retrying: Callable[[], Retrying] = mail_delivery_retrying,
                 workers: int = 4) -> None:
        self.app, self.mailer, self.ledger, self.retrying = app, mailer, ledger, retrying
        self.per_client = PerKey(workers)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        wanted = [d for d in deliveries if d.event_type == "MultisendRequested"]
        self.per_client.run(wanted, self.handle_one)  # the others are never decoded

    def handle_one(self, delivery: Delivery) -> None:
        with message_context(delivery):
            self.deliver(delivery.event)

    def deliver(self, event: BusEvent) -> None:
        sending_id, attempt = UUID(str(event.data["sending_id"])), int(event.data["attempt"])
        multisends = self._multisends(event.aggregate_id)
        if multisends is None or not multisends.awaits(sending_id, attempt):
            log.info("multisend request already handled", sending_id=str(sending_id))
            return
        sending = multisends.sending(sending_id)
        failure = self._mail(multisends, sending)
        if failure is None:
            self._record(lambda m: m.record_sent(sending_id, attempt,
                                                 sending.message_id_header, WORKER),
                         event.aggregate_id)
            log.info("multisend sent", sending_id=str(sending_id), attempt=attempt)
        else:
            reason, retryable = failure
            self._record(lambda m: m.record_failed(sending_id, attempt, reason, retryable,
                                                   WORKER), event.aggregate_id)
            log.warning("multisend failed", sending_id=str(sending_id), reason=reason,
                        retryable=retryable)

    def _mail(self, multisends: Multisends, sending: Sending) -> tuple[str, bool] | None:
        """None when the mail left (now or before a crash); else (reason, retryable)."""
        try:
            document = self.app.document_for_system(multisends.document_id)
        except DocumentNotFound:
            return "the document does not exist", False
        if document.status is DocumentStatus.DELETED or document.content_disposed:
            return "the document was deleted or its files removed", False
        client = self.app.client_for_operator(multisends.client_id)
        message = document_mail(client, document, sending,
                                self.app.blobs.get(document.blob_ref),
                                self.mailer.from_address)
        outcome = send_once(self.mailer, self.ledger, sending.key, message,
                            retrying=self.retrying)
        if outcome.already:
            log.info("multisend mailed before a restart; not sent again", key=sending.key)
        if outcome.error is not None:
            return outcome.error, outcome.transient
        return None

    def _multisends(self, aggregate_id: UUID) -> Multisends | None:
        try:
            found: Any = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Multisends) else None

    def _record(self, act: Callable[[Multisends], None], aggregate_id: UUID) -> None:
        def command() -> None:
            multisends = self._multisends(aggregate_id)
            assert multisends is not None
            act(multisends)
            self.app.save(multisends)

        try:
            self.app._run(command)
        except DomainError as error:  # another worker recorded it first
            log.info("multisend outcome already recorded", error=str(error))
