"""Who is asking: a staff member's bearer token (API) or their session (dashboard).

Every request resolves the staff member through the firm's current state, so a removed
colleague or a changed role takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from flask import current_app, g, request, session

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import NotFound
from lucy_events.web.errors import Unauthorized

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Viewer:
    firm_id: UUID
    staff_id: UUID
    actor: Actor
    name: str

    @property
    def is_admin(self) -> bool:
        return self.actor.is_admin


def _owner() -> tuple[UUID, UUID]:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        owner = AccessTokens(current_app.extensions["lucy"].read_db).owner(token.strip())
        if owner is None:
            raise Unauthorized("the token is not valid (revoked, or never issued)")
        return owner.firm_id, owner.staff_id
    if "staff_id" in session:
        return UUID(session["firm_id"]), UUID(session["staff_id"])
    raise Unauthorized("sign in, or send a bearer token")


def current_viewer() -> Viewer:
    if "viewer" not in g:
        firm_id, staff_id = _owner()
        app = current_app.extensions["lucy"].app
        try:
            member = app.firm(firm_id).member(staff_id)
        except NotFound:
            session.clear()
            raise Unauthorized("this staff member no longer works at the firm") from None
        g.viewer = Viewer(firm_id, staff_id, member.actor, member.name)
    viewer: Viewer = g.viewer
    return viewer


def staff_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_viewer()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
