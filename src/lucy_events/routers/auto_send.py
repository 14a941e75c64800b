"""Auto-send: a document recognised on arrival (or typed later by recognition) is sent
at once when its client's auto-send setting is on and a package is linked."""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.per_key import PerKey
from lucy_events.bus.records import BusEvent
from lucy_events.bus.runtime import Delivery, Handler, message_context

log = structlog.get_logger()
AUTO_SEND = Actor.system("auto-send")


def recognised(event: BusEvent) -> bool:
    if event.type == "DocumentReceived":
        return event.data.get("document_type") is not None
    return event.type == "DocumentTypeAssigned" and event.actor.startswith("system:")


def peppol_invalid(document: Document) -> bool:
    """A Peppol document the official rules found fatal errors in: never sent on its
    own, staff decide (a document never validated is not invalid)."""
    return document.peppol_valid is False


def _maybe_peppol(event: BusEvent) -> bool:
    return event.type != "DocumentReceived" or event.data.get("channel") == "peppol"


class AutoSend(Handler):
    name = "auto-send"
    topics = (DOCUMENT_TOPIC,)

    def __init__(self, app: LucyApplication, workers: int = 8) -> None:
        self.app = app
        self.per_client = PerKey(workers)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        wanted = [d for d in deliveries  # the others are never decoded
                  if d.event_type in ("DocumentReceived", "DocumentTypeAssigned")]
        self.per_client.run(wanted, self._consider)

    def _consider(self, delivery: Delivery) -> None:
        event = delivery.event
        if not recognised(event) or event.client_id is None:
            return
        with message_context(delivery):
            client = self.app.client(event.firm_id, event.client_id)
            linked = client.integration and client.integration["kind"] != "none"
            if not (client.auto_send and linked):
                return
            try:
                if _maybe_peppol(event) and peppol_invalid(
                        self.app.document(event.firm_id, event.aggregate_id)):
                    log.info("auto-send skipped", reason="the Peppol document is invalid")
                    return
                self.app.request_send(event.firm_id, event.aggregate_id, AUTO_SEND)
                log.info("auto-send requested")
            except DomainError as error:  # already sent, being sent, deleted...
                log.info("auto-send not needed", reason=str(error))
