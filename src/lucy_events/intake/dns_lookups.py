"""DNS for sender authentication: one resolver (``LUCY_DNS_RESOLVER``, built in
bootstrap) behind both libraries, each in the shape it asks for.

dkimpy takes a ``dnsfunc(name, timeout)`` per call. pyspf has no such argument: it
calls its module-level ``spf.DNSLookup``. That hook is replaced once, by a dispatcher
that uses the resolver of the check running in this context (a ContextVar), so two
intakes with different resolvers in one process (tests) do not see each other's DNS.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import Any

import dns.exception
import dns.resolver
import spf

_CURRENT: ContextVar[DnsLookups | None] = ContextVar("lucy_spf_dns", default=None)
_INSTALL = threading.Lock()
_ORIGINAL = spf.DNSLookup


class DnsLookups:
    """The TXT (and, for SPF's mechanisms, A/AAAA/MX/PTR) lookups of one resolver."""

    def __init__(self, resolver: dns.resolver.Resolver) -> None:
        self.resolver = resolver

    def dkim_txt(self, name: bytes | str, timeout: float = 5) -> bytes | None:
        """dkimpy's ``dnsfunc``: the first TXT record, its strings joined; None if none."""
        text = name.decode() if isinstance(name, bytes) else name
        try:
            answer = self.resolver.resolve(text, "TXT",
                                           lifetime=min(timeout, self.resolver.lifetime))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException:
            return None  # dkimpy reads "no key": DKIM does not pass, SPF may still
        for rdata in answer:
            return b"".join(rdata.strings)
        return None

    def spf_lookup(self, name: str, qtype: str, strict: Any = True,
                   timeout: float = 20) -> list[tuple[tuple[str, str], Any]]:
        """``spf.DNSLookup``'s contract, as pyspf's own dnspython driver answers it."""
        try:  # pyspf asks for 20 s a lookup; the resolver's own limit is the setting
            answer = self.resolver.resolve(name, qtype,
                                           lifetime=min(timeout, self.resolver.lifetime))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.DNSException as error:
            raise spf.TempError(f"DNS {error}") from None
        found: list[tuple[tuple[str, str], Any]] = []
        for rdata in answer:
            if qtype in ("A", "AAAA"):
                found.append(((name, qtype), rdata.address))
            elif qtype == "MX":
                found.append(((name, qtype), (rdata.preference, rdata.exchange)))
            elif qtype == "PTR":
                found.append(((name, qtype), rdata.target.to_text(True)))
            elif qtype in ("TXT", "SPF"):
                found.append(((name, qtype), rdata.strings))
        return found

    def spf_check(self, ip: str, mail_from: str, helo: str) -> str:
        """pyspf's result (pass, fail, softfail, neutral, none, temperror, permerror)."""
        _install_dispatcher()
        token = _CURRENT.set(self)
        try:
            result, _code, _explanation = spf.query(i=ip, s=mail_from, h=helo).check()
        finally:
            _CURRENT.reset(token)
        return str(result)


def _dispatch(name: str, qtype: str, strict: Any = True, timeout: float = 20) -> Any:
    lookups = _CURRENT.get()
    if lookups is None:
        return _ORIGINAL(name, qtype, strict, timeout)
    return lookups.spf_lookup(name, qtype, strict, timeout)


def _install_dispatcher() -> None:
    with _INSTALL:
        if spf.DNSLookup is not _dispatch:
            spf.DNSLookup = _dispatch


def resolver_at(address: tuple[str, int] | None, timeout: float = 5) -> dns.resolver.Resolver:
    """The system's resolver, or one that asks only ``address`` (host, port)."""
    if address is None:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [address[0]]
        resolver.port = address[1]
    resolver.lifetime = timeout
    return resolver
