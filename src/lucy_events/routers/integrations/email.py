"""Delivery by e-mail to the package's mail-in address for the client.

E-mail packages have no firm-level configuration: every message leaves through the
service's one outgoing-mail backend (``notifications``): the SMTP relay of
``LUCY_SMTP_RELAY`` (STARTTLS before any password is sent), or the local outbox.
"""

from __future__ import annotations

import structlog

from lucy_events.notifications.mailer import Mailer, MailError, TransientMailError
from lucy_events.notifications.outbox import FIRM_HEADER
from lucy_events.notifications.rendered import Attachment, RenderedMail, render_mail
from lucy_events.notifications.smtp import SmtpMailer, SmtpRelay
from lucy_events.routers.integrations.base import (
    Delivered,
    DeliveryError,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    Target,
    TransientDeliveryError,
    setting,
)
from lucy_events.routers.integrations.payload import is_sales, payload_of

log = structlog.get_logger()

__all__ = ["EmailIntegration", "SmtpRelay", "recipient", "render"]


class EmailIntegration(Integration):
    """Mails the document through the service's one outgoing-mail backend (an SMTP
    relay, or the local outbox of the embedded default)."""

    def __init__(self, mailer: Mailer | SmtpRelay) -> None:
        self.mailer = SmtpMailer(mailer) if isinstance(mailer, SmtpRelay) else mailer

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        mail = render(outgoing, target, self.mailer.from_address)
        try:
            self.mailer.send_rendered(mail)
        except MailError as error:
            raise _delivery_error(error) from error
        log.info("document mailed", package=target.package, backend=self.mailer.kind,
                 document_id=str(outgoing.document_id), message_id=mail.message_id)
        return Delivered(mail.message_id)

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        """Always None: nobody can ask a mailbox what it received. The Message-ID is
        derived from the delivery key, so a package that de-duplicates on Message-ID
        files a document mailed twice only once (and the outbox keeps one file)."""
        return None


def recipient(outgoing: Outgoing, target: Target) -> str:
    """Sales documents go to the client's sales address at the package if it has one;
    everything else (and sales documents without one) to its purchase address."""
    settings = target.client_settings
    if is_sales(outgoing.document_type) and settings.get("sales_address"):
        return settings["sales_address"]
    return setting(settings, "purchase_address", f"{target.package} client")


def render(outgoing: Outgoing, target: Target, from_address: str) -> RenderedMail:
    """The document's e-mail: the file attached, a line saying what it is and for whom."""
    payload = payload_of(outgoing)
    return render_mail(
        sender=from_address, recipient=recipient(outgoing, target),
        message_id=f"<{outgoing.delivery_key}@lucy-events>",
        subject=f"{outgoing.client_name}: {payload.file_name}",
        text=(f"{outgoing.document_type} for {outgoing.client_name}"
              f"{f' ({outgoing.client_vat})' if outgoing.client_vat else ''}, "
              f"received {outgoing.received_at:%Y-%m-%d}.\n"),
        attachment=Attachment(payload.file_name, payload.media_type, payload.content),
        extra_headers={"X-Lucy-Document-Type": outgoing.document_type,
                       FIRM_HEADER: str(outgoing.firm_id)},
    )


def _delivery_error(error: MailError) -> DeliveryError:
    if isinstance(error, TransientMailError):
        return TransientDeliveryError(error.reason)
    return PermanentDeliveryError(error.reason)
