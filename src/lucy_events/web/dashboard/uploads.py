"""Uploading documents on the client's Accounting documents tab: several files with a
plain multipart form (drag and drop on top, in dashboard.js), each checked like any
upload (``intake.files``); one refused file refuses them all, named beside the input."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import Response, current_app, request
from marshmallow import ValidationError

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.application import IncomingDocument
from lucy_events.intake.files import Destination, IncomingFile
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import attempt
from lucy_events.web.dashboard.pages import services, viewer
from lucy_events.web.uploaded_files import upload_limit, uploaded_files

Result = Response | tuple[str, int]


def files_of_the_form(destination: Destination) -> list[IncomingFile]:
    """The form's files; every refusal is an error of its one ``file`` input."""
    try:
        return uploaded_files(current_app.config, destination)
    except ValidationError:
        raise InvalidValue("file", "choose one or more files") from None
    except InvalidValue as error:
        raise type(error)("file", error.message) from None


def upload_form(tab: str, client_id: UUID, store: Callable[[list[IncomingFile]], int],
                what: str) -> Result:
    """Run an upload form of a tab: ``store`` keeps the files and says how many."""
    stored: list[int] = []

    def command() -> None:
        services().app.client(viewer().firm_id, client_id, viewer().actor)
        stored.append(store(files_of_the_form(
            Destination.VAULT if tab == "vault" else Destination.DOCUMENTS)))

    def message() -> str:
        count = stored[0]
        return f"{count} {what}{'s' if count != 1 else ''} uploaded."

    return attempt(tab, client_id, "upload", command, message, values=request.form)


@dashboard.context_processor
def _limit() -> dict[str, object]:
    return {"upload_limit": upload_limit(current_app.config)}


@dashboard.post("/clients/<uuid:client_id>/documents/upload")
def upload_documents(client_id: UUID) -> Result:
    who = viewer()
    chosen = request.form.get("document_type") or None

    def store(files: list[IncomingFile]) -> int:
        return len(services().app.receive_documents([
            IncomingDocument(who.firm_id, client_id, file.content, file.file_name,
                             file.media_type, "upload", document_type=chosen)
            for file in files], who.actor))

    return upload_form("documents", client_id, store, "document")
