"""Sending one of the service's own e-mails exactly once, with the named retry policy,
surfacing a failure instead of dropping the message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import structlog
from tenacity import Retrying

from lucy_events.notifications.ledger import SentMail
from lucy_events.notifications.mailer import Mailer, MailError, TransientMailError
from lucy_events.retries import mail_sending

log = structlog.get_logger()


@dataclass(frozen=True)
class Sent:
    """The outcome of one e-mail: ``sent`` now, ``already`` sent before under the same
    key, or not sent with ``error`` (safe to show: it says why, never a secret);
    ``transient``: the relay was away or said "not now" (4xx), so a later try may work."""

    key: str
    recipient: str
    sent: bool
    already: bool = False
    error: str | None = None
    transient: bool = False


def send_once(mailer: Mailer, ledger: SentMail, key: str, message: EmailMessage, *,
              retrying: Callable[[], Retrying] = mail_sending) -> Sent:
    """``retrying``: the policy for a relay that is briefly away; the mail policy by
    default (someone waits for a click), a delivery worker passes its own."""
    recipient, subject = str(message["To"]), str(message["Subject"])
    if not ledger.claim(key, recipient, subject, str(message["Message-ID"])):
        return Sent(key, recipient, sent=False, already=True)
    try:
        retrying()(mailer.send, message)
    except MailError as error:
        ledger.release(key)
        log.warning("e-mail not sent", mail_key=key, backend=mailer.kind, reason=error.reason)
        return Sent(key, recipient, sent=False, error=error.reason,
                    transient=isinstance(error, TransientMailError))
    log.info("e-mail sent", mail_key=key, backend=mailer.kind)
    return Sent(key, recipient, sent=True)
