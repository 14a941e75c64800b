"""The client's "Invoice settings" and "Create invoice" tabs: the seller, account,
terms, language, logo and numbering of its invoices; drafting an invoice (a customer
searched among earlier customers and in the company register, or typed; up to eight
lines, an allowance or charge), editing a draft, issuing it (a broken Peppol rule shows
beside the field it concerns), credit notes, sending (over Peppol to a participant,
else by e-mail) and checking a Peppol delivery, and the issued UBL and PDF. Plain
forms: no JavaScript needed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from flask import Response, request, url_for

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.aggregates.invoice_rules import (
    CUSTOMER_FIELDS,
    UNITS,
    VAT_CATEGORIES,
    InvoiceNotIssued,
)
from lucy_events.aggregates.invoice_settings import LANGUAGES, SELLER_FIELDS
from lucy_events.intake.media_types import sniff
from lucy_events.invoicing.customer_search import find_customers
from lucy_events.projections.invoice_queries import earlier_customers, list_invoices
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, render_client, tab_context
from lucy_events.web.dashboard.pages import services, viewer

LINE_ROWS = 8
SETTINGS_NAMES = (*(f"seller_{n}" for n in SELLER_FIELDS), "iban", "bic",
                  "payment_terms_days", "default_vat_rate", "language", "number_prefix")


@tab_context("invoice-settings")
def _settings_context(view: ClientView) -> dict[str, Any]:
    who = viewer()
    form, saved = services().app.invoice_settings(who.firm_id, view.id, who.actor)
    return {"settings": form, "saved": saved, "languages": LANGUAGES}


def _flat(values: dict[str, Any]) -> dict[str, str]:
    """A draft's values as the form's field names."""
    flat = {f"customer.{k}": v for k, v in values["customer"].items()}
    for i, line in enumerate(values["lines"]):
        flat.update({f"lines[{i}].{k}": v for k, v in line.items()})
    for i, adjustment in enumerate(values.get("adjustments") or []):
        flat.update({f"adjustments[{i}].{k}": v for k, v in adjustment.items()})
    if values.get("due_date"):
        flat["due_date"] = str(values["due_date"])
    flat["note"] = values.get("note") or ""
    return flat


def _prefill(client_id: UUID) -> dict[str, str]:
    """The form's values on a GET: the draft being edited (``?edit=<id>``), or the
    customer picked from a search (``?customer.name=...``)."""
    who, args = viewer(), request.args
    if args.get("edit"):
        try:
            invoice_id = UUID(args["edit"])
        except ValueError:
            return {}
        draft = services().app.invoice(who.firm_id, client_id, invoice_id, who.actor)
        if draft.issued:
            return {}
        return {**_flat({"customer": draft.customer, "lines": draft.lines,
                         "adjustments": draft.adjustments, "due_date": draft.due_date,
                         "note": draft.note}), "editing": str(draft.id)}
    return {k: v for k, v in args.items() if k.startswith("customer.")}


def _customer_matches(client_id: UUID) -> list[dict[str, Any]] | None:
    text = request.args.get("customer_q", "").strip()
    if not text:
        return None
    who = viewer()
    found = find_customers(services().read_db, services().company_register(),
                           firm_id=who.firm_id, client_id=client_id, text=text[:200])
    return [{**match, "use_url": url_for(
        "dashboard.invoices", client_id=client_id, _anchor="create-title",
        **{f"customer.{k}": v for k, v in match["customer"].items()  # type: ignore[attr-defined]
           if v})} for match in found]


def _sending(rows: list[Any], client_id: UUID) -> dict[str, Any]:
    """How each Sent or Failed invoice went (the read model has the status only)."""
    who, app = viewer(), services().app
    return {row.invoice_id: app.invoice(who.firm_id, client_id, row.invoice_id, who.actor)
            for row in rows if row.status in ("Sent", "Failed")}


@tab_context("invoices")
def _invoices_context(view: ClientView) -> dict[str, Any]:
    who = viewer()
    db = services().read_db
    _, saved = services().app.invoice_settings(who.firm_id, view.id, who.actor)
    customers = earlier_customers(db, firm_id=who.firm_id, client_id=view.id)
    rows = list_invoices(db, firm_id=who.firm_id, client_id=view.id)
    return {"invoices": rows, "sending": _sending(rows, view.id),
            "prefill": _prefill(view.id), "customer_q": request.args.get("customer_q", ""),
            "customer_matches": _customer_matches(view.id),
            "customers": customers,
            "customer_options": [(json.dumps(c), c.get("name", "")) for c in customers],
            "line_rows": range(LINE_ROWS), "unit_options": [(u, u) for u in UNITS],
            "category_options": [(c, c) for c in VAT_CATEGORIES],
            "default_rate": saved.default_vat_rate if saved else "21",
            "customer_fields": CUSTOMER_FIELDS, "has_settings": saved is not None}


@dashboard.get("/clients/<uuid:client_id>/invoice-settings")
def invoice_settings(client_id: UUID) -> tuple[str, int]:
    return render_client("invoice-settings", client_id)


@dashboard.post("/clients/<uuid:client_id>/invoice-settings")
def save_invoice_settings(client_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    values = {name: request.form.get(name, "").strip() for name in SETTINGS_NAMES}
    upload = request.files.get("logo")
    content = upload.read() if upload and upload.filename else b""

    def command() -> None:
        media_type = sniff(content) if content else None
        if content and media_type is None:
            raise InvalidValue("logo", "must be a PNG or JPEG image")
        services().app.save_invoice_settings(
            who.firm_id, client_id, values, who.actor,
            logo=(content, media_type or "") if content else None,
            remove_logo=request.form.get("remove_logo") == "on")

    return attempt("invoice-settings", client_id, "settings", command,
                   "The invoice settings were saved.", values=values)


def _form_values() -> dict[str, Any]:
    form = request.form
    customer = {name: form.get(f"customer.{name}", "").strip() for name in CUSTOMER_FIELDS}
    chosen = form.get("earlier_customer", "")
    if chosen and not customer["name"]:
        customer = {**customer, **json.loads(chosen)}
    lines = [{name: form.get(f"lines[{i}].{name}", "").strip() for name in (
        "description", "quantity", "unit", "unit_price", "vat_category", "vat_rate",
        "exemption_reason")} for i in range(LINE_ROWS)]
    adjustment = {name: form.get(f"adjustments[0].{name}", "").strip() for name in (
        "charge", "reason", "amount", "vat_category", "vat_rate", "exemption_reason")}
    return {"customer": customer,
            "lines": [line for line in lines if line["description"] or line["unit_price"]],
            "adjustments": [adjustment] if adjustment["amount"] else [],
            "due_date": form.get("due_date") or None, "note": form.get("note", "")}


@dashboard.get("/clients/<uuid:client_id>/invoices")
def invoices(client_id: UUID) -> tuple[str, int]:
    return render_client("invoices", client_id)


def _dated(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values with the due date read (a wrong one is refused naming it)."""
    try:
        due = date.fromisoformat(values["due_date"]) if values["due_date"] else None
    except ValueError:
        raise InvalidValue("due_date", "must be a date (YYYY-MM-DD)") from None
    return {**values, "due_date": due}


