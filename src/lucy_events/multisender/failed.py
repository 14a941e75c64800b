"""Ops: the multisender's failed sendings, with their reasons, and asking them to go
again (``lucy-events deliveries multisend-failed|multisend-retry``).

Found from the MultisendFailed events of the notification log (their cost grows with
the failures ever recorded, not with the store), each then read from its document's
Multisends: only sendings whose last outcome is a failure are listed or sent again, and
the aggregate refuses anything else, so a sent copy is never sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import DomainError
from lucy_events.aggregates.multisender_rules import Sending
from lucy_events.aggregates.multisends import Multisends
from lucy_events.application import LucyApplication
from lucy_events.multisender.commands import MultisenderCommands

OPS = Actor.system("ops")


@dataclass(frozen=True)
class FailedSending:
    firm_id: UUID
    client_id: UUID
    sending: Sending


@dataclass
class RetryReport:
    requested: list[UUID] = field(default_factory=list)
    skipped: dict[UUID, str] = field(default_factory=dict)


def failed_sendings(app: LucyApplication, *, client_id: UUID | None = None,
                    sending_id: UUID | None = None) -> list[FailedSending]:
    """Sendings whose last outcome is a failure, oldest failure first."""
    aggregate_ids: dict[UUID, None] = {}
    for notification in app._notifications([get_topic(Multisends.MultisendFailed)]):
        aggregate_ids[UUID(str(notification.originator_id))] = None
    found = []
    for aggregate_id in aggregate_ids:
        multisends: Any = app.repository.get(aggregate_id)
        assert isinstance(multisends, Multisends)
        if client_id is not None and multisends.client_id != client_id:
            continue
        found += [FailedSending(multisends.firm_id, multisends.client_id, sending)
                  for sending in multisends.sendings.values()
                  if sending.status == "failed"
                  and sending_id in (None, sending.sending_id)]
    return sorted(found, key=lambda f: f.sending.at)


def retry_failed(commands: MultisenderCommands, *, client_id: UUID | None = None,
                 sending_id: UUID | None = None, by: Actor = OPS) -> RetryReport:
    report = RetryReport()
    for failed in failed_sendings(commands.app, client_id=client_id, sending_id=sending_id):
        sending = failed.sending
        try:
            commands.retry_for_system(sending.document_id, sending.sending_id, by)
        except DomainError as error:  # it changed since it was listed
            report.skipped[sending.sending_id] = str(error)
        else:
            report.requested.append(sending.sending_id)
    return report
