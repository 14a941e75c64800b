"""The application: commands load an aggregate, act on it, and save its new events."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Mapper, Recording

from lucy_events.application.as_of import AsOfQueries, ClientAsOf, DocumentAsOf
from lucy_events.application.base import FirmNotFound, utc_now
from lucy_events.application.clients import ClientCommands, token_hash
from lucy_events.application.documents import DocumentCommands, IncomingDocument
from lucy_events.application.erasure import ErasureCommands
from lucy_events.application.firms import FirmCommands
from lucy_events.application.history import ClientSummary, HistoryEntry
from lucy_events.application.invoice_settings import InvoiceSettingsCommands
from lucy_events.application.invoicing import InvoicingCommands
from lucy_events.application.mail import MailCommands
from lucy_events.application.peppol import PeppolCommands, PeppolReceipt
from lucy_events.application.recognition import ReadValues, RecognitionCommands, Suspicion
from lucy_events.application.retention import RetentionCommands
from lucy_events.application.transcodings import DateAsISO
from lucy_events.application.vault import VaultCommands
from lucy_events.audit.person_keys import PersonKeys
from lucy_events.audit.sealing import SealedAsDict, SealingMapper
from lucy_events.blobs import BlobStore

__all__ = [
    "ClientAsOf",
    "ClientSummary",
    "DocumentAsOf",
    "FirmNotFound",
    "HistoryEntry",
    "IncomingDocument",
    "LucyApplication",
    "PeppolReceipt",
    "ReadValues",
    "Suspicion",
    "token_hash",
]


class LucyApplication(
    FirmCommands, ClientCommands, DocumentCommands, AsOfQueries, PeppolCommands,
    RecognitionCommands, VaultCommands, MailCommands, RetentionCommands,
    InvoiceSettingsCommands, InvoicingCommands, ErasureCommands,
):
    """lucy-events' write model. Its events live in one store; their global order
    (the notification log) is what the relay and the in-process consumers follow."""

    name = "lucy"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        blobs: BlobStore,
        clock: Callable[[], datetime] = utc_now,
        person_keys: PersonKeys | None = None,
    ) -> None:
        #: The key table personal fields are sealed with (``audit/sealing.py``); without
        #: it (unit tests' in-memory stores) they are stored in clear.
        self.person_keys = person_keys
        super().__init__(env)
        self.blobs = blobs
        self.clock = clock
        self._client_firms: dict[UUID, UUID] = {}
        self._saved_listeners: list[threading.Event] = []
        self._last_saved = threading.local()

    def subscribe_saved(self) -> threading.Event:
        """An event set after every save, so an in-process follower wakes up at once;
        each follower has its own, so one clearing it does not hide a save from another."""
        listener = threading.Event()
        self._saved_listeners.append(listener)
        return listener

    @property
    def last_saved_position(self) -> int:
        """The notification id of this thread's latest save (0 before any)."""
        return int(getattr(self._last_saved, "position", 0))

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings:
            self._last_saved.position = max(r.notification.id for r in recordings)
        self.saved_elsewhere()

    def saved_elsewhere(self) -> None:
        """Wake the in-process followers up: events may have been saved by another
        process on this one's behalf (the intake's worker processes)."""
        for listener in self._saved_listeners:
            listener.set()

    def construct_mapper(self) -> Mapper[UUID]:
        if self.person_keys is None:
            return super().construct_mapper()
        return SealingMapper(self.construct_transcoder(), self.person_keys)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(SealedAsDict(self.person_keys))
