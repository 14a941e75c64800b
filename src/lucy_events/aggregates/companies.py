"""Company identity and contact details, validated once at the edge of the domain.

Belgian companies are identified by their enterprise number (KBO/BCE), whose VAT number
is the same ten digits behind ``BE``; Dutch companies by their 8-digit KvK number and a
separate VAT (btw) number. Events store the compact forms as plain strings and dicts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.be import vat as be_vat
from stdnum.nl import btw as nl_vat

from lucy_events.aggregates.errors import InvalidValue

COUNTRIES = ("BE", "NL")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KVK = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class CompanyNumbers:
    country: str
    enterprise_number: str | None
    vat_number: str | None

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        """(field, key) pairs that identify the company among a firm's clients: a Belgian
        company by its number (its VAT number is the same digits), a Dutch one by its KvK
        number and by its VAT number; the first is its main key."""
        found = []
        if self.enterprise_number:
            found.append(("enterprise_number", f"{self.country}:{self.enterprise_number}"))
        if self.vat_number and self.country != "BE":
            found.append(("vat_number", f"VAT:{self.vat_number}"))
        return tuple(found)

    @property
    def peppol_participant_ids(self) -> tuple[str, ...]:
        """The Peppol ids under which the company may be registered (SML/SMP): in
        Belgium 0208 (enterprise number) and 9925 (VAT); in the Netherlands 0106 (KvK)
        and 9944 (VAT)."""
        company, vat = {"BE": ("0208", "9925"), "NL": ("0106", "9944")}[self.country]
        ids = []
        if self.enterprise_number:
            ids.append(f"{company}:{self.enterprise_number}")
        if self.vat_number:
            ids.append(f"{vat}:{self.vat_number.lower()}")
        return tuple(ids)


def company_numbers(
    country: str, enterprise_number: str | None, vat_number: str | None
) -> CompanyNumbers:
    """Validate and normalise a company's numbers; errors name the offending field."""
    country = (country or "").strip().upper()
    if country not in COUNTRIES:
        raise InvalidValue("country", f"must be one of {', '.join(COUNTRIES)}")
    enterprise_number = (enterprise_number or "").strip() or None
    vat_number = (vat_number or "").strip() or None
    if not enterprise_number and not vat_number:
        raise InvalidValue("enterprise_number", "an enterprise number or a VAT number is required")
    if country == "BE":
        return _belgian(enterprise_number, vat_number)
    return _dutch(enterprise_number, vat_number)


def _belgian(enterprise_number: str | None, vat_number: str | None) -> CompanyNumbers:
    number = _valid_be(enterprise_number, "enterprise_number") if enterprise_number else None
    vat_digits = _valid_be(vat_number, "vat_number") if vat_number else None
    if number and vat_digits and number != vat_digits:
        raise InvalidValue("vat_number", "a Belgian VAT number is BE + the enterprise number")
    digits = number or vat_digits
    return CompanyNumbers("BE", digits, f"BE{digits}")


def _valid_be(value: str, field: str) -> str:
    try:
        return str(be_vat.validate(value))
    except stdnum_errors.ValidationError as error:
        raise InvalidValue(field, f"{value!r} is not a valid Belgian number ({error})") from None


def _dutch(kvk: str | None, vat_number: str | None) -> CompanyNumbers:
    if kvk is not None:
        kvk = re.sub(r"[\s.]", "", kvk)
        if not _KVK.match(kvk):
            raise InvalidValue("enterprise_number", f"{kvk!r} is not a KvK number (8 digits)")
    if vat_number is not None:
        try:
            vat_number = "NL" + str(nl_vat.validate(vat_number))
        except stdnum_errors.ValidationError as error:
            raise InvalidValue(
                "vat_number", f"{vat_number!r} is not a valid Dutch VAT number ({error})"
            ) from None
    return CompanyNumbers("NL", kvk, vat_number)


def valid_email(value: str, field: str) -> str:
    value = (value or "").strip()
    if not _EMAIL.match(value):
        raise InvalidValue(field, f"{value!r} is not an e-mail address")
    return value.lower()


def required_text(value: str | None, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidValue(field, "is required")
    if len(value) > max_length:
        raise InvalidValue(field, f"is longer than {max_length} characters")
    return value


CONTACT_LANGUAGES = ("nl", "fr", "en")


@dataclass(frozen=True)
class ContactPerson:
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    #: The language the client's e-mails are written in (nl, fr, en); empty: unknown.
    language: str = ""

    @classmethod
    def parse(cls, data: dict[str, str], field: str = "contact_person") -> ContactPerson:
        language = (data.get("language") or "").strip().lower()
        if language not in ("", *CONTACT_LANGUAGES):
            raise InvalidValue(f"{field}.language", "must be nl, fr or en")
        return cls(
            first_name=required_text(data.get("first_name"), f"{field}.first_name"),
            last_name=required_text(data.get("last_name"), f"{field}.last_name"),
            email=valid_email(data.get("email", ""), f"{field}.email"),
            phone=(data.get("phone") or "").strip(),
            language=language,
        )

    def as_dict(self) -> dict[str, str]:
        """Without an unknown language, so contacts recorded before languages existed
        and those without one look the same."""
        return {key: value for key, value in asdict(self).items()
                if key != "language" or value}


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str

    @classmethod
    def parse(cls, data: dict[str, str], field: str = "address") -> Address:
        country = (data.get("country") or "").strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise InvalidValue(f"{field}.country", "must be a two-letter country code")
        return cls(
            street=required_text(data.get("street"), f"{field}.street"),
            postal_code=required_text(data.get("postal_code"), f"{field}.postal_code", 12),
            city=required_text(data.get("city"), f"{field}.city"),
            country=country,
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
