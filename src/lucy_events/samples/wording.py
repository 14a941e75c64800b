"""The words a document prints, in Dutch, French, English and German, with a few
synonyms each (real suppliers do not agree on "Factuurnummer" versus "Factuur nr.")."""

from __future__ import annotations

import random

WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "nl": {
        "on": ("op", "over"),
        "invoice": ("FACTUUR", "Factuur"), "credit-note": ("CREDITNOTA", "Creditnota"),
        "receipt": ("KASTICKET", "Kasticket", "Betalingsbewijs"),
        "number": ("Factuurnummer", "Factuur nr.", "Nummer"),
        "credit_number": ("Creditnotanummer", "Creditnota nr."),
        "receipt_number": ("Ticket nr.", "Bonnummer"), "receipt_date": ("Datum",),
        "date": ("Factuurdatum", "Datum"), "due": ("Vervaldatum", "Te betalen voor"),
        "customer": ("Klant", "Factuur aan", "Aan"), "vat": ("BTW", "Btw-nr.", "BTW-nummer"),
        "enterprise": ("Ondernemingsnummer", "KBO", "KvK"),
        "description": ("Omschrijving",), "quantity": ("Aantal",),
        "unit_price": ("Eenheidsprijs", "Prijs"), "amount": ("Bedrag", "Totaal"),
        "rate": ("BTW %", "Tarief"),
        "excl": ("Totaal excl. btw", "Subtotaal", "Maatstaf van heffing"),
        "vat_total": ("Btw", "Totaal btw", "BTW-bedrag"),
        "incl": ("Totaal incl. btw", "Te betalen", "Totaal te betalen"),
        "reference": ("Gestructureerde mededeling", "Mededeling"),
        "bank": ("Bank", "Rekening"), "credits": ("Betreft factuur", "Creditering van factuur"),
        "terms": ("Betaling binnen 30 dagen na factuurdatum.",
                  "Gelieve te betalen binnen de 30 dagen."),
        "thanks": ("Bedankt voor uw bezoek!", "Tot ziens!"),
    },
    "fr": {
        "on": ("sur",),
        "invoice": ("FACTURE", "Facture"), "credit-note": ("NOTE DE CRÉDIT", "Note de crédit"),
        "receipt": ("TICKET DE CAISSE", "Ticket", "Reçu"),
        "number": ("Numéro de facture", "Facture n°", "N° facture"),
        "credit_number": ("Numéro de note de crédit", "Note de crédit n°"),
        "receipt_number": ("Ticket n°", "N° ticket"), "receipt_date": ("Date",),
        "date": ("Date de facture", "Date"), "due": ("Date d'échéance", "Échéance"),
        "customer": ("Client", "Facturé à", "Destinataire"),
        "vat": ("TVA", "N° TVA", "Numéro de TVA"),
        "enterprise": ("Numéro d'entreprise", "BCE", "SIREN"),
        "description": ("Description", "Désignation"), "quantity": ("Quantité", "Qté"),
        "unit_price": ("Prix unitaire", "P.U."), "amount": ("Montant", "Total"),
        "rate": ("TVA %", "Taux"),
        "excl": ("Total HTVA", "Total HT", "Base imposable"),
        "vat_total": ("TVA", "Montant TVA", "Total TVA"),
        "incl": ("Total TVAC", "Total TTC", "Net à payer"),
        "reference": ("Communication structurée", "Communication"),
        "bank": ("Banque", "Compte"), "credits": ("Concerne la facture", "Annule la facture"),
        "terms": ("Paiement à 30 jours date de facture.",
                  "Merci de régler dans les 30 jours."),
        "thanks": ("Merci de votre visite !", "À bientôt !"),
    },
    "en": {
        "on": ("on",),
        "invoice": ("INVOICE", "Invoice", "Tax invoice"),
        "credit-note": ("CREDIT NOTE", "Credit note"), "receipt": ("RECEIPT", "Receipt"),
        "number": ("Invoice number", "Invoice no.", "Invoice #"),
        "credit_number": ("Credit note number", "Credit note no."),
        "receipt_number": ("Receipt no.", "Transaction"), "receipt_date": ("Date",),
        "date": ("Invoice date", "Date", "Issue date"), "due": ("Due date", "Payment due"),
        "customer": ("Bill to", "Customer", "Invoice to"),
        "vat": ("VAT", "VAT no.", "VAT number"),
        "enterprise": ("Company number", "Company reg. no."),
        "description": ("Description", "Item"), "quantity": ("Qty", "Quantity"),
        "unit_price": ("Unit price", "Rate"), "amount": ("Amount", "Line total"),
        "rate": ("VAT %", "VAT rate"),
        "excl": ("Subtotal", "Total excl. VAT", "Net amount"),
        "vat_total": ("VAT", "Total VAT", "VAT amount"),
        "incl": ("Total", "Total incl. VAT", "Amount due"),
        "reference": ("Payment reference", "Structured reference"),
        "bank": ("Bank", "Account"), "credits": ("Credits invoice", "Relates to invoice"),
        "terms": ("Payment due within 30 days.", "Please pay within 30 days."),
        "thanks": ("Thank you!", "Thanks for shopping with us"),
    },
    "de": {
        "on": ("auf", "von"),
        "invoice": ("RECHNUNG", "Rechnung"), "credit-note": ("GUTSCHRIFT", "Gutschrift"),
        "receipt": ("KASSENBON", "Quittung", "Kassenbeleg"),
        "number": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr."),
        "credit_number": ("Gutschriftsnummer", "Gutschrift Nr."),
        "receipt_number": ("Beleg-Nr.", "Bon-Nr."), "receipt_date": ("Datum",),
        "date": ("Rechnungsdatum", "Datum"), "due": ("Fällig am", "Fälligkeitsdatum"),
        "customer": ("Kunde", "Rechnungsempfänger", "An"),
        "vat": ("USt-IdNr.", "USt-ID", "Umsatzsteuer-ID"),
        "enterprise": ("Handelsregister", "HRB"),
        "description": ("Beschreibung", "Bezeichnung"), "quantity": ("Menge", "Anzahl"),
        "unit_price": ("Einzelpreis", "E-Preis"), "amount": ("Betrag", "Gesamt"),
        "rate": ("MwSt. %", "USt-Satz"),
        "excl": ("Nettobetrag", "Summe netto", "Zwischensumme"),
        "vat_total": ("MwSt.", "Umsatzsteuer", "USt."),
        "incl": ("Gesamtbetrag", "Rechnungsbetrag", "Summe brutto"),
        "reference": ("Verwendungszweck", "Zahlungsreferenz"),
        "bank": ("Bank", "Bankverbindung"), "credits": ("Bezug: Rechnung", "Zu Rechnung"),
        "terms": ("Zahlbar innerhalb von 30 Tagen ohne Abzug.",
                  "Bitte überweisen Sie den Betrag innerhalb von 30 Tagen."),
        "thanks": ("Vielen Dank für Ihren Einkauf!", "Danke!"),
    },
}


class Wording:
    """One document's choice of words: each key is settled once, so a document calls
    its total the same thing everywhere it prints it."""

    def __init__(self, language: str, rng: random.Random) -> None:
        self.language = language
        self._words = {key: rng.choice(options) for key, options in WORDS[language].items()}

    def __getitem__(self, key: str) -> str:
        return self._words[key]
