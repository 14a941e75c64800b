"""One sample of every domain event, built from its type hints, for contract tests."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from lucy_events.bus.catalogue import ENVELOPE_FIELDS, EVENT_CLASSES, TOPIC_OF

MOMENT = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _sample(hint: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is not None and type(None) in typing.get_args(hint):
        inner = next(a for a in typing.get_args(hint) if a is not type(None))
        return _sample(inner, name)
    if origin is dict:
        return {"street": "Veldstraat 1", "city": "Gent"}
    if origin is list:
        if typing.get_origin(typing.get_args(hint)[0]) is dict:
            return [_sample(typing.get_args(hint)[0], name)]
        return ["supplier.example", "ap@other.example"]
    return {
        str: f"sample {name}", bool: True, int: 3, float: 0.5, UUID: uuid4(),
        datetime: MOMENT, date: date(2026, 12, 2),
    }[hint]


def sample_event(event_type: str) -> Any:
    cls = EVENT_CLASSES[event_type]
    hints = typing.get_type_hints(cls)
    state = {name: _sample(hints[name], name) for name in cls.__dataclass_fields__
             if name not in ENVELOPE_FIELDS}
    state.update(originator_id=uuid4(), originator_version=2, timestamp=MOMENT,
                 actor=f"staff:{uuid4()}", firm_id=uuid4())
    if "client_id" in cls.__dataclass_fields__:
        state["client_id"] = uuid4()
    if TOPIC_OF[event_type].startswith("lucy.firm-"):
        state["firm_id"] = state["originator_id"]
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", state)
    return event
