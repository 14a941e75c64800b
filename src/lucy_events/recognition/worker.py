"""The recognition worker: reads each new document and records what it found.

On DocumentReceived it reads the content, runs the pipeline with the client's own
numbers (to tell purchase from sales) and a per-document time limit, and records
DocumentRecognised together with any possible duplicates (same content, or the same
supplier and invoice number for the client) on both documents. A document read before
is not read again, so a message delivered twice records nothing new. Corrections and
deletions keep its duplicate index up to date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import structlog

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.document_rules import FIELD_NAMES, DocumentNotFound
from lucy_events.application import LucyApplication, ReadValues
from lucy_events.bus.catalogue import DOCUMENT_TOPIC
from lucy_events.bus.per_key import PerKey
from lucy_events.bus.runtime import Delivery, Handler, message_context
from lucy_events.recognition.duplicates import DuplicateIndex, Entry
from lucy_events.recognition.fields import Recognition

log = structlog.get_logger()
RECOGNITION = Actor.system("recognition")
_HANDLED = ("DocumentReceived", "DocumentFieldsCorrected", "DocumentDeleted")


class Recognise(Protocol):
    def __call__(self, content: bytes, media_type: str | None = None, *,
                 own_numbers: frozenset[str] = ..., time_limit: float = ...) -> Recognition: ...


def read_values(recognition: Recognition) -> ReadValues:
    """The pipeline's result as the event keeps it: dates YYYY-MM-DD, amounts as text."""
    values = asdict(recognition)
    return ReadValues(
        method=recognition.method, confidence=recognition.confidence,
        document_type=recognition.document_type,
        fields={name: _primitive(values[name]) for name in FIELD_NAMES},
        vat_breakdown=[{k: str(v) for k, v in asdict(line).items() if v is not None}
                       for line in recognition.vat_breakdown],
        reason=recognition.reason,
    )


def _primitive(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def own_numbers(enterprise_number: str | None, vat_number: str | None) -> frozenset[str]:
    """The client's numbers as written and without punctuation, so the pipeline finds
    them whichever way a document writes them."""
    numbers = {n.strip() for n in (enterprise_number, vat_number) if n and n.strip()}
    return frozenset(numbers | {re.sub(r"[^0-9A-Za-z]", "", n).upper() for n in numbers})


class RecognitionWorker(Handler):
    name = "recognition"
    topics = (DOCUMENT_TOPIC,)

    def __init__(self, app: LucyApplication, index: DuplicateIndex,
                 recognise: Recognise | Callable[..., Recognition], *,
                 time_limit: float = 60.0, workers: int = 2) -> None:
        self.app = app
        self.index = index
        self.recognise = recognise
        self.time_limit = time_limit
        # Different clients at once (OCR waits on tesseract), one client's in order.
        self.per_client = PerKey(workers)

    def handle(self, deliveries: Sequence[Delivery]) -> None:
        wanted = [d for d in deliveries if d.event_type in _HANDLED]
        self.per_client.run(wanted, self._one)

    def _one(self, delivery: Delivery) -> None:
        with message_context(delivery):
            try:
                document = self.app.document_for_system(delivery.event.aggregate_id)
            except DocumentNotFound:
                log.warning("event of a document that does not exist")
                return
            if delivery.event_type == "DocumentReceived":
                self.read(document)
            else:  # a correction or a deletion changes what it may duplicate
                self._index_and_check(document)

    def read(self, document: Document) -> None:
        if document.recognition is not None or document.status.value == "Deleted":
            self.index.put(Entry.of(document))  # read before: a redelivered message
            log.info("document already read")
            return
        client = self.app.client_for_operator(document.client_id)
        recognition = self._recognise(
            self.app.blobs.get(document.blob_ref), document.media_type,
            own_numbers(client.enterprise_number, client.vat_number))
        read = read_values(recognition)
        # Corrections made before it was read still win.
        entry = Entry.of(document, {**read.fields, **document.corrections})
        suspicions = self.index.suspicions(entry)
        recorded = self.app.record_recognition(document.id, read, RECOGNITION, suspicions)
        self.index.put(entry)
        log.info("document read", method=recognition.method,
                 confidence=recognition.confidence, document_type=recognition.document_type,
                 duplicates=len(suspicions), recorded=recorded)

    def _recognise(self, content: bytes, media_type: str,
                   numbers: frozenset[str]) -> Recognition:
        try:
            return self.recognise(content, media_type, own_numbers=numbers,
                                  time_limit=self.time_limit)
        except Exception as error:  # a reader's bug must not park the document forever
            log.exception("the document could not be read")
            return Recognition(method="none", confidence=0.0,
                               reason=f"the document could not be read ({type(error).__name__})")

    def _index_and_check(self, document: Document, *, check: bool = True) -> None:
        entry = Entry.of(document)
        self.index.put(entry)
        if check and not entry.deleted:
            suspicions = self.index.suspicions(entry)
            if suspicions and self.app.record_duplicates(document.id, suspicions, RECOGNITION):
                log.info("possible duplicate after a correction", duplicates=len(suspicions))
