"""Pure domain: the Firm, Client and Document aggregates, their events and rules.

Nothing here reads a clock, a database or a network: commands take what they need
(the acting person, the current time, the firm's configuration) as arguments.
"""

from __future__ import annotations

from typing import Any


def event_classes(aggregate: type[Any]) -> list[type[Any]]:
    """The events an aggregate records (not eventsourcing's unused default ``Created``)."""
    return [
        value for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, aggregate.Event)
        and name not in ("Event", "Created")
    ]
