"""The company's own settings in the portal: its inbox address and allowed senders (as
the accountant set them), auto-send on or off (recorded with the client user as the
actor), and Integrations: the accountant's package, read-only, and below it a slot for
the company's own destinations (``portal/destinations.html``, included where present).
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for

from lucy_events.aggregates.packages import PACKAGES
from lucy_events.web.consistency import wait_for_read_models
from lucy_events.web.dashboard.forms import checked
from lucy_events.web.portal import portal
from lucy_events.web.portal.access import own_company, services
from lucy_events.web.portal.auth import client_user_required, current_client_user
from lucy_events.web.portal.wording import t


@portal.get("/inbox-address")
@client_user_required
def inbox_address() -> tuple[str, int]:
    company = own_company(current_client_user())
    return render_template("portal/inbox_address.html", company=company,
                           address=services().inbox_address(company)), 200


@portal.get("/settings")
@client_user_required
def settings() -> tuple[str, int]:
    return render_template("portal/settings.html",
                           company=own_company(current_client_user())), 200


@portal.post("/settings/auto-send")
@client_user_required
def auto_send() -> Response:
    who = current_client_user()
    on = checked("auto_send")
    services().app.change_auto_send(who.firm_id, who.client_id, on, who.actor)
    wait_for_read_models()
    flash(t("auto_send_on" if on else "auto_send_off"), "success")
    return redirect(url_for("portal.settings"), 303)  # type: ignore[return-value]


@portal.get("/integrations")
@client_user_required
def integrations() -> tuple[str, int]:
    company = own_company(current_client_user())
    linked = company.integration
    package = PACKAGES.get(linked["package"]) if linked else None
    return render_template("portal/integrations.html", company=company, linked=linked,
                           package=package), 200
