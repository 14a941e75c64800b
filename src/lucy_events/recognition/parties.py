"""Who is the supplier and who the customer, and which of them is the client.

A party is found by its VAT number (validated), and its role by where the number sits:
under a "Klant / Client / Bill to / Kunde" heading it is the customer's, under a supplier
heading or in the page footer it is the supplier's; otherwise the first one read (the
letterhead, top left) is the supplier's. The client's own numbers then settle it: on a
sales document the client is the supplier, on a purchase document the customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.fr import siren

from lucy_events.recognition.identifiers import (
    belgian_enterprise_numbers,
    enterprise_number_of,
    party_keys,
    vat_numbers,
)
from lucy_events.recognition.labels import CUSTOMER, KINDS, LEGAL_FORM, REFERENCE, SUPPLIER, plain
from lucy_events.recognition.layout import Layout, Segment

#: The labels a Belgian enterprise number written without "BE" must follow to be read.
_ID_LABEL = re.compile(
    r"btw|tva|vat|mwst|ust|ondernemingsn|ond\.? ?nr|kbo|bce|rpr|rpm|entreprise|company|"
    r"enterprise|o\.?n\.?|n[°o] d'entreprise"
)
_OWN_MARK = re.compile(r"(?<![a-z])(?:uw|votre|vos|your|ihre|client|klant|kunde|customer)(?![a-z])")
_SEPARATORS = re.compile(r"\s+[\u00b7\u2022|\u2013\u2014-]\s+|\s*[|\u00b7\u2022]\s*|,\s+")
_KVK = re.compile(
    r"(?:kvk|k\.v\.k\.|kamer van koophandel|chamber of commerce|coc)[\s\-.:a-z]*?(\d{8})(?!\d)"
)
_SIDES = {"invoice": "invoice", "credit-note": "credit-note"}


@dataclass(frozen=True)
class Party:
    name: str | None = None
    vat: str | None = None
    #: The company register's number: Belgian enterprise number, French SIREN, Dutch KvK.
    enterprise_number: str | None = None


@dataclass(frozen=True)
class Parties:
    supplier: Party
    customer: Party
    #: "supplier", "customer" or None when the client's numbers were not found.
    client_is: str | None


def _label_start(pattern: re.Pattern[str], segment: Segment) -> re.Match[str] | None:
    text = plain(segment.text).lstrip(" :*-")
    match = pattern.match(text)
    if match is None:
        return None
    rest = text[match.end():].strip()
    # a heading stands alone or ends in a colon; "Client NV" is a name, "Klant nr" a field
    if (rest and not rest.startswith(":")) or REFERENCE.match(rest.lstrip(" :.-")):
        return None
    return match


def _role(layout: Layout, segment: Segment, at: int) -> str | None:
    before = plain(segment.text[:at])
    if _OWN_MARK.search(before):
        return "customer"
    if segment.in_footer:
        return "supplier"
    for above in [segment, *layout.column_above(segment)]:
        if _label_start(CUSTOMER, above):
            return "customer"
        if _label_start(SUPPLIER, above):
            return "supplier"
    return None


def _occurrences(layout: Layout) -> list[tuple[str, Segment, str | None]]:
    found: list[tuple[str, Segment, str | None]] = []
    for segment in layout.segments:
        numbers = vat_numbers(segment.text)
        if _ID_LABEL.search(plain(segment.text)):
            numbers += [
                type(n)("BE" + n.value, n.start) for n in belgian_enterprise_numbers(segment.text)
                if not any(v.value == "BE" + n.value for v in numbers)
            ]
        for number in numbers:
            found.append((number.value, segment, _role(layout, segment, number.start)))
    return found


def _block_name(layout: Layout, segment: Segment) -> str | None:
    """The first line of the address block ``segment`` belongs to."""
    if segment.in_footer:
        for piece in _SEPARATORS.split(segment.text):
            if piece.strip() and not _ID_LABEL.match(plain(piece)):
                return piece.strip()
        return None
    block = [segment, *layout.column_above(segment)]
    for index in range(len(block) - 1, -1, -1):
        name = _name_in(block[index])
        if name:
            return name
    return None


def _name_in(segment: Segment) -> str | None:
    """A party name in ``segment``: the text after a party heading, or the segment itself
    when it is no heading, number or kind label."""
    text = segment.text.strip()
    for pattern in (CUSTOMER, SUPPLIER):
        match = _label_start(pattern, segment)
        if match:
            offset = len(text) - len(plain(text).lstrip(" :*-"))
            rest = text[offset + match.end():].strip(" :-")
            return rest or None
    lowered = plain(text)
    if any(pattern.fullmatch(lowered.strip(" :")) for _, pattern in KINDS):
        return None
    if not re.search(r"[a-z]{2}", lowered) or _ID_LABEL.match(lowered) or "@" in lowered:
        return None
    if len(text) <= 4 and " " not in text:
        return None  # a logo's initials ("LR") are no name
    return text


def _heading_name(layout: Layout, pattern: re.Pattern[str]) -> str | None:
    for segment in layout.segments:
        if _label_start(pattern, segment):
            name = _name_in(segment)
            if name:
                return name
            below = layout.below(segment)
            return _name_in(below) if below else None
    return None


def _letterhead_name(layout: Layout, exclude: str | None) -> str | None:
    first_page = [s for s in layout.segments if s.page == 0][:12]
    candidates = [s for s in first_page if _name_in(s) and s.text != exclude]
    for segment in candidates:
        if LEGAL_FORM.search(plain(segment.text)):
            return segment.text.strip()
    return candidates[0].text.strip() if candidates else None


def find_parties(layout: Layout, own_numbers: frozenset[str]) -> Parties:
    occurrences = _occurrences(layout)
    roles: dict[str, str | None] = {}
    segments: dict[str, Segment] = {}
    for value, segment, role in occurrences:
        if roles.get(value) is None:
            roles[value] = role
            segments.setdefault(value, segment)
    own = party_keys(own_numbers)
    mine = [v for v in roles if party_keys([v]) & own]
    others = [v for v in roles if v not in mine]
    client_is: str | None = None
    supplier_vat = next((v for v in roles if roles[v] == "supplier"), None)
    customer_vat = next((v for v in roles if roles[v] == "customer"), None)
    if mine:
        client_is = roles[mine[0]]
        if client_is is None:
            labelled_other = next((roles[v] for v in others if roles[v]), None)
            if labelled_other:
                client_is = "supplier" if labelled_other == "customer" else "customer"
            else:
                client_is = "supplier" if list(roles).index(mine[0]) == 0 else "customer"
        if client_is == "supplier":
            supplier_vat, customer_vat = mine[0], customer_vat or next(iter(others), None)
        else:
            customer_vat = mine[0]
            supplier_vat = next((v for v in others if roles[v] != "customer"), None)
    elif own and others:
        # a sales document always bears its issuer's (the client's) number: this one is
        # a purchase, and the supplier is the party that is not labelled customer
        client_is = "customer"
        supplier_vat = supplier_vat or next((v for v in others if roles[v] is None), None)
    if supplier_vat is None:
        supplier_vat = next((v for v in roles if roles[v] is None and v != customer_vat), None)
    if customer_vat is None:
        customer_vat = next((v for v in roles if roles[v] is None and v != supplier_vat), None)
    customer_name = _heading_name(layout, CUSTOMER) or (
        _block_name(layout, segments[customer_vat]) if customer_vat else None
    )
    supplier_name = _heading_name(layout, SUPPLIER) or (
        _block_name(layout, segments[supplier_vat]) if supplier_vat else None
    )
    if supplier_name is None or supplier_name == customer_name:
        supplier_name = _letterhead_name(layout, customer_name)
    supplier_number = registration_number(
        layout, supplier_vat, segments[supplier_vat] if supplier_vat else None)
    return Parties(Party(supplier_name, supplier_vat, supplier_number),
                   Party(customer_name, customer_vat), client_is)


def registration_number(layout: Layout, vat: str | None, segment: Segment | None) -> str | None:
    """The company register's number of the party with ``vat``: inside the VAT number in
    Belgium (enterprise number) and France (SIREN); in the Netherlands the KvK number
    printed near the VAT number or in the footer."""
    if vat is None:
        return None
    if vat.startswith("BE"):
        return enterprise_number_of(vat)
    if vat.startswith("FR") and siren.is_valid(vat[4:]):
        return vat[4:]
    if vat.startswith("NL") and segment is not None:
        near = [s for s in layout.segments if s.page == segment.page and (
            s.in_footer or (abs(s.line - segment.line) <= 6 and abs(s.x0 - segment.x0) < 40))]
        for candidate in sorted(near, key=lambda s: abs(s.line - segment.line)):
            match = _KVK.search(plain(candidate.text))
            if match:
                return match.group(1)
    return None


def sided_type(kind: str | None, client_is: str | None) -> str | None:
    """The Document's type for a recognised kind: an invoice or credit note is a purchase
    when the client is its customer, a sale when the client is its supplier, and (when
    the client's numbers were not found) a purchase, which is what arrives most."""
    if kind in _SIDES:
        side = "sales" if client_is == "supplier" else "purchase"
        return f"{side}-{_SIDES[kind]}"
    return kind
