"""Personal fields sealed in the stored events with their person's key.

The mapper (built for the application in ``bootstrap.py``) seals the values of the
fields ``PERSONAL_FIELDS`` names as it stores an event: each becomes
``{"_type_": "sealed", "_data_": {"person", "nonce", "data"}}``, AES-GCM with the
person's key and their id as associated data. The store and the hash chain only ever
see the sealed bytes, so destroying a key changes no stored byte: ``audit verify`` passes
after an erasure. Reading opens them again, in the transcoder (domain events, the slow
path) and in ``open_personal`` (the bus's fast path in ``bus/stored_records.py``); a
value whose key is gone reads as ``ERASED``. Events stored before sealing hold plain
values and read as they are.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder, Transcoding
from eventsourcing.utils import get_topic

from lucy_events.audit.person_keys import PersonKeys, person_id
from lucy_events.bus.catalogue import PERSONAL_FIELDS, Personal

#: What a personal value reads as once its person's key is destroyed.
ERASED = "erased person"


@dataclass(frozen=True)
class Sealed:
    """A personal value on its way into the store: whose it is and the plain value."""

    person: UUID
    kind: str
    value: str


class SealedAsDict(Transcoding):
    """Encrypts a ``Sealed`` value as the JSON transcoder writes it and opens it as the
    transcoder reads it: the plain value, or ``ERASED``."""

    type = Sealed
    name = "sealed"

    def __init__(self, keys: PersonKeys | None) -> None:
        self.keys = keys

    def encode(self, obj: Sealed) -> dict[str, str]:
        assert self.keys is not None, "sealing needs the person keys"
        nonce = os.urandom(12)
        data = self.keys.cipher_for_writing(obj.person, obj.kind).encrypt(
            nonce, obj.value.encode(), obj.person.bytes)
        return {"person": obj.person.hex, "nonce": _b64(nonce), "data": _b64(data)}

    def decode(self, data: dict[str, str]) -> str:
        return open_sealed(self.keys, data)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


_unb64 = binascii.a2b_base64  # what base64.b64decode calls, without its checks of the type


def open_sealed(keys: PersonKeys | None, data: dict[str, str]) -> str:
    """The plain value of a sealed one (its ``_data_``), or ``ERASED`` when its person's
    key is gone (or was replaced by a new key after an erasure)."""
    person = data["person"]
    cipher = keys.cipher(person) if keys is not None else None
    if cipher is None:
        return ERASED
    try:
        plain = cipher.decrypt(_unb64(data["nonce"]), _unb64(data["data"]),
                               bytes.fromhex(person))
    except InvalidTag:
        return ERASED
    return plain.decode()


def open_personal(keys: PersonKeys | None, value: Any) -> Any:
    """A personal field's value as stored (orjson's reading) with its sealed parts
    opened: a sealed value, a list of them, or a dict whose values are sealed."""
    if isinstance(value, dict):
        if value.get("_type_") == "sealed":
            return open_sealed(keys, value["_data_"])
        return {k: open_personal(keys, v) for k, v in value.items()}
    if isinstance(value, list):
        return [open_personal(keys, v) for v in value]
    return value


def _dotted(state: dict[str, Any], path: str) -> Any:
    value: Any = state
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def seal(state: dict[str, Any], fields: dict[str, Personal]) -> None:
    """Replace the personal values of an event's state with ``Sealed`` ones, in place."""
    firm_id = state["firm_id"]
    for name, whose in fields.items():
        value = state.get(name)
        if value is None:
            continue
        identity = _dotted(state, whose.identity) if whose.identity else None

        def sealed(text: Any, *, whose: Personal = whose, identity: Any = identity) -> Any:
            if not isinstance(text, str) or not text:  # nothing personal in an empty value
                return text
            return Sealed(person_id(firm_id, whose.kind, str(identity or text)),
                          whose.kind, text)

        if isinstance(value, dict):
            state[name] = {k: sealed(v) for k, v in value.items()}
        elif isinstance(value, list):
            state[name] = [sealed(v) for v in value]
        else:
            state[name] = sealed(value)


class SealingMapper(Mapper[UUID]):
    """eventsourcing's mapper, sealing the personal fields of the events it stores.
    Reading needs nothing of its own: the transcoder's ``SealedAsDict`` opens them."""

    def __init__(self, transcoder: Transcoder, keys: PersonKeys) -> None:
        super().__init__(transcoder)
        self.keys = keys

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        fields = PERSONAL_FIELDS.get(type(domain_event).__name__)
        if not fields:
            return super().to_stored_event(domain_event)
        # As the base class does, with the personal values sealed before encoding.
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        seal(event_state, fields)
        return StoredEvent(originator_id=originator_id,
                           originator_version=originator_version,
                           topic=get_topic(type(domain_event)),
                           state=self.transcoder.encode(event_state))
