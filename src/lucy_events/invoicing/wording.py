"""What the invoice PDF says, in the invoice's language (nl, fr, en)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "nl": {"invoice": "Factuur", "credit-note": "Creditnota", "number": "Nummer",
           "issue_date": "Factuurdatum", "due_date": "Vervaldatum", "customer": "Klant",
           "description": "Omschrijving", "quantity": "Aantal", "unit_price": "Eenheidsprijs",
           "vat": "Btw", "amount": "Bedrag", "total_excl": "Totaal excl. btw",
           "total_vat": "Btw", "total_incl": "Te betalen", "allowance": "Korting",
           "charge": "Toeslag", "pay_to": "Gelieve te betalen op", "communication":
           "met gestructureerde mededeling", "credits": "Crediteert factuur",
           "enterprise": "Ondernemingsnummer", "vat_number": "Btw-nummer",
           "exemption": "Vrijstelling"},
    "fr": {"invoice": "Facture", "credit-note": "Note de crédit", "number": "Numéro",
           "issue_date": "Date de facture", "due_date": "Échéance", "customer": "Client",
           "description": "Description", "quantity": "Quantité", "unit_price": "Prix unitaire",
           "vat": "TVA", "amount": "Montant", "total_excl": "Total hors TVA",
           "total_vat": "TVA", "total_incl": "À payer", "allowance": "Remise",
           "charge": "Supplément", "pay_to": "Veuillez payer sur", "communication":
           "avec la communication structurée", "credits": "Crédite la facture",
           "enterprise": "Numéro d'entreprise", "vat_number": "Numéro de TVA",
           "exemption": "Exonération"},
    "en": {"invoice": "Invoice", "credit-note": "Credit note", "number": "Number",
           "issue_date": "Issue date", "due_date": "Due date", "customer": "Customer",
           "description": "Description", "quantity": "Quantity", "unit_price": "Unit price",
           "vat": "VAT", "amount": "Amount", "total_excl": "Total excl. VAT",
           "total_vat": "VAT", "total_incl": "To pay", "allowance": "Allowance",
           "charge": "Charge", "pay_to": "Please pay to", "communication":
           "with the structured communication", "credits": "Credits invoice",
           "enterprise": "Enterprise number", "vat_number": "VAT number",
           "exemption": "Exemption"},
}
