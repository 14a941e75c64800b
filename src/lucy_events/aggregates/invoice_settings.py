"""A client's invoice settings: who the seller is on its invoices (prefilled from the
client), where customers pay (IBAN and BIC, checked), payment terms, the default VAT
rate, the invoice language, a logo, and the numbering prefix (numbers are prefix, year
and a gapless sequence: ``INV-2026-00001``).

One per client, its id derived from the client's (``InvoiceSettings.id_for``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.event_time import event_time
from lucy_events.aggregates.invoice_rules import decimal, is_country, plain_text

_NAMESPACE = uuid5(NAMESPACE_URL, "https://lucy-events/invoice-settings")
LANGUAGES = ("nl", "fr", "en")
SELLER_FIELDS = ("name", "enterprise_number", "vat", "street", "postal_code", "city",
                 "country", "email")
_PREFIX_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class SettingsValues:
    """The settings as one checked value (what ``InvoiceSettingsChanged`` carries)."""

    seller: dict[str, str]
    iban: str
    bic: str | None
    payment_terms_days: int
    default_vat_rate: str
    language: str
    number_prefix: str
    logo_ref: str | None = None
    logo_media_type: str | None = None

    def number(self, year: int, sequence: int) -> str:
        return f"{self.number_prefix}{year}-{sequence:05d}"


def checked_settings(values: Mapping[str, object], logo_ref: str | None,
                     logo_media_type: str | None) -> SettingsValues:
    seller = {name: plain_text(values.get(f"seller_{name}"), f"seller_{name}")
              for name in SELLER_FIELDS}
    for name in ("name", "street", "postal_code", "city", "country"):
        if not seller[name]:
            raise InvalidValue(f"seller_{name}", "is required")
    seller["country"] = seller["country"].upper()
    if not is_country(seller["country"]):
        raise InvalidValue("seller_country", "must be an ISO 3166 code such as BE")
    try:
        iban = stdnum_iban.validate(str(values.get("iban") or ""))
    except ValidationError:
        raise InvalidValue("iban", "is not a valid IBAN (check the digits)") from None
    bic_text = str(values.get("bic") or "").strip()
    try:
        bic = stdnum_bic.validate(bic_text) if bic_text else None
    except ValidationError:
        raise InvalidValue("bic", "is not a valid BIC (8 or 11 characters)") from None
    try:
        days = int(str(values.get("payment_terms_days", 30)))
    except ValueError:
        raise InvalidValue("payment_terms_days", "must be a whole number of days") from None
    if not 0 <= days <= 365:
        raise InvalidValue("payment_terms_days", "must be between 0 and 365 days")
    rate = decimal(values.get("default_vat_rate", "21"), "default_vat_rate")
    if rate > 100:
        raise InvalidValue("default_vat_rate", "must be a percentage up to 100")
    language = str(values.get("language") or "nl").lower()
    if language not in LANGUAGES:
        raise InvalidValue("language", f"must be one of {', '.join(LANGUAGES)}")
    prefix = plain_text(values.get("number_prefix"), "number_prefix")
    if len(prefix) > 20 or not set(prefix) <= _PREFIX_CHARACTERS:
        raise InvalidValue("number_prefix",
                           "up to 20 letters, digits, - or _ (numbers name files)")
    return SettingsValues(seller, iban, bic, days, f"{rate.normalize():f}", language,
                          prefix, logo_ref, logo_media_type)


class InvoiceSettings(Aggregate):
    class Event(Aggregate.Event):
        create_timestamp = staticmethod(event_time)
        actor: str
        firm_id: UUID
        client_id: UUID

    class InvoiceSettingsOpened(Event, Aggregate.Created):
        pass

    class InvoiceSettingsChanged(Event):
        seller: dict[str, str]
        iban: str
        bic: str | None
        payment_terms_days: int
        default_vat_rate: str
        language: str
        number_prefix: str
        logo_ref: str | None
        logo_media_type: str | None

        def apply(self, settings: InvoiceSettings) -> None:
            settings.values = SettingsValues(
                dict(self.seller), self.iban, self.bic, self.payment_terms_days,
                self.default_vat_rate, self.language, self.number_prefix, self.logo_ref,
                self.logo_media_type)

    @staticmethod
    def id_for(client_id: UUID) -> UUID:
        return uuid5(_NAMESPACE, str(client_id))

    @event(InvoiceSettingsOpened)
    def __init__(self, *, actor: str, firm_id: UUID, client_id: UUID) -> None:
        self.firm_id = firm_id
        self.client_id = client_id
        self.values: SettingsValues | None = None

    @classmethod
    def open(cls, *, firm_id: UUID, client_id: UUID, by: Actor) -> InvoiceSettings:
        return cls._create(cls.InvoiceSettingsOpened, id=cls.id_for(client_id),
                           actor=str(by), firm_id=firm_id, client_id=client_id)

    def change(self, values: SettingsValues, by: Actor) -> None:
        if values == self.values:
            return
        self.trigger_event(
            self.InvoiceSettingsChanged, actor=str(by), firm_id=self.firm_id,
            client_id=self.client_id, seller=values.seller, iban=values.iban, bic=values.bic,
            payment_terms_days=values.payment_terms_days,
            default_vat_rate=values.default_vat_rate, language=values.language,
            number_prefix=values.number_prefix, logo_ref=values.logo_ref,
            logo_media_type=values.logo_media_type)
