"""E-mail delivery through a real SMTP server that requires STARTTLS and AUTH."""

from __future__ import annotations

import ssl

import pytest

from lucy_events.routers.integrations import (
    EmailIntegration,
    PermanentDeliveryError,
    SmtpRelay,
    Target,
    TransientDeliveryError,
)
from tests.integration.delivery.conftest import PDF, unused_port
from tests.integration.delivery.smtp_server import PASSWORD, USERNAME

PURCHASES = "inkoop.janssens@mail.clearfacts.test"
SALES = "verkoop.janssens@mail.clearfacts.test"


def relay(server, context: ssl.SSLContext | None, **overrides) -> SmtpRelay:
    settings = dict(host=server.host, port=server.port, from_address="documents@lucy.test",
                    username=USERNAME, password=PASSWORD, ssl_context=context, timeout=5.0)
    settings.update(overrides)
    return SmtpRelay(**settings)


def target(**client_settings: str) -> Target:
    return Target("clearfacts", "email", client_settings or {"purchase_address": PURCHASES})


def test_a_purchase_invoice_is_mailed_to_the_packages_purchase_address_over_starttls(
        mail_server, certificate, outgoing):
    document = outgoing()
    delivered = EmailIntegration(relay(mail_server, certificate.client_context())).deliver(
        document, target(purchase_address=PURCHASES, sales_address=SALES))

    [mail] = mail_server.received
    assert mail.over_tls and mail.login == USERNAME.encode()
    assert mail.mail_from == "documents@lucy.test" and mail.rcpt_tos == [PURCHASES]
    message = mail.message
    assert message["Message-ID"] == f"<lucy-{document.document_id.hex}@lucy-events>"
    assert delivered.remote_reference == message["Message-ID"]
    assert message["Subject"] == "Bakkerij Janssens BV: invoice-2026-117.pdf"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice-2026-117.pdf"
    assert attachment.get_content() == PDF


def test_a_sales_invoice_goes_to_the_sales_address_and_falls_back_to_the_purchase_address(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))
    adapter.deliver(outgoing(document_type="sales-invoice"),
                    target(purchase_address=PURCHASES, sales_address=SALES))
    adapter.deliver(outgoing(document_type="sales-credit-note"),
                    target(purchase_address=PURCHASES))
    adapter.deliver(outgoing(document_type="bank-statement"),
                    target(purchase_address=PURCHASES, sales_address=SALES))

    assert [mail.rcpt_tos for mail in mail_server.received] == [[SALES], [PURCHASES],
                                                                [PURCHASES]]


def test_a_ubl_document_is_attached_as_xml_instead_of_the_pdf(
        mail_server, certificate, outgoing):
    ubl = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl"/>'
    EmailIntegration(relay(mail_server, certificate.client_context())).deliver(
        outgoing(ubl=ubl), target())

    [attachment] = list(mail_server.received[0].message.iter_attachments())
    assert attachment.get_content_type() == "application/xml"
    assert attachment.get_filename() == "invoice-2026-117.xml"
    assert attachment.get_content() == ubl


def test_an_smtp_mailbox_unavailable_is_permanent(mail_server, certificate, outgoing):
    mail_server.refuse[PURCHASES] = "550 5.1.1 Mailbox unavailable"
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))

    with pytest.raises(PermanentDeliveryError, match="550"):
        adapter.deliver(outgoing(), target())
    assert mail_server.received == []


def test_a_greylisting_smtp_server_is_a_transient_failure(mail_server, certificate, outgoing):
    mail_server.refuse[PURCHASES] = "451 4.7.1 Greylisted, please try again later"
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))

    with pytest.raises(TransientDeliveryError, match="451"):
        adapter.deliver(outgoing(), target())
    assert mail_server.received == []


def test_smtp_credentials_the_relay_refuses_are_a_permanent_failure(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context(),
                                     password="wrong"))

    with pytest.raises(PermanentDeliveryError, match="535"):
        adapter.deliver(outgoing(), target())
    assert mail_server.received == []


def test_a_relay_whose_certificate_does_not_verify_is_a_permanent_failure(
        mail_server, outgoing):
    adapter = EmailIntegration(relay(mail_server, ssl.create_default_context()))

    with pytest.raises(PermanentDeliveryError, match="certificate"):
        adapter.deliver(outgoing(), target())
    assert mail_server.received == []


def test_an_unreachable_smtp_relay_is_a_transient_failure(mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context(),
                                     port=unused_port()))

    with pytest.raises(TransientDeliveryError, match="unreachable"):
        adapter.deliver(outgoing(), target())


def test_a_client_without_a_purchase_address_is_a_permanent_failure(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))

    with pytest.raises(PermanentDeliveryError, match="purchase_address"):
        adapter.deliver(outgoing(), target(sales_address=SALES))
    assert mail_server.received == []


def test_a_mailed_document_cannot_be_looked_up_but_keeps_its_message_id_when_mailed_again(
        mail_server, certificate, outgoing):
    adapter = EmailIntegration(relay(mail_server, certificate.client_context()))
    document = outgoing()

    assert adapter.find_delivered(document, target()) is None
    adapter.deliver(document, target())
    adapter.deliver(document, target())
    ids = {mail.message["Message-ID"] for mail in mail_server.received}
    assert ids == {f"<lucy-{document.document_id.hex}@lucy-events>"}


def test_a_relay_never_gets_a_password_without_starttls():
    with pytest.raises(ValueError, match="STARTTLS"):
        SmtpRelay(host="127.0.0.1", port=25, from_address="documents@lucy.test",
                  starttls=False, username=USERNAME, password=PASSWORD)
