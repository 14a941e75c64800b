"""The words Dutch, French, German and English documents put before their fields.

Patterns match text that ``plain`` has lower-cased and stripped of accents, so "Échéance"
and "echeance" are one label. Kept in one place so a new language or label is one line.
"""

from __future__ import annotations

import re
import unicodedata


def plain(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(*alternatives: str) -> re.Pattern[str]:
    """One pattern for the alternatives, longest first: "n° de facture" must win over
    "n°" so that what follows the label is the value."""
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?:" + "|".join(ordered) + r")(?![a-z])")


_TAX = r"(?:btw|tva|vat|mwst|ust|taxes?)"

#: Document kinds, most specific first (a credit note often names the invoice it credits).
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("credit-note", _words(
        r"credit ?nota", r"creditnote", r"credit ?note", r"note de credit", r"avoir",
        r"gutschrift", r"rechnungskorrektur", r"credit factuur", r"creditfactuur",
    )),
    ("receipt", _words(
        r"kasticket", r"kassaticket", r"kassabon", r"ticket de caisse", r"recu", r"receipt",
        r"quittung", r"kassenbon", r"kassenbeleg", r"betalingsbewijs", r"kwitantie",
        r"ticket",
    )),
    ("invoice", _words(
        r"factuur", r"facture", r"invoice", r"rechnung", r"tax invoice", r"faktura",
        r"verkoopfactuur", r"aankoopfactuur",
    )),
)

#: A field's label, and whether its value may also sit below the label (a table header).
NUMBER = _words(
    r"factuur[ -]?(?:nummer|nr\.?|no\.?)", r"factuur ?n[or°]\.?", r"nummer", r"nr\.?", r"no\.?",
    r"n[°o]\.?", r"numero(?: de (?:la )?(?:facture|note de credit|ticket))?",
    r"(?:facture|note de credit|avoir|ticket) ?n[°o]?\.?",
    r"n[°o]\.? (?:de )?(?:facture|ticket|recu|l'avoir)",
    r"invoice[ -]?(?:number|no\.?|nr\.?|#)", r"credit ?note[ -]?(?:number|no\.?|nr\.?|#)",
    r"credit ?nota[ -]?(?:nummer|nr\.?)", r"receipt[ -]?(?:number|no\.?)",
    r"rechnungs?[ -]?(?:nummer|nr\.?)", r"gutschrifts?[ -]?(?:nummer|nr\.?)",
    r"belegnummer", r"beleg[ -]?nr\.?", r"bonnummer", r"bon[ -]?nr\.?",
    r"ticket[ -]?(?:nummer|nr\.?)",
    r"kasticket[ -]?(?:nummer|nr\.?)",
    r"transaction(?: no\.?| number| n°)?",
    r"transactie(?:nummer| nr\.?)?", r"transaktion(?:snummer| nr\.?)?",
    r"ref(?:erence)?\.? (?:facture|invoice)",
)
ISSUE_DATE = _words(
    r"factuurdatum", r"datum factuur", r"datum", r"date", r"date de (?:la )?facture",
    r"date facture", r"date d'emission", r"invoice date", r"issue date", r"date of issue",
    r"rechnungsdatum", r"belegdatum", r"ausstellungsdatum", r"creditnotadatum",
    r"datum creditnota", r"date de la note de credit", r"credit note date",
    r"gutschriftsdatum", r"ticketdatum", r"uitgiftedatum", r"fait le", r"le",
)
DUE_DATE = _words(
    r"vervaldatum", r"vervaldag", r"vervalt op", r"te betalen (?:voor|tegen|uiterlijk op)",
    r"uiterste betaal ?datum", r"betalen voor", r"echeance", r"date d'echeance",
    r"a payer (?:avant|pour) le", r"a payer avant", r"payable (?:avant|before|by)",
    r"due date", r"payment due", r"due", r"due by", r"fallig(?:keitsdatum)?(?: am)?",
    r"zahlbar bis", r"zahlungsziel",
)
TOTAL_EXCL = _words(
    r"(?:totaal |total |totale )?(?:excl\.?|exclusief|excluding|zonder|hors|ohne) ?" + _TAX,
    r"subtotaal", r"sub-?total", r"sous-?total", r"maatstaf(?: van heffing)?", r"netto(?:betrag)?",
    r"totaal netto", r"total ht(?:va)?", r"montant ht(?:va)?", r"ht(?:va)?", r"total net",
    r"net amount", r"zwischensumme", r"summe netto", r"nettosumme", r"base imposable",
    r"taxable amount", r"goederen(?:waarde)?",
)
TOTAL_INCL = _words(
    r"(?:totaal |total |totale )?(?:incl\.?|inclusief|including|inclus|inkl\.?) ?" + _TAX,
    r"totaal te betalen", r"te betalen(?: bedrag)?", r"totaalbedrag", r"totaal",
    r"total ttc", r"ttc", r"total a payer", r"montant total", r"net a payer", r"montant a payer",
    r"a payer", r"total", r"amount due", r"total due", r"balance due", r"grand total",
    r"amount payable", r"gesamtbetrag", r"rechnungsbetrag", r"endbetrag", r"zu zahlen",
    r"gesamtsumme", r"summe", r"gesamt", r"brutto(?:betrag)?", r"bedrag",
    r"zahlbetrag", r"te voldoen", r"montant",
)
TOTAL_VAT = _words(
    r"(?:totaal |total |totale |montant |bedrag )?(?:btw|tva|vat|mwst|ust)",
    r"mehrwertsteuer", r"umsatzsteuer", r"belasting", r"taxe sur la valeur ajoutee",
)

#: A party block's heading: who the document is addressed to, or who issued it.
CUSTOMER = _words(
    r"klant", r"client", r"cliente", r"customer", r"kunde", r"an", r"factuur aan",
    r"rechnung an", r"geadresseerd aan", r"factuuradres", r"facturatieadres",
    r"gefactureerd aan", r"facture a", r"factureer aan", r"bill(?:ed)? to", r"invoice to",
    r"sold to", r"aan", r"a l'attention de", r"destinataire", r"adresse de facturation",
    r"rechnungsempfanger", r"empfanger", r"rechnungsadresse", r"afnemer", r"koper",
    r"acheteur", r"buyer", r"debiteur", r"besteller", r"geleverd aan", r"livre a",
)
SUPPLIER = _words(
    r"leverancier", r"fournisseur", r"supplier", r"vendor", r"verkoper", r"vendeur",
    r"lieferant", r"seller", r"from", r"van", r"de la part de", r"emetteur",
    r"rechnungssteller", r"verkaufer", r"uitgever",
)
#: Words that say a label is about a customer number or reference, not the customer itself.
REFERENCE = _words(
    r"nummer", r"nr\.?", r"no\.?", r"n[°o]", r"numero", r"number", r"ref(?:erence)?",
    r"referentie", r"code", r"id",
)
#: Legal forms: a segment ending in one of these is very likely a company name.
LEGAL_FORM = re.compile(
    r"(?<![a-z])(?:bv|nv|bvba|vof|commv|cvba|cv|vzw|srl|sa|sprl|scrl|sc|sas|sarl|asbl|snc|"
    r"gmbh|ag|kg|ohg|ug|e\.k\.|ltd|llc|inc|plc|b\.v\.|n\.v\.|s\.a\.|s\.r\.l\.|gcv|comm\.v)\.?$"
)
