"""The multisender in the client portal: the company's own destinations on its
Integrations page ("+ Add destination", confirmed or not, a new link, remove), the page
a confirmation link opens (anyone holding the link; it confirms on a button, never on
the GET, so a mail scanner following links confirms nothing), and "Send to…": one
document from its page, or several from the documents list, to a confirmed destination,
with what was sent where and a failed sending sent again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for

from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.multisender.commands import MultisenderCommands
from lucy_events.projections import list_documents
from lucy_events.web.dashboard.forms import text
from lucy_events.web.portal import portal
from lucy_events.web.portal.access import own_document, services
from lucy_events.web.portal.auth import client_user_required, current_client_user
from lucy_events.web.portal.destination_words import tm

#: Documents the Send to… page offers at once (newest first).
OFFERED = 200


def multisender() -> MultisenderCommands:
    return services().multisender()


@portal.context_processor
def _destinations() -> dict[str, Any]:
    """``tm`` for the words; ``own_destinations()`` for the Integrations page's slot."""
    def own_destinations() -> list[Any]:
        who = current_client_user()
        return multisender().destinations(who.firm_id, who.client_id, who.actor)

    return {"tm": tm, "own_destinations": own_destinations}


def _back() -> Response:
    return redirect(url_for("portal.integrations") + "#destinations", 303)  # type: ignore[return-value]


@portal.post("/integrations/destinations")
@client_user_required
def add_destination() -> Response:
    who = current_client_user()
    try:
        new = multisender().add_destination(who.firm_id, who.client_id, text("address"),
                                            text("label") or None, who.actor)
    except DomainError as error:
        flash(str(error), "error")
        return _back()
    flash(tm("added", address=new.destination.address), "success")
    if new.mail.error:
        flash(tm("mail_failed", error=new.mail.error), "warning")
    return _back()


@portal.post("/integrations/destinations/<uuid:destination_id>/resend")
@client_user_required
def resend_destination_link(destination_id: UUID) -> Response:
    who = current_client_user()
    new = multisender().resend_confirmation(who.firm_id, who.client_id, destination_id,
                                            who.actor)
    flash(tm("resent", address=new.destination.address), "success")
    if new.mail.error:
        flash(tm("mail_failed", error=new.mail.error), "warning")
    return _back()


@portal.post("/integrations/destinations/<uuid:destination_id>/remove")
@client_user_required
def remove_destination(destination_id: UUID) -> Response:
    who = current_client_user()
    removed = multisender().remove_destination(who.firm_id, who.client_id, destination_id,
                                               who.actor)
    flash(tm("removed_destination", address=removed.address), "success")
    return _back()


@portal.get("/destinations/confirm/<token>")
def confirm_destination_page(token: str) -> tuple[str, int]:
    try:
        client, destination = multisender().destination_of_link(token)
    except DomainError as error:
        return render_template("portal/destination_confirm.html", problem=str(error)), 410
    return render_template("portal/destination_confirm.html", problem=None, token=token,
                           client=client, address=destination.address), 200


@portal.post("/destinations/confirm/<token>")
def confirm_destination(token: str) -> tuple[str, int]:
    try:
        client_id, destination = multisender().confirm_destination(token)
    except DomainError as error:
        return render_template("portal/destination_confirm.html", problem=str(error)), 410
    client = services().app.client_for_operator(client_id).name
    return render_template("portal/destination_confirm.html", problem=None, done=True,
                           client=client, address=destination.address), 200


def _send_page(status: int = 200) -> tuple[str, int]:
    who = current_client_user()
    chosen = request.args.getlist("document")
    rows = list_documents(services().read_db, firm_id=who.firm_id, client_id=who.client_id,
                          page_size=OFFERED).rows
    destinations = [d for d in multisender().destinations(who.firm_id, who.client_id,
                                                          who.actor) if d.confirmed]
    single = None
    if len(chosen) == 1:
        try:
            document = own_document(who, UUID(chosen[0]))
        except ValueError:
            raise InvalidValue("document", "is not a document id") from None
        single = {"document": document, "sendings": multisender().sendings(
            who.firm_id, who.client_id, document.id, who.actor)}
    return render_template("portal/send_to.html", rows=rows, chosen=set(chosen),
                           destinations=destinations, single=single), status


@portal.get("/send-to")
@client_user_required
def send_to_page() -> tuple[str, int]:
    return _send_page()


@portal.post("/send-to")
@client_user_required
def send_to() -> Response:
    who = current_client_user()
    try:
        document_ids = [UUID(v) for v in request.form.getlist("document_ids")]
        destination_id = UUID(text("destination_id"))
    except ValueError:
        raise InvalidValue("destination_id", "choose a destination") from None
    outcome = multisender().send(who.firm_id, who.client_id, document_ids, destination_id,
                                 who.actor)
    sent = [s for s in outcome.values() if not isinstance(s, DomainError)]
    if sent:
        flash(tm("on_their_way", count=len(sent), address=sent[0].address), "success")
    for document_id, result in outcome.items():
        if isinstance(result, DomainError):
            flash(tm("not_sent", file=str(document_id), error=str(result)), "warning")
    back = url_for("portal.send_to_page", document=str(document_ids[0])) if len(
        document_ids) == 1 else url_for("portal.send_to_page")
    return redirect(back, 303)  # type: ignore[return-value]


@portal.post("/documents/<uuid:document_id>/sendings/<uuid:sending_id>/retry")
@client_user_required
def retry_sending(document_id: UUID, sending_id: UUID) -> Response:
    who = current_client_user()
    again = multisender().retry(who.firm_id, who.client_id, document_id, sending_id,
                                who.actor)
    flash(tm("retrying", address=again.address), "success")
    return redirect(url_for("portal.send_to_page", document=str(document_id)), 303)  # type: ignore[return-value]
