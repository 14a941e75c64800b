"""The client's Users tab: who may use the client's side — the contact person, and the
user they set up when they activated (the client portal adds more later). While the
contact person has not activated, "Replace" hands the invitation to someone else (a new
link, the old one dies); afterwards the user is theirs."""

from __future__ import annotations

from uuid import UUID

from flask import Response, request

from lucy_events.client_users import ClientUsers
from lucy_events.notifications.invitations import Invitation
from lucy_events.web.api.invitations import link_for
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, render_client, tab_context
from lucy_events.web.dashboard.forms import text
from lucy_events.web.dashboard.pages import services, viewer


@dashboard.app_context_processor
def _today() -> dict[str, object]:
    """The application's date (its clock), for the marks of ended trials."""
    return {"today": services().app.clock().date()}


@tab_context("users")
def _users_context(view: ClientView) -> dict[str, object]:
    return {"users": ClientUsers(services().read_db).of_client(view.id),
            "replacing": request.args.get("replace") == "1"}


@dashboard.get("/clients/<uuid:client_id>/users")
def client_users(client_id: UUID) -> tuple[str, int]:
    return render_client("users", client_id)


@dashboard.post("/clients/<uuid:client_id>/users/replace")
def replace_user(client_id: UUID) -> Response | tuple[str, int]:
    who, mail = viewer(), services().invitation_mail()
    person = {key: text(f"contact_person.{key}")
              for key in ("first_name", "last_name", "email", "phone", "language")}
    outcome: list[Invitation | None] = []

    def replace() -> None:
        outcome.append(mail.replace_contact_person(who.firm_id, client_id, person,
                                                   who.actor, link_for))

    def said() -> str:
        named = f"{person['first_name']} {person['last_name']} replaces the user."
        sent = outcome[-1] if outcome else None
        if sent is None:
            return named
        if sent.mail.error:
            return f"{named} The invitation e-mail could not be sent ({sent.mail.error})."
        return f"{named} The invitation was e-mailed to {sent.mail.recipient}."

    return attempt("users", client_id, "replace", replace, said, values=request.form)
