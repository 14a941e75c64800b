"""What every portal page shares: the dashboard's CSRF check (the same token in the same
session) and browser policy (security headers), the signed-in client user and the words
for the top bar, the language switch, and errors as pages (not signed in leads to the
portal's sign-in page)."""

from __future__ import annotations

from typing import Any

import structlog
from flask import Response, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from lucy_events.aggregates.errors import DomainError, InvalidValue, NotFound, PermissionDenied
from lucy_events.bootstrap import Services
from lucy_events.web.dashboard.browser_policy import apply_policy
from lucy_events.web.dashboard.csrf import check_csrf, token_in_templates
from lucy_events.web.dashboard.pages import safe_next
from lucy_events.web.errors import Unauthorized
from lucy_events.web.portal import portal
from lucy_events.web.portal.auth import signed_in_client_user
from lucy_events.web.portal.wording import LANGUAGES, choose_language, language, t

log = structlog.get_logger()
portal.before_request(check_csrf)
portal.after_request(apply_policy)


def services() -> Services:
    found: Services = current_app.extensions["lucy"]
    return found


@portal.context_processor
def _frame() -> dict[str, Any]:
    who = signed_in_client_user()
    company = services().app.client_for_operator(who.client_id).name if who else None
    return {**token_in_templates(), "t": t, "language": language(), "languages": LANGUAGES,
            "client_viewer": who, "company_name": company}


@portal.get("/language/<code>")
def switch_language(code: str) -> Response:
    choose_language(code)
    return redirect(safe_next(request.args.get("next"), url_for("portal.inbox")))  # type: ignore[return-value]


def error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("portal/error.html", status=status, title=title,
                           message=message), status


@portal.errorhandler(Unauthorized)
def _sign_in_first(error: Unauthorized) -> Response:
    back = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("portal.signin", next=back))  # type: ignore[return-value]


@portal.errorhandler(NotFound)
def _not_found(error: NotFound) -> tuple[str, int]:
    return error_page(404, "Not found", "There is nothing here, or you may not see it.")


@portal.errorhandler(PermissionDenied)
def _forbidden(error: PermissionDenied) -> tuple[str, int]:
    return error_page(403, "Not allowed", str(error).capitalize())


@portal.errorhandler(InvalidValue)
def _invalid(error: InvalidValue) -> tuple[str, int]:
    return error_page(422, "Not understood", str(error).capitalize())


@portal.errorhandler(DomainError)
def _rule(error: DomainError) -> tuple[str, int]:
    return error_page(409, "That did not work", str(error).capitalize())


@portal.errorhandler(HTTPException)
def _http(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    page, status = error_page(error.code or 500, error.name, error.description or "")
    return page, status, [(name, value) for name, value in error.get_headers()
                          if name.lower() != "content-type"]


@portal.errorhandler(Exception)
def _unexpected(error: Exception) -> tuple[str, int]:
    log.exception("unexpected error on a portal page")
    return error_page(500, "Something went wrong", "It was logged. Try again in a moment.")
