"""A client's settings, one sub-resource each: Peppol, the integration, allowed senders,
team, auto-send. Any staff member of the firm may change them (admin-only settings are
in ``client_admin``). Each answers the client as it now reads."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from lucy_events.web.api.access import referenced, services
from lucy_events.web.api.blueprint import api
from lucy_events.web.api.clients import answer_written
from lucy_events.web.api.inputs import json_body
from lucy_events.web.api.schemas.settings import (
    AllowedSendersSchema,
    AutoSendSchema,
    IntegrationSchema,
    PeppolSchema,
    TeamSchema,
)
from lucy_events.web.auth import current_viewer
from lucy_events.web.peppol_check import check_registration

Answer = tuple[Any, int]


@api.put("/clients/<uuid:client_id>/peppol")
def put_peppol(client_id: UUID) -> Answer:
    """Switch Peppol sending and receiving to the state given.
    ---
    put:
      tags: [client settings]
      summary: Set Peppol sending and receiving
      requestBody:
        required: true
        content:
          application/json:
            schema: PeppolSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409:
          description: "receiving needs confirm_registration: the company is registered
            with another Peppol provider, or the lookup failed (peppol_registration_to_confirm)"
          content:
            application/json:
              schema: ErrorSchema
    """
    viewer, body = current_viewer(), json_body(PeppolSchema())
    app, send, receive = services().app, body["send"], body["receive"]
    client = app.client(viewer.firm_id, client_id, viewer.actor)
    warning = (check_registration(client).warning
               if receive and not client.peppol_receive else "")
    # One command for both directions (security's fix), with the lookup's warning.
    app.set_peppol(viewer.firm_id, client_id, send, receive, viewer.actor,
                   registration_warning=warning, confirmed=body["confirm_registration"])
    return answer_written(viewer, client_id)


@api.get("/clients/<uuid:client_id>/peppol/registration")
def get_peppol_registration(client_id: UUID) -> dict[str, Any]:
    """The company's Peppol registration: the SML/SMP lookup of its participant ids
    (0208 and 9925 in Belgium), the SMP each is registered with and its document types,
    the firm's own SMP, and the warning to confirm before receiving, if any.
    ---
    get:
      tags: [client settings]
      summary: Look the company up on Peppol
      responses:
        200:
          content:
            application/json:
              schema:
                type: object
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    client = services().app.client(viewer.firm_id, client_id, viewer.actor)
    return check_registration(client).as_dict()


@api.delete("/clients/<uuid:client_id>/peppol")
def delete_peppol(client_id: UUID) -> Answer:
    """Disable Peppol in both directions.
    ---
    delete:
      tags: [client settings]
      summary: Disable Peppol
      responses:
        200: Client
        202: Accepted
        401: Unauthorized
        404: NotFound
    """
    viewer = current_viewer()
    services().app.disable_peppol(viewer.firm_id, client_id, True, True, viewer.actor)
    return answer_written(viewer, client_id)


@api.put("/clients/<uuid:client_id>/integration")
def put_integration(client_id: UUID) -> Answer:
    """Link the client's accounting package (one at a time: unlink the other first).
    ---
    put:
      tags: [client settings]
      summary: Link an accounting package
      requestBody:
        required: true
        content:
          application/json:
            schema: IntegrationSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        409: Conflict
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(IntegrationSchema())
    services().app.link_integration(viewer.firm_id, client_id, body["package"], viewer.actor,
                                    settings=body["settings"], ubl=body["ubl"])
    return answer_written(viewer, client_id)


@api.delete("/clients/<uuid:client_id>/integration")
def delete_integration(client_id: UUID) -> Answer:
    """Unlink the client's accounting package.
    ---
    delete:
      tags: [client settings]
      summary: Unlink the accounting package
      responses:
        200: Client
        202: Accepted
        401: Unauthorized
        404: NotFound
        409: Conflict
    """
    viewer = current_viewer()
    services().app.unlink_integration(viewer.firm_id, client_id, viewer.actor)
    return answer_written(viewer, client_id)


@api.put("/clients/<uuid:client_id>/allowed-senders")
def put_allowed_senders(client_id: UUID) -> Answer:
    """Who may send documents to the client's inbox address.
    ---
    put:
      tags: [client settings]
      summary: Replace the allowed senders
      requestBody:
        required: true
        content:
          application/json:
            schema: AllowedSendersSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(AllowedSendersSchema())
    services().app.change_allowed_senders(viewer.firm_id, client_id, body["senders"],
                                          viewer.actor)
    return answer_written(viewer, client_id)


@api.put("/clients/<uuid:client_id>/team")
def put_team(client_id: UUID) -> Answer:
    """Assign the client to one of the firm's teams, or to none.
    ---
    put:
      tags: [client settings]
      summary: Assign a team
      requestBody:
        required: true
        content:
          application/json:
            schema: TeamSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
        422: Unprocessable
    """
    viewer, body = current_viewer(), json_body(TeamSchema())
    with referenced(team="team_id"):
        services().app.assign_team(viewer.firm_id, client_id, body["team_id"], viewer.actor)
    return answer_written(viewer, client_id)


@api.put("/clients/<uuid:client_id>/auto-send")
def put_auto_send(client_id: UUID) -> Answer:
    """Whether recognised documents are sent as soon as they arrive.
    ---
    put:
      tags: [client settings]
      summary: Switch auto-send
      requestBody:
        required: true
        content:
          application/json:
            schema: AutoSendSchema
      responses:
        200: Client
        202: Accepted
        400: BadRequest
        401: Unauthorized
        404: NotFound
    """
    viewer, body = current_viewer(), json_body(AutoSendSchema())
    services().app.change_auto_send(viewer.firm_id, client_id, body["auto_send"], viewer.actor)
    return answer_written(viewer, client_id)
