"""Building the service's own e-mails from templates: an HTML and a plain-text body from
``templates/<kind>.html`` and ``templates/<kind>.txt``, in the recipient's language."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from lucy_events.notifications.outbox import FIRM_HEADER
from lucy_events.notifications.wording import words

_TEMPLATES = Environment(
    loader=PackageLoader("lucy_events.notifications", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    keep_trailing_newline=True,
)


def build_mail(
    kind: str, *, language: str, to: str, to_name: str, from_address: str, from_name: str,
    message_key: str, firm_id: str, values: dict[str, str], link: str,
    extra: dict[str, Any] | None = None,
) -> EmailMessage:
    """``message_key`` makes the Message-ID: the same key for the same message, so a
    message built again (a retry, a redelivery) is recognisably the same one."""
    wording = words(language, **values)
    context: dict[str, Any] = {"t": wording, "link": link, "language": language, **values,
                               **(extra or {})}  # lists the templates loop over
    message = EmailMessage()
    message["From"] = formataddr((from_name, from_address))
    message["To"] = formataddr((to_name, to))
    message["Subject"] = wording[f"{kind}_subject"]
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<{message_key}@lucy-events>"
    message[FIRM_HEADER] = firm_id
    message.set_content(_TEMPLATES.get_template(f"{kind}.txt").render(context))
    message.add_alternative(_TEMPLATES.get_template(f"{kind}.html").render(context),
                            subtype="html")
    message["Content-Language"] = language  # after the bodies, which reset Content-*
    return message
