"""A client's allowed senders for the intake's decision: from the inbox addresses read
model, never older than the event store.

Read your writes: a mail is decided on the allowed senders the event store holds when
its DATA is decided, in every deployment. Before each mail one indexed look-up asks the
store for the client's latest version (``latest_version``); the copy kept here, or else
the read model's row, is used only when it reflects that version. When the read model
is behind (a change a moment ago that its projector has not applied yet, or a stopped
projector on Kafka), the client is loaded from the event store, as every mail did
before: slower, never stale. Any client event moves the version on, so a change the
decision does not read (a rename, a quarantined mail) costs one fresh read, no more.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from lucy_events.application import LucyApplication
from lucy_events.projections.inbox_addresses import ProjectedSenders

#: The read model's row for a client, or None (``projections.inbox_addresses``).
Projected = Callable[[UUID], "ProjectedSenders | None"]

_KEPT_LIMIT = 100_000


class AllowedSenders:
    def __init__(self, app: LucyApplication, projected: Projected) -> None:
        self.app = app
        self.projected = projected
        #: client id -> (the client's version, its allowed senders at that version)
        self._kept: dict[UUID, tuple[int, tuple[str, ...]]] = {}

    def of(self, client_id: UUID) -> tuple[str, ...]:
        """The client's allowed senders as of its latest stored event."""
        current = self.app.latest_version(client_id)
        kept = self._kept.get(client_id)
        if kept is not None and current is not None and kept[0] >= current:
            return kept[1]
        row = self.projected(client_id)
        if (row is not None and row.senders is not None and current is not None
                and row.version >= current):
            found = (row.version, row.senders)
        else:  # the read model is behind: the event store decides
            client = self.app.client_for_operator(client_id)
            found = (client.version, tuple(client.allowed_senders))
        if len(self._kept) >= _KEPT_LIMIT:
            self._kept.clear()
        self._kept[client_id] = found
        return found[1]
