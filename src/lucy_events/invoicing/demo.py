"""The demo firm's sales invoices: two Belgian clients set up their invoice settings and
issue a few invoices (one credited), so the Create invoice tab, the sales documents and
``invoices export`` have something to show. Seeded with the demo firm, once."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from lucy_events.aggregates.actors import Actor
from lucy_events.application import LucyApplication

IBANS = ("BE71096123456769", "BE62510007547061")
CUSTOMERS = (
    {"name": "Brasserie De Markt BV", "enterprise_number": "0202239951",
     "vat": "BE0202239951", "street": "Grote Markt 12", "postal_code": "2000",
     "city": "Antwerpen", "country": "BE", "email": "boekhouding@demarkt.example"},
    {"name": "Hotel Les Arcades SA", "enterprise_number": "0403170701",
     "vat": "BE0403170701", "street": "Rue Haute 40", "postal_code": "1000",
     "city": "Bruxelles", "country": "BE", "email": "compta@arcades.example"},
)
LINES = (
    [{"description": "Broodjes en pistolets (week 47)", "quantity": "240", "unit": "C62",
      "unit_price": "0.45", "vat_category": "S", "vat_rate": "6"},
     {"description": "Levering en opstelling", "quantity": "1.5", "unit": "HUR",
      "unit_price": "55", "vat_category": "S", "vat_rate": "21"}],
    [{"description": "Taarten op bestelling", "quantity": "12", "unit": "C62",
      "unit_price": "24.50", "vat_category": "S", "vat_rate": "6"}],
)


def seed_invoices(app: LucyApplication, firm_id: UUID, clients: Sequence[UUID],
                  by: Actor) -> list[UUID]:
    """Settings, invoices and a credit note for the first two Belgian clients with an
    enterprise number and an address; the ids of what was issued."""
    chosen = [c for c in (app.client(firm_id, i) for i in clients)
              if c.country == "BE" and c.enterprise_number and c.address.get("street")][:2]
    issued: list[UUID] = []
    for n, client in enumerate(chosen):
        address = client.address
        app.save_invoice_settings(firm_id, client.id, {
            "seller_name": client.name, "seller_enterprise_number": client.enterprise_number,
            "seller_vat": client.vat_number or f"BE{client.enterprise_number}",
            "seller_street": address["street"], "seller_postal_code": address["postal_code"],
            "seller_city": address["city"], "seller_country": "BE", "iban": IBANS[n],
            "payment_terms_days": "30", "default_vat_rate": "21",
            "language": ("nl", "fr")[n], "number_prefix": ("F", "FAC-")[n]}, by)
        for m, customer in enumerate(CUSTOMERS):
            draft = app.draft_invoice(firm_id, client.id, {
                "customer": customer, "lines": LINES[m],
                "adjustments": [{"charge": "false", "reason": "Vaste klant", "amount": "5",
                                 "vat_category": "S", "vat_rate": "6"}] if m else []}, by)
            issued.append(app.issue_invoice(firm_id, client.id, draft.id, by).id)
        if n == 0:
            credit = app.draft_credit_note(firm_id, client.id, issued[0], {"lines": [
                {**LINES[0][0], "description": "Retour: 20 pistolets", "quantity": "20"}]}, by)
            issued.append(app.issue_invoice(firm_id, client.id, credit.id, by).id)
    return issued
