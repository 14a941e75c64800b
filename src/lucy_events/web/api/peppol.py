"""Peppol: the firm's access point posts what it receives; admins see and replay the
documents parked for receivers the firm does not know, and manage access points.

``POST /peppol/inbound`` is authenticated by the access point's own token (never a
staff token), so it is one of the blueprint's public endpoints and checks its token
here.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, request

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.auth_throttle import address_key
from lucy_events.intake.access_points import AccessPoint, AccessPoints
from lucy_events.intake.files import FileTooLarge, size_text
from lucy_events.intake.peppol_inbound import PeppolInbound
from lucy_events.intake.peppol_parking import ParkedDocuments
from lucy_events.web.api.access import services, written
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.invoicing import (
    PeppolSendingAnswerSchema,
    PeppolSendingSchema,
)
from lucy_events.web.auth import Viewer, current_viewer, refuse_while_blocked, throttle
from lucy_events.web.errors import Unauthorized
from lucy_events.web.uploaded_files import upload_limit

Answer = tuple[Any, int]


def _access_point() -> AccessPoint:
    """The access point whose token this is; bad tokens count against the address, as
    staff tokens do (``web.auth``)."""
    keys = [address_key(request.remote_addr)]
    refuse_while_blocked(keys)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send the access point's token: 'Authorization: Bearer <token>'")
    point = AccessPoints(services().read_db).owner(token)
    if point is not None:
        return point
    if AccessTokens(services().read_db).owner(token) is not None:
        raise PermissionDenied("a staff token cannot post Peppol documents; use the access "
                               "point's token (lucy-events peppol access-point add)")
    throttle().failed(keys)
    raise Unauthorized("the access point token is not valid (revoked, or never issued)")


def _body() -> bytes:
    limit = upload_limit(current_app.config)
    if (request.content_length or 0) > limit:
        raise FileTooLarge("document", f"is larger than {size_text(limit)}, the limit")
    content = request.stream.read(limit + 1)
    if len(content) > limit:
        raise FileTooLarge("document", f"is larger than {size_text(limit)}, the limit")
    if not content:
        raise InvalidValue("document", "is empty")
    return content


@api.post("/peppol/inbound")
def peppol_inbound() -> Answer:
    """A document received by the firm's Peppol access point (UBL Invoice or CreditNote,
    bare or in an SBD header), authenticated by the access point's token.
    ---
    post:
      tags: [peppol]
      summary: Receive a Peppol document (access points only)
      security: [{accessPoint: []}]
      requestBody:
        required: true
        content:
          application/xml:
            schema:
              type: string
      responses:
        201:
          description: a document of the client it is for, with its validation result
        202:
          description: parked, no client of the firm matches its parties (reason given)
        401: Unauthorized
        403: Forbidden
        413: TooLarge
        422: Unprocessable
    """
    point = _access_point()
    name = (request.headers.get("X-File-Name") or "peppol.xml").rsplit("/", 1)[-1][:255]
    outcome = PeppolInbound(services().app, services().read_db).receive(
        point.firm_id, _body(), name or "peppol.xml")
    written()
    return outcome.as_dict(), 201 if outcome.document_id else 202


def _admin() -> Viewer:
    viewer = current_viewer()
    if not viewer.is_admin:
        raise PermissionDenied("only admins manage Peppol intake")
    return viewer


@api.get("/peppol/parked")
def list_parked_peppol() -> dict[str, Any]:
    """Peppol documents parked because no client matched, with the reason (admins).
    ---
    get:
      tags: [peppol]
      summary: List parked Peppol documents (admins)
      x-roles: [admin]
      responses:
        200:
          description: the parked documents, oldest first
        401: Unauthorized
        403: Forbidden
    """
    viewer = _admin()
    waiting = ParkedDocuments(services().read_db).waiting(viewer.firm_id)
    return {"items": [p.as_dict() for p in waiting]}


@api.post("/peppol/parked/<uuid:parked_id>/replay")
def replay_parked_peppol(parked_id: UUID) -> Answer:
    """Try a parked Peppol document again, once its client exists (admins).
    ---
    post:
      tags: [peppol]
      summary: Replay a parked Peppol document (admins)
      x-roles: [admin]
      responses:
        201:
          description: it became a document of the client it is for
        202:
          description: still no client matches (the reason is updated)
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    viewer = _admin()
    outcome = PeppolInbound(services().app, services().read_db).replay(viewer.firm_id,
                                                                       parked_id)
    written()
    return outcome.as_dict(), 201 if outcome.document_id else 202


_SENDING = PeppolSendingAnswerSchema()


@api.get("/peppol/sending")
def get_peppol_sending() -> dict[str, Any]:
    """The firm's Peppol access point for sending invoices: its API endpoint, and
    whether its token is stored (admins; the token is never shown).
    ---
    get:
      tags: [peppol]
      summary: Read the firm's sending access point (admins)
      x-roles: [admin]
      responses:
        200:
          content:
            application/json:
              schema: PeppolSendingAnswerSchema
        401: Unauthorized
        403: Forbidden
    """
    viewer = _admin()
    return dict(_SENDING.dump(services().peppol_sending().setup(viewer.firm_id).as_dict()))


@api.put("/peppol/sending")
def put_peppol_sending() -> Answer:
    """Set the firm's Peppol access point for sending: the provider's API endpoint and
    its bearer token (kept encrypted; an empty token keeps the stored one) (admins).
    ---
    put:
      tags: [peppol]
      summary: Set the firm's sending access point (admins)
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: PeppolSendingSchema
      responses:
        200:
          content:
            application/json:
              schema: PeppolSendingAnswerSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        422: Unprocessable
    """
    viewer, body = _admin(), json_body(PeppolSendingSchema())
    setup = services().peppol_sending().configure(viewer.firm_id, body["endpoint"],
                                                  body["token"])
    return _SENDING.dump(setup.as_dict()), 200
