"""/clients/{id}/invoice-settings: the seller, payment account, terms, VAT rate,
language, logo and numbering of the client's invoices. Any staff member who sees the
client may read and change them."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from uuid import UUID

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.intake.media_types import sniff
from lucy_events.web.api.access import services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.invoicing import (
    InvoiceSettingsAnswerSchema,
    InvoiceSettingsSchema,
)
from lucy_events.web.auth import current_viewer

_ANSWER = InvoiceSettingsAnswerSchema()


def _answer(client_id: UUID) -> dict[str, Any]:
    viewer = current_viewer()
    app = services().app
    form, saved = app.invoice_settings(viewer.firm_id, client_id, viewer.actor)
    return _ANSWER.dump({**form, "saved": saved is not None,
                         "has_logo": bool(saved and saved.logo_ref)})


def decoded_logo(text: str) -> tuple[bytes, str]:
    """An uploaded logo and its media type, told from its bytes."""
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidValue("logo", "is not base64") from None
    return content, sniff(content) or "application/octet-stream"  # refused unless an image


@api.get("/clients/<uuid:client_id>/invoice-settings")
def get_invoice_settings(client_id: UUID) -> dict[str, Any]:
    """The client's invoice settings; until saved, prefilled from the client
    (``saved`` false).
    ---
    get:
      tags: [invoicing]
      summary: Read the invoice settings
      responses:
        200:
          content:
            application/json:
              schema: InvoiceSettingsAnswerSchema
        401: Unauthorized
        404: NotFound
    """
    return _answer(client_id)


@api.put("/clients/<uuid:client_id>/invoice-settings")
def put_invoice_settings(client_id: UUID) -> dict[str, Any]:
    """Save the invoice settings. The IBAN and BIC are checked (check digits, format);
    a wrong value is a 422 naming the field.
    ---
    put:
      tags: [invoicing]
      summary: Save the invoice settings
      requestBody:
        required: true
        content:
          application/json:
            schema: InvoiceSettingsSchema
      responses:
        200:
          content:
            application/json:
              schema: InvoiceSettingsAnswerSchema
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(InvoiceSettingsSchema())
    logo_text = body.pop("logo")
    logo = decoded_logo(logo_text) if logo_text else None
    services().app.save_invoice_settings(viewer.firm_id, client_id, body, viewer.actor,
                                         logo=logo, remove_logo=logo_text == "")
    return _answer(client_id)
