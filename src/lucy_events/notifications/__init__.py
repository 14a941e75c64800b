"""Outgoing e-mail, the one backend shared by invitations, reminders, e-mail deliveries
and, later, digests, invoices and the client portal: an SMTP relay when
``LUCY_SMTP_RELAY`` is set, else a local outbox of .eml files under the data directory.
"""

from lucy_events.notifications.mailer import (
    Mailer,
    MailError,
    PermanentMailError,
    TransientMailError,
)

__all__ = ["MailError", "Mailer", "PermanentMailError", "TransientMailError"]
