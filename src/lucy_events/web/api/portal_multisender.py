"""The multisender in the client portal's API (``/api/v1/portal``, the client user's
session): the company's destinations, sending documents to a confirmed one, what was
sent of a document and a failed sending sent again; and the confirmation link as an
operation of its own (``/api/v1/destination-confirmations/{token}``: the token is the
credential, as for invitations). The same commands as the portal's pages
(``multisender.commands``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from lucy_events.aggregates.errors import DomainError, InvalidValue
from lucy_events.aggregates.multisender_rules import DestinationNotFound
from lucy_events.multisender.commands import MultisenderCommands, NewLink
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.portal import portal_api
from lucy_events.web.api.schemas.multisender import (
    ConfirmedSchema,
    DestinationCreateSchema,
    DestinationLinkSchema,
    DestinationSchema,
    MultisendOutcomeSchema,
    SendingSchema,
    SendToSchema,
)
from lucy_events.web.errors import error_body
from lucy_events.web.portal.access import services
from lucy_events.web.portal.auth import current_client_user

_DESTINATION = DestinationSchema()
_LINK = DestinationLinkSchema()
_SENDING = SendingSchema()
_OUTCOME = MultisendOutcomeSchema()


def multisender() -> MultisenderCommands:
    return services().multisender()


def _linked(new: NewLink) -> dict[str, Any]:
    dumped: dict[str, Any] = _LINK.dump({"destination": new.destination, "confirmation_mail": {
        "sent": new.mail.sent or new.mail.already, "error": new.mail.error}})
    return dumped


@portal_api.get("/destinations")
def portal_destinations() -> dict[str, Any]:
    """The company's own destinations (the multisender), confirmed or not, oldest first.
    ---
    get:
      tags: [multisender]
      summary: List my company's destinations
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: DestinationListSchema
        401: Unauthorized
    """
    who = current_client_user()
    found = multisender().destinations(who.firm_id, who.client_id, who.actor)
    return {"items": _DESTINATION.dump(found, many=True)}


@portal_api.post("/destinations")
def portal_add_destination() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Add an e-mail address as a destination: it is unconfirmed, and a link to confirm
    it is mailed there (``confirmation_mail`` says whether that worked). The same
    address twice is 409; at most 20 destinations.
    ---
    post:
      tags: [multisender]
      summary: Add a destination (a confirmation link is mailed to it)
      security: [{clientSession: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: DestinationCreateSchema
      responses:
        201:
          content:
            application/json:
              schema: DestinationLinkSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    who, body = current_client_user(), json_body(DestinationCreateSchema())
    new = multisender().add_destination(who.firm_id, who.client_id, body["address"],
                                        body["label"], who.actor)
    return _linked(new), 201, {"Location": url_for("api.portal.portal_destinations")}


@portal_api.post("/destinations/<uuid:destination_id>/confirmation")
def portal_resend_confirmation(destination_id: UUID) -> dict[str, Any]:
    """Mail a new confirmation link to an unconfirmed destination; the old link stops
    working (409 once it is confirmed).
    ---
    post:
      tags: [multisender]
      summary: Send a destination a new confirmation link
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: DestinationLinkSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
    """
    who = current_client_user()
    return _linked(multisender().resend_confirmation(who.firm_id, who.client_id,
                                                     destination_id, who.actor))


@portal_api.delete("/destinations/<uuid:destination_id>")
def portal_remove_destination(destination_id: UUID) -> dict[str, Any]:
    """Remove a destination: nothing more is sent there (sendings already asked for
    still go); its confirmation link stops working.
    ---
    delete:
      tags: [multisender]
      summary: Remove a destination
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: DestinationSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    who = current_client_user()
    removed = multisender().remove_destination(who.firm_id, who.client_id, destination_id,
                                               who.actor)
    dumped: dict[str, Any] = _DESTINATION.dump(removed)
    return dumped


@portal_api.post("/send-to")
def portal_send_to() -> dict[str, Any]:
    """Send one or several of the company's documents (any status, Sent ones included)
    to a confirmed destination. Each that can be sent is (one transaction), the others
    answer why not (``error``); the mails leave from the delivery worker. A destination
    the company does not have is 422 naming ``destination_id``; one not confirmed yet
    409. Never changes a document's delivery to the accountant's package.
    ---
    post:
      tags: [multisender]
      summary: Send documents to one of my destinations
      security: [{clientSession: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: SendToSchema
      responses:
        200:
          content:
            application/json:
              schema: MultisendOutcomeListSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        409: Conflict
        422: Unprocessable
    """
    who, body = current_client_user(), json_body(SendToSchema())
    try:
        outcome = multisender().send(who.firm_id, who.client_id, body["document_ids"],
                                     body["destination_id"], who.actor)
    except DestinationNotFound:
        raise InvalidValue("destination_id", "is not one of your destinations") from None
    items = []
    for document_id, result in outcome.items():
        if isinstance(result, DomainError):
            items.append({"document_id": document_id, "sending": None,
                          "error": error_body(result.code, str(result))["error"]})
        else:
            items.append({"document_id": document_id, "sending": result, "error": None})
    return {"items": _OUTCOME.dump(items, many=True)}


@portal_api.get("/documents/<uuid:document_id>/sendings")
def portal_sendings(document_id: UUID) -> dict[str, Any]:
    """What the company sent of the document through its destinations, newest first.
    ---
    get:
      tags: [multisender]
      summary: List the sendings of one of my documents
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: SendingListSchema
        401: Unauthorized
        404: NotFound
        410:
          description: the document's files were removed after the retention period
          content:
            application/json:
              schema: ErrorSchema
    """
    who = current_client_user()
    found = multisender().sendings(who.firm_id, who.client_id, document_id, who.actor)
    return {"items": _SENDING.dump(found, many=True)}


@portal_api.post("/documents/<uuid:document_id>/sendings/<uuid:sending_id>/retry")
def portal_retry_sending(document_id: UUID, sending_id: UUID) -> dict[str, Any]:
    """Send a failed sending again, to the same address (409 for one on its way or
    sent: a sent copy never goes twice).
    ---
    post:
      tags: [multisender]
      summary: Send a failed sending again
      security: [{clientSession: []}]
      responses:
        200:
          content:
            application/json:
              schema: SendingSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        410:
          description: the document's files were removed after the retention period
          content:
            application/json:
              schema: ErrorSchema
    """
    who = current_client_user()
    again = multisender().retry(who.firm_id, who.client_id, document_id, sending_id,
                                who.actor)
    dumped: dict[str, Any] = _SENDING.dump(again)
    return dumped


@api.post("/destination-confirmations/<token>")
def confirm_destination(token: str) -> dict[str, Any]:
    """Confirm a destination with the token of the link mailed to it (whoever reads that
    mailbox; no session). The link works once, for 7 days.
    ---
    post:
      tags: [multisender]
      summary: Confirm a destination (no authentication)
      security: []
      responses:
        200:
          content:
            application/json:
              schema: ConfirmedSchema
        404:
          description: the link is not known, was used, replaced, or its destination
            removed (code not_found)
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: the link expired (code confirmation_link_expired)
          content:
            application/json:
              schema: ErrorSchema
    """
    client_id, destination = multisender().confirm_destination(token)
    dumped: dict[str, Any] = ConfirmedSchema().dump({
        "client": services().app.client_for_operator(client_id).name,
        "destination": destination})
    return dumped
