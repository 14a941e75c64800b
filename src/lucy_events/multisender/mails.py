"""The multisender's two e-mails: the confirmation link mailed to a new destination, and
a document mailed to a confirmed one (its Message-ID derived from the sending, so every
attempt is recognisably the same message)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate

from lucy_events.aggregates.client import Client
from lucy_events.aggregates.document import Document
from lucy_events.aggregates.multisender_rules import Destination, Sending
from lucy_events.notifications.messages import build_mail
from lucy_events.notifications.outbox import FIRM_HEADER
from lucy_events.notifications.wording import language_of


def client_language(client: Client) -> str:
    return language_of(client.contact_person, client.country,
                       client.address.get("postal_code", ""))


def confirmation_mail(client: Client, destination: Destination, key: str, link: str,
                      from_address: str) -> EmailMessage:
    expires = destination.expires_at
    return build_mail(
        "destination", language=client_language(client), to=destination.address,
        to_name=destination.label if destination.label != destination.address else "",
        from_address=from_address, from_name=client.name,
        message_key=key.replace(":", "-"), firm_id=str(client.firm_id),
        values={"client": client.name, "firm": client.name, "address": destination.address,
                "label": destination.label,
                "expires": f"{expires:%Y-%m-%d}" if expires else ""},
        link=link)


def document_mail(client: Client, document: Document, sending: Sending, content: bytes,
                  from_address: str) -> EmailMessage:
    """The document as the client received it, attached, to the destination."""
    message = EmailMessage()
    message["From"] = formataddr((client.name, from_address))
    message["To"] = formataddr(
        (sending.label if sending.label != sending.address else "", sending.address))
    message["Subject"] = f"{client.name}: {document.file_name}"
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = sending.message_id_header
    message["X-Lucy-Document-Type"] = document.document_type or "other"
    message[FIRM_HEADER] = str(client.firm_id)
    received = document.created_on
    message.set_content(
        f"{document.file_name}, sent by {client.name}"
        f"{f' ({client.vat_number})' if client.vat_number else ''}"
        f"{f', received {received:%Y-%m-%d}' if received else ''}.\n")
    maintype, _, subtype = document.media_type.partition("/")
    message.add_attachment(content, maintype=maintype or "application",
                           subtype=subtype or "octet-stream", filename=document.file_name)
    return message
