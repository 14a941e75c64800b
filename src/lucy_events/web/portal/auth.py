"""Who is asking on the client's side: a client user's session (the portal's pages and
its API under ``/api/v1/portal``).

How another page gets the signed-in client user::

    from lucy_events.web.portal.auth import client_user_required, current_client_user

    @portal.get("/destinations")          # or any blueprint, any route
    @client_user_required                 # 401 (API) / sign-in page (portal) otherwise
    def destinations() -> str:
        who = current_client_user()       # ClientViewer: user, firm_id, client_id, actor
        ...  # who.actor is Actor.client_user(...), for the commands' ``by``

The session lives under its own key (``CLIENT_SESSION_ID``) of the signed cookie, never
under the staff key, so a client user's cookie is no staff member's session (every staff
operation refuses it: 401), and a staff session is no client user's. Each request finds
the session in the store (``client_sessions``): signing out, or an owner removing the
user, ends it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import current_app, g, session

from lucy_events.aggregates.actors import Actor
from lucy_events.client_sessions import ClientSessions
from lucy_events.client_users import ClientUser, ClientUsers
from lucy_events.web.errors import Unauthorized

F = TypeVar("F", bound=Callable[..., Any])
#: The signed cookie's key for a client user's session id.
CLIENT_SESSION_ID = "client_sid"


@dataclass(frozen=True)
class ClientViewer:
    """The signed-in client user, their company and its firm."""

    user: ClientUser
    firm_id: UUID
    client_id: UUID

    @property
    def actor(self) -> Actor:
        return Actor.client_user(self.user.user_id, self.client_id)

    @property
    def is_owner(self) -> bool:
        return self.user.is_owner


def client_sessions() -> ClientSessions:
    return ClientSessions(current_app.extensions["lucy"].read_db)


def current_client_user() -> ClientViewer:
    """The signed-in client user; ``Unauthorized`` when there is none (any more)."""
    if "client_viewer" not in g:
        session_id = session.get(CLIENT_SESSION_ID)
        if not session_id:
            raise Unauthorized("sign in to your company's portal")
        found = client_sessions().find(str(session_id))
        user = ClientUsers(current_app.extensions["lucy"].read_db).find(found.user_id) \
            if found else None
        if found is None or user is None:
            session.pop(CLIENT_SESSION_ID, None)
            raise Unauthorized("the session has ended; sign in again")
        g.client_viewer = ClientViewer(user, found.firm_id, found.client_id)
    viewer: ClientViewer = g.client_viewer
    return viewer


def signed_in_client_user() -> ClientViewer | None:
    """The signed-in client user, or None (for pages that show either way)."""
    try:
        return current_client_user()
    except Unauthorized:
        return None


def client_user_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_client_user()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def start_client_session(user: ClientUser) -> None:
    """Sign the browser in as ``user`` (ending a client session it had)."""
    previous = session.get(CLIENT_SESSION_ID)
    if previous:
        client_sessions().end(str(previous), "signed in again")
    session[CLIENT_SESSION_ID] = client_sessions().start(user.user_id, user.client_id,
                                                         user.firm_id)
    g.pop("client_viewer", None)


def end_client_session(why: str) -> None:
    previous = session.pop(CLIENT_SESSION_ID, None)
    if previous:
        client_sessions().end(str(previous), why)
    g.pop("client_viewer", None)
