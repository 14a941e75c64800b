"""Which events the bus carries, on which topic, under which key.

Topics are per aggregate and versioned in their name; the key is the client id (the
firm id for firm events), so one client's events keep their order on one partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lucy_events.aggregates import event_classes
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.firm import Firm
from lucy_events.aggregates.invoice import Invoice
from lucy_events.aggregates.invoice_numbers import InvoiceNumbers
from lucy_events.aggregates.invoice_settings import InvoiceSettings
from lucy_events.aggregates.multisender import Multisender
from lucy_events.aggregates.multisends import Multisends
from lucy_events.aggregates.vault import Vault

FIRM_TOPIC = "lucy.firm-events.v1"
CLIENT_TOPIC = "lucy.client-events.v1"
DOCUMENT_TOPIC = "lucy.document-events.v1"
VAULT_TOPIC = "lucy.vault-events.v1"
INVOICE_TOPIC = "lucy.invoice-events.v1"
#: The client's own destinations and what it sent there: never the router's business.
MULTISENDER_TOPIC = "lucy.multisender-events.v1"
TOPICS = (FIRM_TOPIC, CLIENT_TOPIC, DOCUMENT_TOPIC, VAULT_TOPIC, INVOICE_TOPIC,
          MULTISENDER_TOPIC)
NAMESPACE = "lucy.events"

#: Fields of the domain events that are not part of the published contract.
PRIVATE_FIELDS = frozenset({"token_hash"})


@dataclass(frozen=True)
class Personal:
    """Whose personal data a field holds. ``kind`` "email": a person known by an e-mail
    address (a client's contact person, an invitee, a mail sender, an allowed sender);
    "staff": a staff member, known by their staff id. ``identity`` is the path of the
    event field that identifies the person (``contact_person.email``, ``staff_id``), or
    empty when each value is its own identity (an e-mail address, or each address of a
    list). A dict field is personal as a whole: each of its text values is sealed."""

    kind: str
    identity: str = ""


_BY_ADDRESS = Personal("email")
_CONTACT = Personal("email", "contact_person.email")
_STAFF = Personal("staff", "staff_id")

#: Fields of the domain events that hold a person's data: stored encrypted with that
#: person's key (``audit/sealing.py``), shown as "erased person" once the key is
#: destroyed. The one list; a test fails on an event field that looks personal and is
#: not in it.
PERSONAL_FIELDS: dict[str, dict[str, Personal]] = {
    "ClientCreated": {"contact_person": _CONTACT},
    "ContactPersonReplaced": {"contact_person": _CONTACT},
    "Invited": {"email": _BY_ADDRESS},
    "InvitationResent": {"email": _BY_ADDRESS},
    "AllowedSendersChanged": {"senders": _BY_ADDRESS},
    "MailQuarantined": {"sender": _BY_ADDRESS},
    "DocumentReceived": {"sender": _BY_ADDRESS},
    "StaffMemberAdded": {"name": _STAFF, "email": _STAFF},
}
#: Fields that go into the shared envelope rather than the event's own record.
ENVELOPE_FIELDS = frozenset({
    "originator_id", "originator_version", "timestamp", "originator_topic",
    "actor", "firm_id", "client_id",
})

_AGGREGATES: dict[type[Any], str] = {
    Firm: FIRM_TOPIC, Client: CLIENT_TOPIC, Document: DOCUMENT_TOPIC,
    Vault: VAULT_TOPIC,
    InvoiceSettings: INVOICE_TOPIC, InvoiceNumbers: INVOICE_TOPIC, Invoice: INVOICE_TOPIC,
    Multisender: MULTISENDER_TOPIC, Multisends: MULTISENDER_TOPIC,
}


#: Event type name (``Invited``) -> event class; names are unique across aggregates.
EVENT_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls for aggregate in _AGGREGATES for cls in event_classes(aggregate)
}
TOPIC_OF: dict[str, str] = {
    cls.__name__: topic for aggregate, topic in _AGGREGATES.items()
    for cls in event_classes(aggregate)
}
assert len(EVENT_CLASSES) == sum(len(event_classes(a)) for a in _AGGREGATES), "duplicate names"


def full_name(event_type: str) -> str:
    return f"{NAMESPACE}.{event_type}"
