"""The SMTP intake's decisions, pure: which inbox a recipient names, whether a sender
may deliver to a client, and what the mail becomes (documents or quarantine), with the
SMTP replies that say so.

A client without allowed senders takes mail from anyone. A client with allowed senders
takes mail only from them, and only when SPF or DKIM authenticates the From domain;
anything else goes to the client's quarantine with the reason, never away.
"""

from __future__ import annotations

from dataclasses import dataclass

from lucy_events.intake.sender_auth import Authentication, describe, is_authenticated

SENDER_NOT_ALLOWED = "sender not allowed"

# Replies (RFC 5321 codes, RFC 3463 enhanced status codes), one place for their words.
UNKNOWN_RECIPIENT = "550 5.1.1 No such inbox here: check the client's inbox address"
BAD_RECIPIENT_DOMAIN = "550 5.1.2 This server only takes mail for its clients' inboxes"
NO_USABLE_ATTACHMENT = ("554 5.6.0 No usable attachment: send documents as PDF, PNG, "
                        "JPEG, TIFF or UBL XML files")
TRY_AGAIN = "451 4.3.0 The documents could not be stored just now; please try again later"
DNS_TRY_AGAIN = "451 4.4.3 The sender could not be checked just now (DNS); please try again later"


def malformed(reason: str) -> str:
    return f"554 5.6.0 The message cannot be read: {reason}"


def accepted(documents: int, quarantined: int) -> str:
    parts = []
    if documents:
        parts.append(f"{documents} document{'s' if documents != 1 else ''} received")
    if quarantined:
        parts.append("held for review by the firm")
    return "250 2.0.0 " + ("; ".join(parts) or "OK")


def inbox_local_part(address: str, domain: str) -> str | None:
    """The local part of ``address`` when it is an address of the inbox ``domain``
    (case-insensitive, without angle brackets or a +tag), else None."""
    local, at, address_domain = address.strip().strip("<>").rpartition("@")
    if not at or address_domain.lower().rstrip(".") != domain.lower():
        return None
    local = local.split("+", 1)[0].lower()
    return local or None


def sender_allowed(from_address: str, allowed: list[str] | tuple[str, ...]) -> bool:
    """``allowed`` holds full addresses and whole domains (a domain covers its
    subdomains)."""
    address = from_address.lower()
    domain = address.rpartition("@")[2]
    for entry in allowed:
        entry = entry.lower()
        if "@" in entry:
            if address == entry:
                return True
        elif domain == entry or domain.endswith("." + entry):
            return True
    return False


@dataclass(frozen=True)
class Verdict:
    """Accept into the inbox (reason None), quarantine with the reason, or ask the
    sender to try again later (``defer``: our DNS could not answer)."""

    reason: str | None = None
    defer: bool = False

    @property
    def accepted(self) -> bool:
        return self.reason is None


ACCEPT = Verdict()


def needs_authentication(allowed: list[str] | tuple[str, ...]) -> bool:
    return bool(allowed)


def verdict(from_address: str, allowed: list[str] | tuple[str, ...],
            auth: Authentication | None) -> Verdict:
    """What a mail from ``from_address`` becomes for a client with these allowed senders;
    ``auth`` must be given when ``needs_authentication(allowed)``."""
    if not needs_authentication(allowed):
        return ACCEPT
    if not sender_allowed(from_address, allowed):
        return Verdict(SENDER_NOT_ALLOWED)
    assert auth is not None, "an allowed-senders check needs the authentication results"
    from_domain = from_address.rpartition("@")[2]
    if is_authenticated(auth, from_domain):
        return ACCEPT
    if auth.spf == "temperror":  # a DNS outage, not the sender's fault: ask again later
        return Verdict(describe(auth, from_domain), defer=True)
    return Verdict(describe(auth, from_domain))
