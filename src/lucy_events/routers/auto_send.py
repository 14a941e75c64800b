"""Auto-send: a document is sent as soon as recognition has read it, when it then has a
type (a confident one read, or one a person gave), its client's auto-send setting is on
and a package is linked. A possible duplicate (the newer of the two) is held until
someone decides; "not a duplicate" releases it."""

from __future__ import annotations

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import DocumentNotFound, DocumentStatus
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.bus.records import BusEvent

log = structlog.get_logger()
AUTO_SEND = Actor.system("auto-send")
#: After these a document may have become ready to go by itself.
TRIGGERS = ("DocumentRecognised", "DuplicateDismissed")


def peppol_invalid(document: Document) -> bool:
    """A Peppol document the official rules found fatal errors in: never sent on its
    own, staff decide (a document never validated is not invalid)."""
    return document.peppol_valid is False


class AutoSend:
    """The decision on a trigger, taken by the router's consumer (``Router.handle_one``):
    one consumer reads the document topic for the route process, not one for each
    (docs/benchmarks.md, Delivery, session 13)."""

    def __init__(self, app: LucyApplication) -> None:
        self.app = app

    def consider(self, event: BusEvent) -> None:
        """Request the send if the document, as it is now, is ready to go by itself."""
        if event.client_id is None:
            return
        try:  # the document as it is now: typed? held as a duplicate? sent already?
            document = self.app.document_for_system(event.aggregate_id)
        except DocumentNotFound:
            return
        new = document.status is DocumentStatus.INBOX and document.recognition is not None
        if not (new and document.can_be_sent):
            if document.held_as_duplicate:
                log.info("auto-send holds a possible duplicate")
            return
        if peppol_invalid(document):
            log.info("auto-send skipped", reason="the Peppol document is invalid")
            return
        client = self.app.client(event.firm_id, event.client_id)
        linked = client.integration and client.integration["kind"] != "none"
        if not (client.auto_send and linked):
            return
        try:
            self.app.request_send(event.firm_id, event.aggregate_id, AUTO_SEND)
            log.info("auto-send requested")
        except DomainError as error:  # already sent, being sent, deleted...
            log.info("auto-send not needed", reason=str(error))
