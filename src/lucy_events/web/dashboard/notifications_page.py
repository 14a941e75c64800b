"""/digest: every staff member chooses their e-mail digest; and on a client's overview,
admins remind its participants ("Notify participants"), ticking what it is about."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import render_template, request

from lucy_events.aggregates.errors import DomainError
from lucy_events.notifications.client_reminders import ABOUT
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import attempt
from lucy_events.web.dashboard.forms import form_errors, text
from lucy_events.web.dashboard.pages import done, services, viewer

LABELS = {"inbox": "Documents waiting in the Inbox", "failed": "Failed deliveries",
          "unrecognised": "Unrecognised documents", "quarantined": "Quarantined mail",
          "invitation": "The invitation expires soon", "trial": "The trial ends soon"}


@dashboard.app_template_global()
def reminder_topics() -> list[tuple[str, str]]:
    return [(key, LABELS[key]) for key in ABOUT]


@dashboard.get("/digest")
def digest_page() -> Any:
    who = viewer()
    frequency, language = services().app.firm(who.firm_id).digest_of(who.staff_id)
    return render_template("dashboard/digest.html", frequency=frequency, language=language,
                           errors=None), 200


@dashboard.post("/digest")
def choose_digest() -> Any:
    who = viewer()
    frequency, language = text("frequency"), text("language")
    try:
        services().app.choose_digest(who.firm_id, who.staff_id, frequency, language,
                                     who.actor)
    except DomainError as error:
        return render_template("dashboard/digest.html", frequency=frequency,
                               language=language, errors=form_errors("digest", error)), 422
    return done("Your digest is saved.", "dashboard.digest_page")


@dashboard.post("/clients/<uuid:client_id>/reminders")
def remind_participants(client_id: UUID) -> Any:
    who = viewer()
    sent: list[int] = []

    def remind() -> None:
        outcomes = services().client_reminders().send(
            who.firm_id, client_id, request.form.getlist("about"), text("comment"),
            who.actor)
        sent.append(sum(1 for o in outcomes if o.sent))

    return attempt("overview", client_id, "reminder", remind,
                   lambda: f"Reminder sent to {sent[0]} participant(s).", values=request.form)
