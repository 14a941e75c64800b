"""Finding the customer of a new invoice: among the client's earlier customers (their
details as last invoiced) and in the company register (KBO/BCE, when loaded), one list,
earlier customers first, each ready to be a draft's ``customer``."""

from __future__ import annotations

import re
from uuid import UUID

from lucy_events.projections.invoice_queries import earlier_customers
from lucy_events.register import RegisterSearch
from lucy_events.register.entries import RegisterEntry
from lucy_events.sqldb import Database


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def matches(customer: dict[str, str], text: str) -> bool:
    """The name contains the text, or the numbers hold its digits (4 or more)."""
    wanted = text.strip().lower()
    if wanted and wanted in customer.get("name", "").lower():
        return True
    digits = _digits(text)
    return len(digits) >= 4 and any(
        digits in _digits(customer.get(key, "")) for key in ("enterprise_number", "vat"))


def register_customer(entry: RegisterEntry) -> dict[str, str]:
    address = entry.address
    return {"name": entry.name, "enterprise_number": entry.enterprise_number,
            "vat": entry.vat_number, "street": address.get("street", ""),
            "postal_code": address.get("postal_code", ""), "city": address.get("city", ""),
            "country": address.get("country") or "BE", "email": "", "reference": ""}


def find_customers(db: Database, register: RegisterSearch, *, firm_id: UUID,
                   client_id: UUID, text: str, language: str = "NL", limit: int = 10
                   ) -> list[dict[str, object]]:
    """``{"source": "earlier" | "register", "customer": {...}}``, at most ``limit``."""
    earlier = [c for c in earlier_customers(db, firm_id=firm_id, client_id=client_id)
               if matches(c, text)][:limit]
    found: list[dict[str, object]] = [{"source": "earlier", "customer": c} for c in earlier]
    known = {c.get("enterprise_number") for c in earlier} - {"", None}
    if len(found) < limit and text.strip():
        for entry in register.search(text, language=language, limit=limit):
            if entry.enterprise_number not in known:
                found.append({"source": "register", "customer": register_customer(entry)})
    return found[:limit]
