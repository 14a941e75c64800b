"""Seeded invoices, credit notes and receipts: lines, VAT rates of the supplier's
country, numbering schemes, payment terms and Belgian structured communications."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from lucy_events.samples import numbers, parties
from lucy_events.samples.model import Invoice, Line, Party

#: (description per language, unit price range, reduced rate?)
ITEMS = [
    ({"nl": "Advies en begeleiding (uur)", "fr": "Conseil et accompagnement (heure)",
      "en": "Consulting (hour)", "de": "Beratung (Stunde)"}, (65, 140), False),
    ({"nl": "Kopieerpapier A4 (doos)", "fr": "Papier A4 (carton)",
      "en": "Copy paper A4 (box)", "de": "Kopierpapier A4 (Karton)"}, (18, 45), False),
    ({"nl": "Onderhoud verwarmingsketel", "fr": "Entretien chaudière",
      "en": "Boiler maintenance", "de": "Wartung Heizkessel"}, (95, 260), False),
    ({"nl": "Transportkosten", "fr": "Frais de transport", "en": "Shipping",
      "de": "Versandkosten"}, (12, 90), False),
    ({"nl": "Webhosting jaarabonnement", "fr": "Hébergement web annuel",
      "en": "Web hosting, annual plan", "de": "Webhosting Jahresabo"}, (120, 480), False),
    ({"nl": "Drukwerk flyers A5", "fr": "Impression flyers A5", "en": "Printing A5 flyers",
      "de": "Druck Flyer A5"}, (80, 600), False),
    ({"nl": "Herstelling dakgoot", "fr": "Réparation gouttière", "en": "Gutter repair",
      "de": "Reparatur Dachrinne"}, (150, 900), False),
    ({"nl": "Huur hoogwerker (dag)", "fr": "Location nacelle (jour)",
      "en": "Aerial platform hire (day)", "de": "Miete Hubarbeitsbühne (Tag)"}, (180, 420),
     False),
    ({"nl": "Softwarelicentie (maand)", "fr": "Licence logiciel (mois)",
      "en": "Software licence (month)", "de": "Softwarelizenz (Monat)"}, (25, 300), False),
    ({"nl": "Koffiebonen 1 kg", "fr": "Café en grains 1 kg", "en": "Coffee beans 1 kg",
      "de": "Kaffeebohnen 1 kg"}, (14, 32), True),
    ({"nl": "Vakliteratuur", "fr": "Ouvrages professionnels", "en": "Professional books",
      "de": "Fachliteratur"}, (20, 85), True),
    ({"nl": "Broodjes en gebak (catering)", "fr": "Sandwichs et pâtisseries (traiteur)",
      "en": "Sandwiches and pastries (catering)", "de": "Brötchen und Gebäck (Catering)"},
     (40, 350), True),
]
RECEIPT_ITEMS = [
    ({"nl": "Diesel", "fr": "Diesel", "en": "Diesel", "de": "Diesel"}, (40, 95), False),
    ({"nl": "Lunch", "fr": "Déjeuner", "en": "Lunch", "de": "Mittagessen"}, (12, 38), True),
    ({"nl": "Parkeerticket", "fr": "Ticket parking", "en": "Parking", "de": "Parkschein"},
     (3, 18), False),
    ({"nl": "Schroeven en pluggen", "fr": "Vis et chevilles", "en": "Screws and plugs",
      "de": "Schrauben und Dübel"}, (4, 25), False),
    ({"nl": "Koffie", "fr": "Café", "en": "Coffee", "de": "Kaffee"}, (2, 5), True),
]
RATES = {"BE": (Decimal(21), Decimal(6)), "NL": (Decimal(21), Decimal(9)),
         "FR": (Decimal(20), Decimal("5.5")), "DE": (Decimal(19), Decimal(7))}
CURRENCIES = {"en": ("EUR", "EUR", "EUR", "USD", "GBP")}


def invoice_number(rng: random.Random, kind: str, issued: date) -> str:
    serial = rng.randrange(1, 2400)
    year, short = issued.year, issued.year % 100
    if kind == "receipt":
        return rng.choice([f"{rng.randrange(1, 9)}/{rng.randrange(10000, 99999)}",
                           f"T{year}{serial:06d}", f"{rng.randrange(100000, 999999)}"])
    prefix = rng.choice(["CN", "CR", "NC", "GS"]) if kind == "credit-note" else \
        rng.choice(["F", "INV", "FA", "RE", "FACT", ""])
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{prefix}{'-' if prefix else ''}{year}-{serial:04d}"
    if pattern == 1:
        return f"{prefix or 'F'}{year}/{serial:05d}"
    if pattern == 2:
        return f"{prefix or 'V'}{short}{serial:05d}"
    return f"{year}{serial:04d}"


def _lines(rng: random.Random, kind: str, language: str, country: str) -> tuple[Line, ...]:
    catalogue = RECEIPT_ITEMS if kind == "receipt" else ITEMS
    standard, reduced = RATES[country]
    count = rng.randrange(1, 4) if kind == "receipt" else rng.randrange(1, 7)
    picked = rng.sample(catalogue, min(count, len(catalogue)))
    lines = []
    for names, (low, high), is_reduced in picked:
        price = Decimal(rng.randrange(low * 100, high * 100)) / 100
        quantity = Decimal(rng.choice([1, 1, 1, 2, 3] if kind == "receipt" else
                                      [1, 1, 1, 2, 3, 4, 5, 8, 10, 12]))
        if "(uur)" in names["nl"] or "(dag)" in names["nl"]:
            quantity = Decimal(rng.choice([1, 2, 3, 4, 6, 7.5, 8, 16])).quantize(Decimal("0.1"))
        lines.append(Line(names[language], quantity.normalize(), price,
                          reduced if is_reduced else standard))
    return tuple(lines)


def make_invoice(rng: random.Random, *, kind: str, side: str, language: str,
                 issued: date, client: Party | None = None,
                 counterparty: Party | None = None) -> Invoice:
    """An invoice of ``kind`` seen from ``side``. ``client`` (the firm's client) is the
    supplier of a sales document and the customer of a purchase one; the other party is
    ``counterparty`` or a new company of the document's language, in the client's country
    when there is a client (domestic VAT)."""
    region = rng.choice(parties.REGIONS[language])
    if client is not None and client.country in ("NL", "FR", "DE"):
        region = client.country
    elif client is not None:
        region = "BE-fr" if language == "fr" else "BE-nl"
    other = counterparty or parties.company(rng, language, region)
    if kind == "receipt":
        side = "purchase"
    supplier, customer = (client or parties.company(rng, language, region), other) \
        if side == "sales" else (other, client or parties.company(rng, language, region))
    due = None if kind != "invoice" else issued + timedelta(days=rng.choice([14, 30, 30, 60]))
    communication = None
    if kind == "invoice" and supplier.country == "BE" and rng.random() < 0.7:
        communication = numbers.structured_communication(rng)
    currency = rng.choice(CURRENCIES.get(language, ("EUR",)))
    return Invoice(
        kind=kind, side=side, language=language, number=invoice_number(rng, kind, issued),
        issue_date=issued, due_date=due, currency=currency, supplier=supplier,
        customer=customer, show_customer=kind != "receipt",
        lines=_lines(rng, kind, language, supplier.country),
        structured_communication=communication,
        credited_invoice=invoice_number(rng, "invoice", issued - timedelta(days=20))
        if kind == "credit-note" else None,
    )
