"""The client's Allowed senders tab: who may send documents to the client's inbox, as
full addresses or whole domains, one a line."""

from __future__ import annotations

import re
from uuid import UUID

from flask import Response, request

from lucy_events.aggregates.errors import InvalidValue
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.client_page import attempt, render_client
from lucy_events.web.dashboard.pages import services, viewer

_LINE = re.compile(r"^senders\[(\d+)\]$")


@dashboard.get("/clients/<uuid:client_id>/senders")
def senders(client_id: UUID) -> tuple[str, int]:
    return render_client("senders", client_id)


@dashboard.post("/clients/<uuid:client_id>/senders")
def change_senders(client_id: UUID) -> Response | tuple[str, int]:
    who, app = viewer(), services().app
    typed = request.form.get("senders", "").splitlines()
    numbered = [(number, line.strip()) for number, line in enumerate(typed, 1) if line.strip()]
    chosen = [sender for _, sender in numbered]

    def change() -> None:
        try:
            app.change_allowed_senders(who.firm_id, client_id, chosen, who.actor)
        except InvalidValue as error:
            # The domain names the list item (senders[2]); a person reads "line 3".
            found = _LINE.match(error.field)
            if not found:
                raise
            line = numbered[int(found[1])][0]
            raise InvalidValue("senders", f"line {line}: {error.message}") from None

    count = len(set(chosen))
    return attempt("senders", client_id, "senders", change,
                   f"{count} allowed sender{'s' if count != 1 else ''} saved." if count
                   else "The list of allowed senders is empty now.",
                   values=request.form)
