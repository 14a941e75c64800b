"""``lucy-events history``: a client's audit trail in the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from lucy_events.aggregates.errors import DomainError
from lucy_events.cli.common import services as cli_services
from lucy_events.history_text import format_history, resolve_client


@click.command()
@click.argument("client")
@click.option(
    "--as-of", "as_of", default=None,
    help="Only what happened up to this ISO date/time (UTC).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def history(client: str, as_of: str | None, as_json: bool) -> None:
    """Show what happened to CLIENT (id, name, enterprise or VAT number) and its documents."""
    services = cli_services()
    try:
        summary = resolve_client(services.app, client)
        cutoff = _as_of(as_of)
        entries = services.app.client_history(summary.firm_id, summary.client_id, as_of=cutoff)
        firm = services.app.firm(summary.firm_id)
        if as_json:
            for entry in entries:
                click.echo(json.dumps({
                    "at": entry.at.isoformat(), "actor": entry.actor, "subject": entry.subject,
                    "subject_id": str(entry.subject_id), "version": entry.version,
                    "event": entry.event_type, "details": entry.details,
                }, default=str))
        else:
            click.echo(format_history(summary, entries, {**firm.staff_names, **firm.teams}))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


def _as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date or date-time", param_hint="--as-of"
        ) from None
    if len(value) == 10:  # a bare date means "up to the end of that day"
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


COMMANDS = [history]
