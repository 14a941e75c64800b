"""Recording a person's erasure on the firm (the key is destroyed by ``audit/erasure``)."""

from __future__ import annotations

from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application.base import CommandsBase


class ErasureCommands(CommandsBase):
    def record_erasure(
        self, firm_id: UUID, person_id: UUID, kind: str, reason: str, by: Actor,
        staff_id: UUID | None = None,
    ) -> None:
        self._change(
            lambda: self.firm(firm_id),
            lambda firm: firm.record_erasure(person_id, kind, reason, by, staff_id),
        )
