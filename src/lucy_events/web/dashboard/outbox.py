"""The Outbox (admins): the e-mails the service wrote to its local outbox because no SMTP
relay is configured — who, subject, when — and each message opened as sent."""

from __future__ import annotations

from flask import Response, abort, render_template

from lucy_events.aggregates.errors import PermissionDenied
from lucy_events.notifications.outbox import Outbox
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.pages import services, viewer


def admins_outbox() -> tuple[Outbox | None, str]:
    """The outbox (None when mail goes to an SMTP relay) and the viewer's firm id."""
    who = viewer()
    if not who.is_admin:
        raise PermissionDenied("only an admin may read the outbox")
    return services().outbox(), str(who.firm_id)


@dashboard.get("/outbox")
def outbox() -> tuple[str, int]:
    box, firm_id = admins_outbox()
    entries = box.entries(firm_id) if box else []
    return render_template("dashboard/outbox.html", entries=entries, outbox=box,
                           relay=services().mailer().kind == "smtp"), 200


@dashboard.get("/outbox/<entry_id>")
def outbox_message(entry_id: str) -> tuple[str, int]:
    box, firm_id = admins_outbox()
    message = box.message(entry_id) if box else None
    if message is None or str(message["X-Lucy-Firm"]) != firm_id:
        abort(404)
    text = message.get_body(("plain",))
    return render_template(
        "dashboard/outbox_message.html", message=message, entry_id=entry_id,
        text=text.get_content() if text is not None else "",
        has_html=message.get_body(("html",)) is not None), 200


@dashboard.get("/outbox/<entry_id>.eml")
def outbox_raw(entry_id: str) -> Response:
    box, firm_id = admins_outbox()
    message = box.message(entry_id) if box else None
    if box is None or message is None or str(message["X-Lucy-Firm"]) != firm_id:
        abort(404)
    return Response(box.raw(entry_id), mimetype="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="{entry_id}.eml"'})
