"""+ New client: a form in steps that works without JavaScript. Search the company
register (or type a Dutch company's KvK number and its details by hand), check the
company's details prefilled from the register, name the contact person, the team and
(admins) the firm contact, read the summary, create.

Each step posts everything typed so far (the other steps' fields ride along hidden), so
going back and forth loses nothing, and each step's fields are checked by the domain's
own rules before the next step shows. A company the firm already has as a client is
refused on creating (409), with a link to that client."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, render_template, request, url_for

from lucy_events.aggregates.client_rules import DuplicateClient
from lucy_events.aggregates.companies import (
    Address,
    ContactPerson,
    company_numbers,
    required_text,
)
from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.register import MAX_LIMIT, RegisterEntry
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.forms import FormErrors, form_errors, status_for
from lucy_events.web.dashboard.pages import done, firm_directory, services, viewer

COMPANY = ("name", "country", "enterprise_number", "vat_number", "legal_form",
           "address.street", "address.postal_code", "address.city", "address.country")
CONTACT = ("contact_person.first_name", "contact_person.last_name", "contact_person.email",
           "contact_person.phone", "team_id", "firm_contact_id")
STEPS = ("company", "contact", "review")


@dashboard.get("/clients/new")
def new_client() -> tuple[str, int]:
    """Step 1: search the register."""
    query = request.args.get("q", "").strip()
    found: list[RegisterEntry] = []
    if query:
        found = services().company_register().search(query, limit=min(10, MAX_LIMIT))
    return render_template("dashboard/new_client.html", step="search", query=query,
                           found=found, clients=_already_clients(found), values={},
                           errors=None, **_choices()), 200


def _already_clients(found: list[RegisterEntry]) -> dict[str, str]:
    """Enterprise number -> the page of the firm's client that already is that company."""
    app, firm_id, pages = services().app, viewer().firm_id, {}
    for entry in found:
        existing = app.client_with_numbers(
            firm_id, company_numbers("BE", entry.enterprise_number, None))
        if existing is not None:
            pages[entry.enterprise_number] = url_for("dashboard.overview",
                                                     client_id=existing[1])
    return pages


@dashboard.get("/clients/new/company")
def new_client_company() -> tuple[str, int]:
    """Step 2, from a register entry (``number``) or by hand (``country``)."""
    values = {"country": request.args.get("country", "BE").upper(), "address.country": "BE"}
    number = request.args.get("number", "")
    if number:
        for entry in services().company_register().search(number, limit=1):
            values.update(_from_register(entry))
    if values["country"] == "NL":
        values["address.country"] = "NL"
    return _page("company", values, None)


@dashboard.post("/clients/new")
def new_client_step() -> Response | tuple[str, int]:
    """Steps 2 to 4 and creating: ``go`` names where the button leads."""
    values = {name: request.form.get(name, "").strip() for name in (*COMPANY, *CONTACT)}
    go = request.form.get("go", "company")
    try:
        if go in ("contact", "review", "create"):
            _check_company(values)
        if go in ("review", "create"):
            _check_contact(values)
        if go == "create":
            return _create(values)
    except DuplicateClient as duplicate:
        return _page("review", values, FormErrors("review", str(duplicate)), 409,
                     existing=url_for("dashboard.overview",
                                      client_id=duplicate.existing_client_id))
    except InvalidValue as error:
        step = "company" if error.field.split(".")[0] in {c.split(".")[0] for c in COMPANY} \
            else "contact"
        return _page(step, values, form_errors(step, error), 422)
    except DomainError as error:
        return _page("review", values, form_errors("review", error), status_for(error))
    return _page(go if go in STEPS else "company", values, None)


def _check_company(values: dict[str, str]) -> None:
    """The company's fields by the domain's rules; the numbers then as they will be kept."""
    required_text(values["name"], "name")
    numbers = company_numbers(values["country"], values["enterprise_number"],
                              values["vat_number"])
    Address.parse(_nested(values, "address"))
    values.update(country=numbers.country, enterprise_number=numbers.enterprise_number or "",
                  vat_number=numbers.vat_number or "")


def _check_contact(values: dict[str, str]) -> None:
    ContactPerson.parse(_nested(values, "contact_person"))
    if values["firm_contact_id"] and not viewer().is_admin:
        raise InvalidValue("firm_contact_id", "only an admin may choose the firm contact")


def _create(values: dict[str, str]) -> Response:
    who = viewer()
    fields: dict[str, Any] = {
        "name": values["name"], "country": values["country"],
        "enterprise_number": values["enterprise_number"] or None,
        "vat_number": values["vat_number"] or None, "legal_form": values["legal_form"],
        "address": _nested(values, "address"),
        "contact_person": _nested(values, "contact_person"),
        "team_id": _uuid(values["team_id"], "team_id"),
        "firm_contact_id": _uuid(values["firm_contact_id"], "firm_contact_id"),
    }
    client_id = services().app.create_client(who.firm_id, who.actor, **fields)
    return done(f"{values['name']} is a new client. Invite the contact person when ready.",
                "dashboard.overview", client_id=client_id)


def _page(step: str, values: dict[str, str], errors: FormErrors | None, status: int = 200,
          **extra: Any) -> tuple[str, int]:
    return render_template("dashboard/new_client.html", step=step, values=values,
                           errors=errors, hidden=_hidden(step, values), **_choices(),
                           **extra), status


def _hidden(step: str, values: dict[str, str]) -> dict[str, str]:
    shown = {"company": COMPANY, "contact": CONTACT}.get(step, ())
    return {name: value for name, value in values.items() if name not in shown and value}


def _choices() -> dict[str, Any]:
    directory = firm_directory()
    return {"teams": [(str(i), name) for i, name in directory.teams],
            "staff": [(str(m.id), m.name) for m in directory.staff],
            "names": {str(k): v for k, v in directory.names.items()}}


def _from_register(entry: RegisterEntry) -> dict[str, str]:
    address = entry.address
    return {"name": entry.name, "country": "BE", "enterprise_number": entry.dotted_number,
            "vat_number": entry.vat_number, "legal_form": entry.legal_form,
            "address.street": address.get("street", ""),
            "address.postal_code": address.get("postal_code", ""),
            "address.city": address.get("city", ""),
            "address.country": address.get("country") or "BE"}


def _nested(values: dict[str, str], prefix: str) -> dict[str, str]:
    return {name.split(".", 1)[1]: value for name, value in values.items()
            if name.startswith(prefix + ".")}


def _uuid(value: str, field: str) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise InvalidValue(field, "is not one of the choices") from None
