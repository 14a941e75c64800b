"""The client's Vault tab: the files shared with the client (tax returns, reports),
uploaded (several at once, drag and drop on top), downloaded and deleted. They are no
accounting documents and are never sent to the package."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from uuid import UUID

from flask import Response, send_file

from lucy_events.history_text import who as actor_name
from lucy_events.intake.files import IncomingFile
from lucy_events.intake.media_types import VAULT_ACCEPTED
from lucy_events.projections.vault_queries import list_vault_files
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import ClientView, attempt, render_client, tab_context
from lucy_events.web.dashboard.pages import firm_directory, services, viewer
from lucy_events.web.dashboard.uploads import Result, upload_form


@tab_context("vault")
def _context(view: ClientView) -> dict[str, Any]:
    who = viewer()
    return {"files": list_vault_files(services().read_db, firm_id=who.firm_id,
                                      client_id=view.id),
            "names": firm_directory().names, "accepted": VAULT_ACCEPTED,
            "actor_name": actor_name}


@dashboard.get("/clients/<uuid:client_id>/vault")
def vault(client_id: UUID) -> tuple[str, int]:
    return render_client("vault", client_id)


@dashboard.post("/clients/<uuid:client_id>/vault/upload")
def upload_to_vault(client_id: UUID) -> Result:
    who = viewer()

    def store(files: list[IncomingFile]) -> int:
        return len(services().app.add_vault_files(who.firm_id, client_id, files, who.actor))

    return upload_form("vault", client_id, store, "file")


@dashboard.get("/clients/<uuid:client_id>/vault/<uuid:file_id>")
def download_vault_file(client_id: UUID, file_id: UUID) -> Response:
    who = viewer()
    shared, content = services().app.vault_file(who.firm_id, client_id, file_id, who.actor)
    response = send_file(BytesIO(content), mimetype=shared.media_type, as_attachment=True,
                         download_name=shared.file_name)
    # Shared files came from outside: never let a browser run one as a page of this site.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


@dashboard.post("/clients/<uuid:client_id>/vault/<uuid:file_id>/delete")
def delete_vault_file(client_id: UUID, file_id: UUID) -> Result:
    who = viewer()
    deleted: list[str] = []

    def command() -> None:
        deleted.append(services().app.delete_vault_file(
            who.firm_id, client_id, file_id, who.actor).file_name)

    return attempt("vault", client_id, "vault", command,
                   lambda: f"{deleted[0]} was deleted from the vault.")
