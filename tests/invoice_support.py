"""Invoice values the invoicing tests share: settings of a Belgian seller and a draft
for a Belgian customer."""

from __future__ import annotations

from typing import Any

SETTINGS: dict[str, str] = {
    "seller_name": "Bakkerij Claes", "seller_enterprise_number": "0403170701",
    "seller_vat": "BE0403170701", "seller_street": "Veldstraat 1", "seller_postal_code": "9000",
    "seller_city": "Gent", "seller_country": "BE", "seller_email": "anna@bakkerij.example",
    "iban": "BE71 0961 2345 6769", "bic": "GKCCBEBB", "payment_terms_days": "30",
    "default_vat_rate": "21", "language": "nl", "number_prefix": "INV-",
}
CUSTOMER: dict[str, str] = {
    "name": "Brouwerij De Koninck NV", "enterprise_number": "0202239951",
    "vat": "BE0202239951", "street": "Mechelsesteenweg 291", "postal_code": "2018",
    "city": "Antwerpen", "country": "BE", "email": "ap@dekoninck.example",
}


def draft_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "customer": CUSTOMER,
        "lines": [
            {"description": "Pistolets", "quantity": "120", "unit": "C62",
             "unit_price": "0.45", "vat_category": "S", "vat_rate": "6"},
            {"description": "Catering advies", "quantity": "2.5", "unit": "HUR",
             "unit_price": "85", "vat_category": "S", "vat_rate": "21"},
        ],
        "adjustments": [{"charge": "true", "reason": "Levering", "amount": "12.50",
                         "vat_category": "S", "vat_rate": "21"}],
    }
    values.update(overrides)
    return values
