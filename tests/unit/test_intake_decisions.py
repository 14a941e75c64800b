"""The SMTP intake's decisions, pure: the inbox a recipient names, who may send, and
whether a mail is accepted or quarantined with its reason."""

from __future__ import annotations

from uuid import UUID

import pytest

from lucy_events.aggregates.inbox import inbox_local_part
from lucy_events.intake import decisions
from lucy_events.intake.sender_auth import Authentication, aligned, describe

CLIENT = UUID("3f2a1c9d-0000-4000-8000-000000000001")
SPF_PASS = Authentication("pass", "supplier.example")
NOTHING = Authentication("fail", "supplier.example")
DKIM_ONLY = Authentication("none", "relay.example", ("supplier.example",), 1)


def test_an_inbox_address_is_the_name_made_plain_and_the_start_of_the_client_id():
    assert inbox_local_part("Brasserie Élan & Zoon BV", CLIENT) == "brasserie-elan-zoon-bv-3f2a1c"
    assert inbox_local_part("ÅÄÖ", CLIENT) == "aao-3f2a1c"
    assert inbox_local_part("???", CLIENT) == "client-3f2a1c"
    assert len(inbox_local_part("x" * 200, CLIENT)) <= 64


@pytest.mark.parametrize(("address", "local"), [
    ("bakkerij-3f2a1c@inbox.test", "bakkerij-3f2a1c"),
    ("<Bakkerij-3F2A1C@INBOX.test>", "bakkerij-3f2a1c"),
    ("bakkerij-3f2a1c+march@inbox.test", "bakkerij-3f2a1c"),
    ("bakkerij-3f2a1c@other.test", None),
    ("no-at-sign", None),
])
def test_a_recipient_names_an_inbox_only_on_the_inbox_domain(address, local):
    assert decisions.inbox_local_part(address, "inbox.test") == local


def test_a_client_without_allowed_senders_takes_mail_from_anyone_unauthenticated():
    assert decisions.verdict("anyone@anywhere.example", [], None).accepted


def test_a_sender_not_on_the_list_is_quarantined_as_not_allowed():
    verdict = decisions.verdict("ceo@bank.example", ["supplier.example"], SPF_PASS)
    assert verdict.reason == "sender not allowed"


def test_an_allowed_domain_covers_its_addresses_and_subdomains_and_an_address_only_itself():
    allowed = ["supplier.example", "boss@client.example"]
    assert decisions.sender_allowed("ap@supplier.example", allowed)
    assert decisions.sender_allowed("ap@eu.supplier.example", allowed)
    assert decisions.sender_allowed("Boss@Client.example", allowed)
    assert not decisions.sender_allowed("intern@client.example", allowed)
    assert not decisions.sender_allowed("ap@notsupplier.example", allowed)


def test_an_allowed_sender_that_spf_and_dkim_do_not_confirm_is_quarantined_with_both_results():
    verdict = decisions.verdict("ap@supplier.example", ["supplier.example"], NOTHING)
    assert verdict.reason == "SPF fail, DKIM none"


def test_an_allowed_sender_confirmed_by_spf_or_by_dkim_alone_is_accepted():
    assert decisions.verdict("ap@supplier.example", ["supplier.example"], SPF_PASS).accepted
    assert decisions.verdict("ap@supplier.example", ["supplier.example"], DKIM_ONLY).accepted


def test_an_allowed_sender_whose_spf_check_met_a_dns_outage_is_deferred_not_quarantined():
    verdict = decisions.verdict("ap@supplier.example", ["supplier.example"],
                                Authentication("temperror", "supplier.example"))
    assert verdict.defer and not verdict.accepted
    assert decisions.DNS_TRY_AGAIN.startswith("451 ")


def test_alignment_is_relaxed_to_parent_and_subdomains_but_not_to_lookalikes():
    assert aligned("supplier.example", "mail.supplier.example")
    assert aligned("eu.supplier.example", "supplier.example")
    assert not aligned("supplier.example", "evilsupplier.example")
    assert not aligned("supplier.example", "")


def test_a_failed_dkim_signature_is_named_as_such():
    auth = Authentication("softfail", "x.example", (), 2)
    assert describe(auth, "supplier.example") == "SPF softfail, DKIM fail"


def test_the_replies_say_how_many_documents_and_whether_some_mail_was_held():
    assert decisions.accepted(2, 0) == "250 2.0.0 2 documents received"
    assert decisions.accepted(0, 1) == "250 2.0.0 held for review by the firm"
    assert decisions.TRY_AGAIN.startswith("451 ")
    assert decisions.UNKNOWN_RECIPIENT.startswith("550 ")
    assert decisions.NO_USABLE_ATTACHMENT.startswith("554 ")
