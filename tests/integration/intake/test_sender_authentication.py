"""SPF (pyspf) and DKIM (dkimpy) against a real DNS server on a loopback port, through
the one resolver the intake is given."""

from __future__ import annotations

import pytest

from lucy_events.config import dns_resolver_address
from lucy_events.intake.dns_lookups import DnsLookups, resolver_at
from lucy_events.intake.sender_auth import Authenticator, describe, is_authenticated
from tests.integration.intake.local_dns import LocalDns
from tests.mails import DkimKey, mail


@pytest.fixture
def authenticator(local_dns: LocalDns, supplier_key: DkimKey) -> Authenticator:
    local_dns.txt("supplier.example", "v=spf1 ip4:127.0.0.1 -all")
    local_dns.txt(supplier_key.record_name, supplier_key.public_record)
    local_dns.txt("elsewhere.example", "v=spf1 ip4:192.0.2.10 -all")
    return Authenticator(DnsLookups(resolver_at(dns_resolver_address(local_dns.address))))


def test_a_mail_from_an_address_the_spf_policy_allows_passes_spf(authenticator):
    raw = mail(sender="ap@supplier.example").as_bytes()
    auth = authenticator.check(raw, client_ip="127.0.0.1", helo="mx.supplier.example",
                               mail_from="ap@supplier.example")
    assert (auth.spf, auth.spf_domain, auth.dkim) == ("pass", "supplier.example", "none")
    assert is_authenticated(auth, "supplier.example")


def test_a_mail_from_an_address_the_spf_policy_does_not_list_fails_spf(authenticator):
    raw = mail(sender="ap@elsewhere.example").as_bytes()
    auth = authenticator.check(raw, client_ip="127.0.0.1", helo="mx.elsewhere.example",
                               mail_from="ap@elsewhere.example")
    assert auth.spf == "fail"
    assert not is_authenticated(auth, "elsewhere.example")
    assert describe(auth, "elsewhere.example") == "SPF fail, DKIM none"


def test_a_dkim_signature_of_the_from_domain_authenticates_whatever_spf_says(
        authenticator, supplier_key):
    raw = supplier_key.sign(mail(sender="ap@supplier.example"))
    auth = authenticator.check(raw, client_ip="192.0.2.99", helo="relay.example",
                               mail_from="bounce@relay.example")
    assert auth.dkim == "pass" and auth.dkim_passed == ("supplier.example",)
    assert auth.spf in ("none", "neutral", "temperror", "permerror")
    assert is_authenticated(auth, "supplier.example")


def test_a_message_changed_after_signing_fails_dkim(authenticator, supplier_key):
    raw = supplier_key.sign(mail(sender="ap@supplier.example"))
    tampered = raw.replace(b"Invoice F-2026-001", b"Invoice F-2026-999")
    auth = authenticator.check(tampered, client_ip="192.0.2.99", helo="relay.example",
                               mail_from="bounce@relay.example")
    assert auth.dkim == "fail"
    assert not is_authenticated(auth, "supplier.example")


def test_spf_passing_for_another_domain_than_the_from_address_is_not_aligned(authenticator):
    raw = mail(sender="ceo@bank.example").as_bytes()
    auth = authenticator.check(raw, client_ip="127.0.0.1", helo="mx.supplier.example",
                               mail_from="ap@supplier.example")
    assert auth.spf == "pass"
    assert not is_authenticated(auth, "bank.example")
    assert describe(auth, "bank.example") == (
        "SPF pass for supplier.example, not bank.example, DKIM none")


def test_every_lookup_goes_to_the_configured_resolver(authenticator, local_dns):
    before = len(local_dns.records.queries)
    authenticator.check(mail().as_bytes(), client_ip="127.0.0.1", helo="x.example",
                        mail_from="ap@supplier.example")
    assert "TXT supplier.example" in local_dns.records.queries[before:]
