"""Who is asking: a staff member's bearer token (API) or their session (dashboard).

Every request resolves the staff member through the firm's current state, so a removed
colleague or a changed role takes effect at once. A session is found by its id in the
store (``staff_sessions``), so signing out, leaving the firm or a changed role ends it
everywhere. Failed bearer tokens count against the caller's address
(``auth_throttle``): past the limit, a 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

import structlog
from flask import current_app, g, request, session
from werkzeug.exceptions import TooManyRequests

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import NotFound
from lucy_events.auth_throttle import AuthThrottle, address_key
from lucy_events.staff_sessions import StaffSessions
from lucy_events.web.errors import Unauthorized

log = structlog.get_logger()
F = TypeVar("F", bound=Callable[..., Any])
#: The session cookie's key for the session id (the store knows whose it is).
SESSION_ID = "sid"


@dataclass(frozen=True)
class Viewer:
    firm_id: UUID
    staff_id: UUID
    actor: Actor
    name: str

    @property
    def is_admin(self) -> bool:
        return self.actor.is_admin


def throttle() -> AuthThrottle:
    return AuthThrottle(current_app.extensions["lucy"].read_db,
                        current_app.config.get("LUCY_AUTH_LIMITS"))


def refuse_while_blocked(keys: list[str]) -> None:
    wait = throttle().retry_after(keys)
    if wait is not None:
        log.warning("authentication throttled", keys=keys, retry_after=wait)
        raise TooManyRequests("too many failed sign-ins or tokens from here; "
                              f"try again in {wait} seconds", retry_after=wait)


def sessions() -> StaffSessions:
    return StaffSessions(current_app.extensions["lucy"].read_db)


def _token_owner(header: str) -> tuple[UUID, UUID]:
    """An ``Authorization`` header, even an empty one, is the credential: it must hold
    a valid bearer token (a session cookie beside it does not count)."""
    keys = [address_key(request.remote_addr)]
    refuse_while_blocked(keys)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        throttle().failed(keys)
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    owner = AccessTokens(current_app.extensions["lucy"].read_db).owner(token.strip())
    if owner is None:
        throttle().failed(keys)
        log.warning("bearer token refused", address=request.remote_addr)
        raise Unauthorized("the token is not valid (revoked, expired, or never issued)")
    g.authenticated_by = "token"
    return owner.firm_id, owner.staff_id


def _owner() -> tuple[UUID, UUID, str | None]:
    """Firm and staff ids, and the role a session was started with (None: a token)."""
    if "Authorization" in request.headers:
        return (*_token_owner(request.headers["Authorization"]), None)
    session_id = session.get(SESSION_ID)
    if session_id:
        found = sessions().find(str(session_id))
        if found is None:
            session.clear()
            raise Unauthorized("the session has ended; sign in again")
        g.authenticated_by = "session"
        return found.firm_id, found.staff_id, found.role
    raise Unauthorized("sign in, or send a bearer token")


def current_viewer() -> Viewer:
    if "viewer" not in g:
        firm_id, staff_id, signed_in_as = _owner()
        app = current_app.extensions["lucy"].app
        try:
            member = app.firm(firm_id).member(staff_id)
        except NotFound:
            if sessions().end_all(staff_id, "left the firm"):
                log.info("sessions ended", staff_id=str(staff_id), why="left the firm")
            session.clear()
            raise Unauthorized("this staff member no longer works at the firm") from None
        if signed_in_as is not None and signed_in_as != member.role.value:
            sessions().end_all(staff_id, "role changed")
            log.info("sessions ended", staff_id=str(staff_id), why="role changed")
            session.clear()
            raise Unauthorized("your role has changed; sign in again")
        g.viewer = Viewer(firm_id, staff_id, member.actor, member.name)
    viewer: Viewer = g.viewer
    return viewer


def credential_hash() -> str:
    """A hash of the credential this request came with (its bearer token, or its
    dashboard session's id), for a flow that one request starts and only the same
    credential may finish (the package consent's state); never the credential itself."""
    current_viewer()
    if authenticated_by_token():
        credential = "token:" + request.headers["Authorization"].partition(" ")[2].strip()
    else:
        credential = "session:" + str(session.get(SESSION_ID))
    return hashlib.sha256(credential.encode()).hexdigest()


def authenticated_by_token() -> bool:
    """Whether this request's viewer was found from a bearer token (not a cookie)."""
    return g.get("authenticated_by") == "token"


def staff_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_viewer()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
