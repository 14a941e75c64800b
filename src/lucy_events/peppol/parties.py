"""Who a UBL invoice is between, and which of the firm's clients it is for (pure).

A party is known by its Peppol endpoint (``EndpointID`` with its scheme: 0208 is a
Belgian enterprise number, 9925 a Belgian VAT number, 0106 a Dutch KvK number) and by
its identifiers (``PartyIdentification``, ``PartyLegalEntity/CompanyID``,
``PartyTaxScheme/CompanyID``). Each is reduced to the keys a client is stored under: a
Belgian number gives both the enterprise number and ``BE`` + it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from lucy_events.peppol.xml import SBD_NS, UBL_CREDIT_NOTE_NS

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC, "sbd": SBD_NS}
_IDENTIFIERS = ("cbc:EndpointID", "cac:PartyIdentification/cbc:ID",
                "cac:PartyLegalEntity/cbc:CompanyID", "cac:PartyTaxScheme/cbc:CompanyID")
_BE_DIGITS = re.compile(r"^(?:BE)?([01]\d{9})$")
_NL_VAT = re.compile(r"^NL\d{9}B\d{2}$")
_KVK = re.compile(r"^\d{8}$")
_SCHEME_PREFIX = re.compile(r"^(\d{4}):")


def id_keys(value: str, scheme: str | None = None) -> set[str]:
    """The keys a company identifier may be stored under on a client."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    prefixed = _SCHEME_PREFIX.match(compact)
    if prefixed:  # "0208:0123456789" as a participant id
        scheme, compact = prefixed.group(1), compact[prefixed.end():]
    belgian = _BE_DIGITS.match(compact)
    if belgian:
        return {belgian.group(1), "BE" + belgian.group(1)}
    if _NL_VAT.match(compact) or (_KVK.match(compact) and scheme == "0106"):
        return {compact}
    return set()


@dataclass(frozen=True)
class Parties:
    kind: str  # "invoice" or "credit-note"
    supplier: frozenset[str]
    customer: frozenset[str]
    #: Keys of the receiver named by the SBD header (the access point's addressee).
    receiver: frozenset[str]
    supplier_ids: tuple[str, ...]
    customer_ids: tuple[str, ...]


def _party_ids(ubl: etree._Element, side: str) -> tuple[str, ...]:
    found = []
    for party in ubl.iterfind(f"cac:Accounting{side}Party/cac:Party", NS):
        for path in _IDENTIFIERS:
            for element in party.iterfind(path, NS):
                value = (element.text or "").strip()
                if value:
                    scheme = element.get("schemeID")
                    found.append(f"{scheme}:{value}" if scheme else value)
    return tuple(dict.fromkeys(found))


def _keys(ids: Iterable[str]) -> frozenset[str]:
    return frozenset(key for value in ids for key in id_keys(value))


def parties(root: etree._Element, ubl: etree._Element) -> Parties:
    """The parties of ``ubl``; ``root`` is the SBD around it, or ``ubl`` itself."""
    supplier, customer = _party_ids(ubl, "Supplier"), _party_ids(ubl, "Customer")
    receivers = [e.text or "" for e in root.iterfind(
        "sbd:StandardBusinessDocumentHeader/sbd:Receiver/sbd:Identifier", NS)]
    kind = "credit-note" if ubl.tag == f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote" else "invoice"
    return Parties(kind, _keys(supplier), _keys(customer), _keys(receivers), supplier,
                   customer)


@dataclass(frozen=True)
class ClientKeys:
    client_id: str
    enterprise_number: str | None
    vat_number: str | None

    @property
    def keys(self) -> set[str]:
        return {k.upper() for k in (self.enterprise_number, self.vat_number) if k}


@dataclass(frozen=True)
class Match:
    """The client a document is for and its side, or why there is none."""

    client_id: str | None
    side: str | None  # "customer" (a purchase) or "supplier" (a sale)
    reason: str | None = None

    @property
    def direction(self) -> str:
        return "purchase" if self.side == "customer" else "sales"


def match_client(found: Parties, clients: Iterable[ClientKeys]) -> Match:
    """Which client the document is for. The customer side first (a purchase invoice
    received); the supplier side (a copy of a client's own sales invoice) when no client
    is the customer. When both sides are clients, the SBD receiver decides."""
    candidates = list(clients)
    sides = {side: [c for c in candidates if c.keys & keys]
             for side, keys in (("customer", found.customer), ("supplier", found.supplier))}
    if sides["customer"] and sides["supplier"] and found.receiver:
        for side in ("customer", "supplier"):
            if any(c.keys & found.receiver for c in sides[side]):
                sides = {side: sides[side]}
                break
    for side in ("customer", "supplier"):
        matched = sides.get(side) or []
        if len(matched) == 1:
            return Match(matched[0].client_id, side)
        if len(matched) > 1:
            ids = ", ".join(sorted(c.client_id for c in matched))
            return Match(None, None, f"several clients match the {side} ({ids})")
    named = ", ".join(found.customer_ids + found.supplier_ids) or "no identifiers"
    return Match(None, None, f"no client of the firm matches the customer or the supplier "
                             f"({named})")


def document_type(found: Parties, match: Match) -> str:
    """purchase-invoice, purchase-credit-note, sales-invoice or sales-credit-note."""
    return f"{match.direction}-{found.kind}"
