"""The Peppol envelope: a UBL document inside a Standard Business Document header, as
access points hand documents over (sender and receiver participant ids, document type
and process ids)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time

from lucy_events.peppol import sbdh
from lucy_events.samples.model import Invoice, Party
from lucy_events.samples.ubl import LEGAL_SCHEMES, VAT_SCHEMES


def participant(party: Party) -> str:
    """The party's Peppol participant id (``0208:0403170701``, ``9925:BE0403170701``)."""
    scheme = LEGAL_SCHEMES.get(party.country)
    if scheme and party.enterprise_number:
        return f"{scheme}:{party.enterprise_number}"
    return f"{VAT_SCHEMES[party.country]}:{party.vat}"


def wrap(invoice: Invoice, ubl: bytes, rng: random.Random) -> bytes:
    """``ubl`` (the invoice's UBL) inside a Standard Business Document, built as the
    service sends its own (``peppol.sbdh``), with an instance id of the corpus' seed."""
    created = datetime.combine(invoice.issue_date, time(9, 0), tzinfo=UTC)
    return sbdh.wrap(ubl, sbdh.Envelope(
        participant(invoice.supplier), participant(invoice.customer),
        str(uuid.UUID(int=rng.getrandbits(128), version=4)), invoice.supplier.country,
        created))
