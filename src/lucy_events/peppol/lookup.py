"""Is a company registered on Peppol, and with which provider? The SML/SMP lookup.

The Peppol SML publishes, for each participant, a DNS name under its zone whose NAPTR
record (service ``Meta:SMP``) points at the participant's SMP; the name is the SHA-256 of
the lower-cased participant id value (``0208:0123456789``), base32 without padding, in
lower case, then the identifier scheme and the zone:
``<hash>.iso6523-actorid-upis.<zone>`` (Peppol SML specification 2.0 / Policy for use of
identifiers 4.x; the worked example ``9915:test`` ->
``eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a``). The SMP's service group
(``GET <smp>/iso6523-actorid-upis::<id>``) then lists the document types it receives.

Belgian companies are looked up under both ids they may be registered with: ``0208``
(the enterprise number) and ``9925`` (the VAT number, ``be`` + the same ten digits).
Every network call has a timeout, so a lookup never hangs; what could not be asked is
said (``unreachable``), never taken as "not registered".
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

import dns.exception
import dns.resolver
from defusedxml import ElementTree

from lucy_events.aggregates.companies import CompanyNumbers

PRODUCTION_ZONE = "participant.sml.prod.tech.peppol.org"
SCHEME = "iso6523-actorid-upis"
SMP_SERVICE = "Meta:SMP"


def participant_hash(value: str) -> str:
    """base32(sha256(lower(value))) without padding, lower case."""
    digest = hashlib.sha256(value.strip().lower().encode()).digest()
    return base64.b32encode(digest).decode().rstrip("=").lower()


def sml_name(value: str, zone: str = PRODUCTION_ZONE) -> str:
    return f"{participant_hash(value)}.{SCHEME}.{zone.strip('.')}"


@dataclass(frozen=True)
class Registration:
    """One participant id: ``registered`` with the SMP at ``smp_url`` (its host is the
    provider), receiving ``document_types``; or ``unreachable`` with why."""

    participant: str
    registered: bool
    smp_url: str | None = None
    document_types: list[str] = field(default_factory=list)
    unreachable: str | None = None

    @property
    def smp_host(self) -> str | None:
        return urlsplit(self.smp_url).hostname if self.smp_url else None

    def as_dict(self) -> dict[str, object]:
        return {"participant": self.participant, "registered": self.registered,
                "smp_url": self.smp_url, "smp_host": self.smp_host,
                "document_types": self.document_types, "unreachable": self.unreachable}


class LookupUnavailable(Exception):
    """Raised when the SML (DNS) could not be asked: timeout, no answer from a server."""


class PeppolLookup:
    """One per process: it remembers each answer for ``keep`` seconds, so the Overview can
    show the last check without asking the network on every page."""

    def __init__(self, resolver: dns.resolver.Resolver, zone: str = PRODUCTION_ZONE,
                 timeout: float = 5.0, keep: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.resolver, self.zone, self.timeout = resolver, zone, timeout
        self.resolver.lifetime = timeout
        self.keep, self.clock = keep, clock
        self._answers: dict[str, tuple[float, Registration]] = {}
        self._lock = threading.Lock()

    def remembered(self, country: str, enterprise_number: str | None,
                   vat_number: str | None) -> list[Registration] | None:
        """The company's last answers while fresh, without asking; None if any is not."""
        ids = CompanyNumbers(country, enterprise_number, vat_number).peppol_participant_ids
        now, found = self.clock(), []
        with self._lock:
            for participant in ids:
                kept = self._answers.get(participant)
                if kept is None or now - kept[0] > self.keep:
                    return None
                found.append(kept[1])
        return found

    def smp_of(self, participant: str) -> str | None:
        """The SMP's base URL from the NAPTR ``Meta:SMP`` record, or None (not there)."""
        try:
            answer = self.resolver.resolve(sml_name(participant, self.zone), "NAPTR")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise LookupUnavailable(f"the Peppol SML did not answer ({error})") from error
        for record in sorted(answer, key=lambda r: (r.order, r.preference)):
            if record.service.decode() == SMP_SERVICE:
                return _naptr_target(record.regexp.decode())
        return None

    def service_group(self, smp_url: str, participant: str) -> list[str]:
        """The document type ids the SMP lists for the participant."""
        url = f"{smp_url.rstrip('/')}/{quote(f'{SCHEME}::{participant}', safe='')}"
        with urllib.request.urlopen(url, timeout=self.timeout) as reply:
            tree = ElementTree.fromstring(reply.read())
        types = []
        for element in tree.iter():
            href = element.get("href") if element.tag.endswith("ServiceMetadataReference") \
                else None
            if href and "/services/" in href:
                types.append(unquote(href.split("/services/", 1)[1]))
        return types

    def lookup(self, participant: str) -> Registration:
        found = self._ask(participant.strip().lower())
        with self._lock:
            self._answers[found.participant] = (self.clock(), found)
        return found

    def _ask(self, participant: str) -> Registration:
        try:
            smp_url = self.smp_of(participant)
        except LookupUnavailable as error:
            return Registration(participant, False, unreachable=str(error))
        if smp_url is None:
            return Registration(participant, False)
        try:
            types = self.service_group(smp_url, participant)
        except (urllib.error.URLError, OSError, ElementTree.ParseError) as error:
            reason = getattr(error, "reason", error)
            return Registration(participant, True, smp_url,
                                unreachable=f"the SMP {urlsplit(smp_url).hostname} did not "
                                            f"answer ({reason})")
        return Registration(participant, True, smp_url, types)

    def company(self, country: str, enterprise_number: str | None, vat_number: str | None
                ) -> list[Registration]:
        """Every participant id the company may be registered under (``CompanyNumbers``
        knows which)."""
        ids = CompanyNumbers(country, enterprise_number, vat_number).peppol_participant_ids
        if len(ids) < 2:
            return [self.lookup(p) for p in ids]
        with ThreadPoolExecutor(len(ids)) as pool:  # both ids at once: one timeout, not two
            return list(pool.map(self.lookup, ids))


def registration_warning(registrations: list[Registration], own_smp_host: str | None) -> str:
    """What must be confirmed before receiving over Peppol through the firm's provider:
    a registration with another SMP (named by its host), or a lookup that could not be
    made; empty when there is nothing to confirm."""
    for found in registrations:
        if found.registered and found.smp_host and found.smp_host != own_smp_host:
            return (f"{found.participant} is already registered on Peppol with another "
                    f"provider ({found.smp_host}); that provider must release it before "
                    "documents can arrive here")
    problems = [found.unreachable for found in registrations if found.unreachable]
    if problems and not any(found.registered for found in registrations):
        return f"the Peppol registration could not be checked: {problems[0]}"
    return ""


def _naptr_target(regexp: str) -> str | None:
    """``!^.*$!https://smp.example/!`` -> ``https://smp.example/``."""
    if len(regexp) < 3:
        return None
    delimiter = regexp[0]
    parts = regexp.split(delimiter)
    return parts[2] if len(parts) >= 3 and parts[2] else None