@dashboard.post("/clients/<uuid:client_id>/invoices")
def create_invoice(client_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    values = _form_values()
    issue_now = request.form.get("issue") == "on"
    made: list[str] = []

    def command() -> None:
        app = services().app
        draft = app.draft_invoice(who.firm_id, client_id, _dated(values), who.actor)
        made.append(f"Draft invoice for {draft.customer['name']} saved.")
        if issue_now:
            issued = app.issue_invoice(who.firm_id, client_id, draft.id, who.actor)
            made[0] = f"Invoice {issued.number} issued."

    return attempt("invoices", client_id, "create", command, lambda: made[0],
                   values={**_flat(values), **request.form.to_dict()})


@dashboard.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/edit")
def edit_invoice(client_id: UUID, invoice_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    values = _form_values()

    def command() -> None:
        app = services().app
        draft = app.invoice(who.firm_id, client_id, invoice_id, who.actor)
        if len(draft.lines) > LINE_ROWS or len(draft.adjustments) > 1:
            raise InvalidValue("lines", f"this draft has more than {LINE_ROWS} lines or "
                               "one allowance or charge: edit it through the API, so "
                               "nothing is lost")
        app.edit_invoice(who.firm_id, client_id, invoice_id, _dated(values), who.actor)

    return attempt("invoices", client_id, "create", command, "The draft was saved.",
                   values={**_flat(values), **request.form.to_dict(),
                           "editing": str(invoice_id)})


@dashboard.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/issue")
def issue_invoice(client_id: UUID, invoice_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    issued: list[str] = []

    def command() -> None:
        issued.append(services().app.issue_invoice(who.firm_id, client_id, invoice_id,
                                                   who.actor).number or "")

    return attempt("invoices", client_id, f"issue-{invoice_id}", command,
                   lambda: f"{issued[0]} issued: its UBL passed the Peppol BIS 3 rules.")


@dashboard.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/credit-note")
def credit_invoice(client_id: UUID, invoice_id: UUID) -> Response | tuple[str, int]:
    who = viewer()

    def command() -> None:
        services().app.draft_credit_note(who.firm_id, client_id, invoice_id, {}, who.actor)

    return attempt("invoices", client_id, f"issue-{invoice_id}", command,
                   "A draft credit note was made: check it and issue it.")


@dashboard.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/send")
def send_invoice(client_id: UUID, invoice_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    sent: list[str] = []

    def command() -> None:
        invoice = services().invoice_sending().send(who.firm_id, client_id, invoice_id,
                                                    who.actor)
        how = "over Peppol" if invoice.sent_via == "peppol" else "by e-mail"
        sent.append(f"{invoice.number} was sent {how} to {invoice.sent_to}."
                    if invoice.sent_to
                    else f"{invoice.number} was not sent: {invoice.send_failure}")

    return attempt("invoices", client_id, f"issue-{invoice_id}", command, lambda: sent[0])


@dashboard.post("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>/check-delivery")
def check_invoice_delivery(client_id: UUID, invoice_id: UUID) -> Response | tuple[str, int]:
    who = viewer()
    said: list[str] = []

    def command() -> None:
        invoice = services().invoice_peppol().check_delivery(who.firm_id, client_id,
                                                             invoice_id, who.actor)
        said.append({"Delivered": f"{invoice.number} was delivered over Peppol.",
                     "Failed": f"{invoice.number} was not delivered: "
                               f"{invoice.send_failure}"}.get(
            invoice.status, f"{invoice.number} is on its way (the access point has not "
                            "confirmed delivery yet)."))

    return attempt("invoices", client_id, f"issue-{invoice_id}", command, lambda: said[0])


@dashboard.get("/clients/<uuid:client_id>/invoices/<uuid:invoice_id>.<kind>")
def invoice_file(client_id: UUID, invoice_id: UUID, kind: str) -> Response:
    who = viewer()
    app = services().app
    invoice = app.invoice(who.firm_id, client_id, invoice_id, who.actor)
    if not invoice.issued or kind not in ("pdf", "xml"):
        raise InvoiceNotIssued("a draft has no UBL or PDF yet: issue it first")
    ref = invoice.pdf_ref if kind == "pdf" else invoice.ubl_ref
    return Response(app.blobs.get(ref or ""), mimetype=(
        "application/pdf" if kind == "pdf" else "application/xml"), headers={
        "Content-Disposition": f'attachment; filename="{invoice.number}.{kind}"',
        "X-Content-Type-Options": "nosniff"})
