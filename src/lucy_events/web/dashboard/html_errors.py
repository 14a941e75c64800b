"""The dashboard's errors as pages: the API's handlers answer JSON, a person gets HTML.

Not signed in (or no longer a staff member) leads to the sign-in page and back; a client
the viewer may not see is "not found", like one that does not exist.
"""

from __future__ import annotations

import structlog
from flask import Response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound, PermissionDenied
from lucy_events.web.dashboard import dashboard
from lucy_events.web.errors import Unauthorized

log = structlog.get_logger()


def error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("dashboard/error.html", status=status, title=title,
                           message=message), status


@dashboard.errorhandler(Unauthorized)
def _sign_in_first(error: Unauthorized) -> Response:
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("dashboard.signin", next=back))  # type: ignore[return-value]


@dashboard.errorhandler(NotFound)
def _not_found(error: NotFound) -> tuple[str, int]:
    return error_page(404, "Not found", "There is nothing here, or you may not see it.")


@dashboard.errorhandler(PermissionDenied)
def _forbidden(error: PermissionDenied) -> tuple[str, int]:
    return error_page(403, "Not allowed", str(error).capitalize())


@dashboard.errorhandler(InvalidValue)
def _invalid(error: InvalidValue) -> tuple[str, int]:
    """A value in the address (a tab, a page) that no link of the dashboard makes."""
    return error_page(422, "Not understood", str(error).capitalize())


@dashboard.errorhandler(DomainError)
def _rule(error: DomainError) -> tuple[str, int]:
    return error_page(409, "That did not work", str(error).capitalize())


@dashboard.errorhandler(HTTPException)
def _http(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    page, status = error_page(error.code or 500, error.name, error.description or "")
    return page, status, [(name, value) for name, value in error.get_headers()
                          if name.lower() != "content-type"]


@dashboard.errorhandler(Exception)
def _unexpected(error: Exception) -> tuple[str, int]:
    log.exception("unexpected error on a dashboard page")
    return error_page(500, "Something went wrong", "It was logged. Try again in a moment.")
