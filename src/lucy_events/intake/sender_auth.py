"""Is the mail really from whom its From header says? SPF or DKIM, aligned with the
From domain as DMARC aligns them.

The checks are I/O (DNS, through ``DnsLookups``); what they mean is pure:
``is_authenticated`` and ``describe`` take their results and nothing else.

Alignment is DMARC's relaxed mode, approximated without the public-suffix list: the
authenticated domain equals the From domain, or one is a subdomain of the other. Two
sibling subdomains (a.example.com, b.example.com), which DMARC would align, do not
here; a mail refused by that goes to the quarantine, not away.
"""

from __future__ import annotations

from dataclasses import dataclass

import dkim
import structlog

from lucy_events.intake.dns_lookups import DnsLookups

log = structlog.get_logger()


@dataclass(frozen=True)
class Authentication:
    """SPF's result for the envelope sender (or HELO) domain, DKIM's for each signature."""

    spf: str
    spf_domain: str
    #: The d= domain of every DKIM signature that verified.
    dkim_passed: tuple[str, ...] = ()
    #: How many DKIM signatures the mail carries (0: "DKIM none").
    dkim_signatures: int = 0

    @property
    def dkim(self) -> str:
        if self.dkim_passed:
            return "pass"
        return "fail" if self.dkim_signatures else "none"


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(".").lower()


def aligned(from_domain: str, authenticated_domain: str) -> bool:
    a, b = from_domain.lower().strip("."), authenticated_domain.lower().strip(".")
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def is_authenticated(auth: Authentication, from_domain: str) -> bool:
    """SPF pass for an aligned domain, or a valid DKIM signature of an aligned domain."""
    if auth.spf == "pass" and aligned(from_domain, auth.spf_domain):
        return True
    return any(aligned(from_domain, d) for d in auth.dkim_passed)


def describe(auth: Authentication, from_domain: str) -> str:
    """``SPF fail, DKIM none``; a pass for another domain says so."""
    spf = f"SPF {auth.spf}"
    if auth.spf == "pass" and not aligned(from_domain, auth.spf_domain):
        spf += f" for {auth.spf_domain}, not {from_domain}"
    dkim_part = f"DKIM {auth.dkim}"
    if auth.dkim_passed and not any(aligned(from_domain, d) for d in auth.dkim_passed):
        dkim_part += f" for {', '.join(auth.dkim_passed)}, not {from_domain}"
    return f"{spf}, {dkim_part}"


class Authenticator:
    """Runs SPF (pyspf) and DKIM (dkimpy) through one resolver."""

    def __init__(self, lookups: DnsLookups) -> None:
        self.lookups = lookups

    def check(self, raw: bytes, *, client_ip: str, helo: str, mail_from: str
              ) -> Authentication:
        spf_domain = domain_of(mail_from) if mail_from else helo.lower()
        try:
            spf_result = self.lookups.spf_check(client_ip, mail_from or f"postmaster@{helo}",
                                                helo)
        except Exception as error:  # pyspf raises on odd input; that is no pass
            log.warning("spf check failed", error=type(error).__name__)
            spf_result = "temperror"
        passed, signatures = self._dkim(raw)
        return Authentication(spf_result, spf_domain, passed, signatures)

    def _dkim(self, raw: bytes) -> tuple[tuple[str, ...], int]:
        try:
            verifier = dkim.DKIM(raw)
        except Exception:  # a message dkimpy cannot even parse has no valid signature
            return (), 0
        signatures = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
        passed = []
        for index in range(signatures):
            try:
                if verifier.verify(idx=index, dnsfunc=self.lookups.dkim_txt):
                    passed.append(verifier.domain.decode().lower())
            except Exception as error:  # dkim.DKIMException and malformed tags
                log.info("dkim signature did not verify", index=index,
                         error=type(error).__name__)
        return tuple(passed), signatures
