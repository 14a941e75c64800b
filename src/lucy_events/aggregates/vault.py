"""A client's vault: files the firm and the client share that are not accounting
documents (tax returns, annual accounts, reports). They are kept, listed, downloaded and
deleted, and never sent to an accounting package: the vault has its own events on its
own topic, which the router and auto-send do not read.

One vault per client, its id derived from the client's (``Vault.id_for``), so finding
it needs no lookup; it is opened by its first file.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.companies import required_text
from lucy_events.aggregates.document_rules import sha256_hex
from lucy_events.aggregates.errors import InvalidValue, NotFound
from lucy_events.aggregates.event_time import event_time

_NAMESPACE = uuid5(NAMESPACE_URL, "https://lucy-events/vault")


class VaultFileNotFound(NotFound):
    """Raised when the vault has no such file (never had it, or it was deleted)."""


@dataclass(frozen=True)
class VaultFile:
    file_id: UUID
    file_name: str
    media_type: str
    size: int
    sha256: str
    blob_ref: str


class Vault(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class VaultOpened(Event, Aggregate.Created):
        pass

    class VaultFileAdded(Event):
        file_id: UUID
        file_name: str
        media_type: str
        size: int
        sha256: str
        blob_ref: str

        def apply(self, vault: Vault) -> None:
            vault.files[self.file_id] = VaultFile(
                self.file_id, self.file_name, self.media_type, self.size, self.sha256,
                self.blob_ref)

    class VaultFileDeleted(Event):
        file_id: UUID
        file_name: str

        def apply(self, vault: Vault) -> None:
            vault.files.pop(self.file_id, None)

    @staticmethod
    def id_for(client_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(client_id))

    @event(VaultOpened)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.files: dict[UUID, VaultFile] = {}

    @classmethod
    def open(cls, *, firm_id: UUID, client_id: UUID, by: Actor) -> Vault:
        return cls._create(cls.VaultOpened, id=cls.id_for(client_id), actor=str(by),
                           firm_id=firm_id, client_id=client_id)

    def add_file(self, *, file_id: UUID, file_name: str, media_type: str, size: int,
                 sha256: str, blob_ref: str, by: Actor) -> None:
        if size <= 0:
            raise InvalidValue("size", "a vault file cannot be empty")
        if file_id in self.files:
            raise InvalidValue("file_id", f"the vault already has a file {file_id}")
        self.trigger_event(
            self.VaultFileAdded, actor=str(by), firm_id=self.firm_id, client_id=self.client_id,
            file_id=file_id, file_name=required_text(file_name, "file_name", 255),
            media_type=required_text(media_type, "media_type", 127), size=int(size),
            sha256=sha256_hex(sha256), blob_ref=blob_ref)

    def file(self, file_id: UUID) -> VaultFile:
        try:
            return self.files[file_id]
        except KeyError:
            raise VaultFileNotFound(f"no file {file_id} in the vault") from None

    def delete_file(self, file_id: UUID, by: Actor) -> None:
        shared = self.file(file_id)
        self.trigger_event(self.VaultFileDeleted, actor=str(by), firm_id=self.firm_id,
                           client_id=self.client_id, file_id=file_id,
                           file_name=shared.file_name)
