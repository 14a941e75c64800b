"""Invoice-settings commands: a client's settings read (prefilled from the client until
saved) and saved, with the logo stored as a blob."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.client import Client
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.invoice_settings import (
    InvoiceSettings,
    SettingsValues,
    checked_settings,
)
from lucy_events.application.base import CommandsBase

#: Media types a logo may have (told from its bytes, never from its name).
LOGO_TYPES = ("image/png", "image/jpeg")


def prefilled(client: Client) -> dict[str, str]:
    """Form values for a client without settings yet: the seller is the client."""
    address = client.address
    return {"seller_name": client.name, "seller_enterprise_number":
            client.enterprise_number or "", "seller_vat": client.vat_number or "",
            "seller_street": address.get("street", ""),
            "seller_postal_code": address.get("postal_code", ""),
            "seller_city": address.get("city", ""),
            "seller_country": address.get("country", client.country or "BE"),
            "seller_email": client.contact_person.get("email", ""), "iban": "", "bic": "",
            "payment_terms_days": "30", "default_vat_rate": "21", "language": "nl",
            "number_prefix": "INV-"}


def form_values(values: SettingsValues) -> dict[str, str]:
    return {**{f"seller_{k}": v for k, v in values.seller.items()}, "iban": values.iban,
            "bic": values.bic or "", "payment_terms_days": str(values.payment_terms_days),
            "default_vat_rate": values.default_vat_rate, "language": values.language,
            "number_prefix": values.number_prefix}


class InvoiceSettingsCommands(CommandsBase):
    def _invoice_settings(self, firm_id: UUID, client_id: UUID, by: Actor
                          ) -> tuple[Client, InvoiceSettings | None]:
        client = self.client(firm_id, client_id, by)
        try:
            settings: object = self.repository.get(InvoiceSettings.id_for(client_id))
        except AggregateNotFoundError:
            return client, None
        assert isinstance(settings, InvoiceSettings) and settings.firm_id == firm_id
        return client, settings

    def invoice_settings(self, firm_id: UUID, client_id: UUID, by: Actor
                         ) -> tuple[dict[str, str], SettingsValues | None]:
        """(form values, saved values or None): prefilled from the client until saved."""
        client, settings = self._invoice_settings(firm_id, client_id, by)
        if settings is None or settings.values is None:
            return prefilled(client), None
        return form_values(settings.values), settings.values

    def invoice_logo(self, firm_id: UUID, client_id: UUID, by: Actor
                     ) -> tuple[bytes, str] | None:
        _, settings = self._invoice_settings(firm_id, client_id, by)
        values = settings.values if settings else None
        if values is None or values.logo_ref is None:
            return None
        return self.blobs.get(values.logo_ref), values.logo_media_type or "image/png"

    def save_invoice_settings(self, firm_id: UUID, client_id: UUID,
                              values: Mapping[str, object], by: Actor, *,
                              logo: tuple[bytes, str] | None = None,
                              remove_logo: bool = False) -> SettingsValues:
        if logo is not None and logo[1] not in LOGO_TYPES:
            raise InvalidValue("logo", "must be a PNG or JPEG image")
        self._invoice_settings(firm_id, client_id, by)  # refuse before storing the logo
        blob = self.blobs.put(logo[0]) if logo is not None else None

        def command() -> SettingsValues:
            _, settings = self._invoice_settings(firm_id, client_id, by)
            if settings is None:
                settings = InvoiceSettings.open(firm_id=firm_id, client_id=client_id, by=by)
            old = settings.values
            logo_ref = blob.ref if blob else None if remove_logo or not old else old.logo_ref
            media = (logo[1] if logo else None if remove_logo or not old
                     else old.logo_media_type)
            checked = checked_settings(values, logo_ref, media)
            settings.change(checked, by)
            self.save(settings)
            return checked

        return self._run(command)
