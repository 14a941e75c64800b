"""The Peppol registration check at the web edge (the API and the dashboard): the SML/SMP
lookup of the client's participant ids against the firm's own SMP, before receiving is
enabled and on the Overview. The lookup is I/O, so it happens here; the rule (a warning
needs a confirmation, kept in the event) is the Client's."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from lucy_events.aggregates.client import Client
from lucy_events.bootstrap import Services
from lucy_events.peppol.lookup import Registration, registration_warning


@dataclass(frozen=True)
class RegistrationCheck:
    registrations: list[Registration] = field(default_factory=list)
    own_smp_host: str | None = None
    warning: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"registrations": [r.as_dict() for r in self.registrations],
                "own_smp_host": self.own_smp_host, "warning": self.warning or None}


def check_registration(client: Client) -> RegistrationCheck:
    """Ask the SML and the SMP now (bounded by the lookup's timeout)."""
    services: Services = current_app.extensions["lucy"]
    own = services.peppol_provider().smp_host(client.firm_id)
    found = services.peppol_lookup().company(client.country, client.enterprise_number,
                                             client.vat_number)
    return RegistrationCheck(found, own, registration_warning(found, own))


def last_check(client: Client) -> RegistrationCheck | None:
    """The last answers, while fresh, without asking the network (for the Overview)."""
    services: Services = current_app.extensions["lucy"]
    found = services.peppol_lookup().remembered(client.country, client.enterprise_number,
                                                client.vat_number)
    if found is None:
        return None
    own = services.peppol_provider().smp_host(client.firm_id)
    return RegistrationCheck(found, own, registration_warning(found, own))
