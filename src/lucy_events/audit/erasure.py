"""Erasing a person's personal data: record it, destroy their key, rebuild the read models.

The order is the retention run's: the record (``PersonErased`` on the firm) comes before
the key goes, so a crash between leaves a recorded erasure whose key the same request,
run again, destroys. Once the key is gone every personal field sealed with it reads
"erased person" (history, exports, the relay, the consumers); the read models, which
copied the plain values, are rebuilt from the store. No stored event changes: the hash
chain and ``audit verify`` are untouched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.application import LucyApplication
from lucy_events.audit.person_keys import normalised_identity, person_id
from lucy_events.sqldb import Database

#: One erasure's rebuilds at a time in a process (a rebuild of a read model must not
#: run twice at once).
_REBUILDING = threading.Lock()


@dataclass(frozen=True)
class Erasure:
    person_id: UUID
    identified_by: str
    #: False when there was no key: the person was erased before, or nothing of theirs
    #: was stored sealed (events stored before sealing hold their data in clear).
    key_destroyed: bool
    rebuilt: list[str] = field(default_factory=list)


def person_to_erase(
    app: LucyApplication, firm_id: UUID, *, email: str | None = None,
    staff_id: UUID | None = None, client_id: UUID | None = None,
) -> tuple[str, str]:
    """(identified_by, identity) of the one person named: by e-mail address, staff id, or
    as the current contact person of a client of the firm."""
    named = [n for n in (email, staff_id, client_id) if n is not None]
    if len(named) != 1:
        raise InvalidValue("person", "name exactly one of email, staff_id, client_id")
    if staff_id is not None:
        return "staff", str(staff_id)
    if client_id is not None:
        contact = app.client(firm_id, client_id).contact_person.get("email") or ""
        if "@" not in contact:
            raise InvalidValue("client_id", "the client's contact person has no e-mail "
                                            "address left to erase")
        return "email", contact
    address = normalised_identity("email", email or "")
    if "@" not in address:
        raise InvalidValue("email", f"{email!r} is not an e-mail address")
    return "email", address


def erase_person(
    app: LucyApplication, read_db: Database, firm_id: UUID, identified_by: str,
    identity: str, reason: str, by: Actor, *, live_reads_log: bool = True,
) -> Erasure:
    """Erase the person: ``PersonErased`` recorded, key destroyed, read models rebuilt."""
    from lucy_events.projections import PROJECTIONS
    from lucy_events.projections.replay import rebuild

    if app.person_keys is None:
        raise RuntimeError("erasure needs the person keys (built in bootstrap)")
    person = person_id(firm_id, identified_by, identity)
    staff_id = UUID(identity) if identified_by == "staff" else None
    app.record_erasure(firm_id, person, identified_by, reason, by, staff_id)
    destroyed = app.person_keys.destroy(person)
    with _REBUILDING:
        rebuilt = [rebuild(read_db, app, name, live_reads_log=live_reads_log).projection
                   for name in PROJECTIONS]
    return Erasure(person, identified_by, destroyed, rebuilt)
