"""Failed deliveries across the firm: why each failed, and sending them again in bulk.

Admins see and retry every client's; accountants see those of the clients they may see
and retry from each client's documents tab."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, render_template, request

from lucy_events.aggregates.errors import InvalidValue, PermissionDenied
from lucy_events.aggregates.packages import PACKAGES
from lucy_events.projections import get_client_row
from lucy_events.routers.failed import list_failed, retry_failed
from lucy_events.web.dashboard import dashboard
from lucy_events.web.dashboard.pages import done, role, services, viewer


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidValue("since", "give a date as YYYY-MM-DD") from None


@dashboard.get("/deliveries")
def failed_deliveries() -> tuple[str, int]:
    who, db = viewer(), services().read_db
    package = request.args.get("integration") or None
    error = None
    try:
        since = _since(request.args.get("since"))
    except InvalidValue as problem:
        since, error = None, problem
    rows = list_failed(db, firm_id=who.firm_id, package=package, since=since)
    if not who.is_admin:  # only the clients this accountant may see
        visible = {row.document.client_id for row in rows if get_client_row(
            db, firm_id=who.firm_id, client_id=row.document.client_id,
            viewer_staff_id=who.staff_id, viewer_role=role(who))}
        rows = [row for row in rows if row.document.client_id in visible]
    packages = sorted((p.code, p.name) for p in PACKAGES.values() if p.code != "none")
    return render_template(
        "dashboard/deliveries.html", rows=rows, packages=packages, chosen=package,
        since=request.args.get("since", ""), error=error,
    ), 400 if error else 200


@dashboard.post("/deliveries/retry")
def retry_deliveries() -> Response:
    who = viewer()
    if not who.is_admin:
        raise PermissionDenied("only an admin sends the firm's failed deliveries again")
    package = request.form.get("integration") or None
    report = retry_failed(services().app, services().read_db, firm_id=who.firm_id,
                          package=package, since=_since(request.form.get("since")),
                          by=who.actor, retryable=True)
    message = f"{len(report.requested)} documents are being sent again"
    if report.skipped:
        message += f"; {len(report.skipped)} could not be (already sent or being sent)"
    return done(message + ".", "dashboard.failed_deliveries")
