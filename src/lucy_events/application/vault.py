"""Vault commands: a client's shared files added, read and deleted, as the firm's staff
may see the client (another firm's or a hidden one is not found)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.vault import Vault, VaultFile, VaultFileNotFound
from lucy_events.application.base import CommandsBase, require_staff
from lucy_events.intake.files import IncomingFile


class VaultCommands(CommandsBase):
    def _vault(self, firm_id: UUID, client_id: UUID, by: Actor) -> Vault | None:
        require_staff(by)
        self.client(firm_id, client_id, by)
        try:
            vault: object = self.repository.get(Vault.id_for(client_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(vault, Vault) and vault.firm_id == firm_id
        return vault

    def add_vault_files(self, firm_id: UUID, client_id: UUID, files: Sequence[IncomingFile],
                        by: Actor) -> list[VaultFile]:
        """Store the contents, then record them in the vault together (all or none)."""
        self._vault(firm_id, client_id, by)  # refuse before storing anything
        stored = [(uuid4(), file, self.blobs.put(file.content)) for file in files]

        def command() -> list[VaultFile]:
            vault = self._vault(firm_id, client_id, by) or Vault.open(
                firm_id=firm_id, client_id=client_id, by=by)
            for file_id, file, blob in stored:
                vault.add_file(file_id=file_id, file_name=file.file_name,
                               media_type=file.media_type, size=blob.size,
                               sha256=blob.sha256, blob_ref=blob.ref, by=by)
            self.save(vault)
            return [vault.file(file_id) for file_id, _, _ in stored]

        return self._run(command)

    def vault_file(self, firm_id: UUID, client_id: UUID, file_id: UUID, by: Actor
                   ) -> tuple[VaultFile, bytes]:
        vault = self._vault(firm_id, client_id, by)
        if vault is None:
            raise VaultFileNotFound(f"no file {file_id} in the vault")
        shared = vault.file(file_id)
        return shared, self.blobs.get(shared.blob_ref)

    def delete_vault_file(self, firm_id: UUID, client_id: UUID, file_id: UUID, by: Actor
                          ) -> VaultFile:
        def command() -> VaultFile:
            vault = self._vault(firm_id, client_id, by)
            if vault is None:
                raise VaultFileNotFound(f"no file {file_id} in the vault")
            shared = vault.file(file_id)
            vault.delete_file(file_id, by)
            self.save(vault)
            return shared

        return self._run(command)
