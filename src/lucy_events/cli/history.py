"""``lucy-events history``: a client's audit trail in the terminal, as it stood at a
moment, or exported over a period (CSV, JSON or a printable HTML page)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from lucy_events.aggregates.errors import DomainError
from lucy_events.audit.export import FORMATS, export, heading
from lucy_events.audit.records import as_of_record, entry_record
from lucy_events.audit.verify import head_of
from lucy_events.cli.common import services as cli_services
from lucy_events.history_text import format_as_of, format_history, resolve_client


@click.command()
@click.argument("client")
@click.option("--as-of", "as_of", default=None,
              help="Only what happened up to this ISO date/time (UTC unless it says), and "
                   "the client and its documents as they stood then.")
@click.option("--from", "since", default=None,
              help="Only what happened from this ISO date/time on.")
@click.option("--to", "until", default=None,
              help="Only what happened up to this ISO date/time (a date: its end).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Export the history over --from/--to as CSV, JSON or a printable HTML "
                   "page, stating the hash-chain head it was taken at.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def history(client: str, as_of: str | None, since: str | None, until: str | None,
            fmt: str | None, as_json: bool) -> None:
    """Show what happened to CLIENT (id, name, enterprise or VAT number) and its documents."""
    cutoff = _moment(as_of, "--as-of", end_of_day=True)
    start = _moment(since, "--from", end_of_day=False)
    end = _moment(until, "--to", end_of_day=True) or cutoff
    services = cli_services()
    try:
        app = services.app
        summary = resolve_client(app, client)
        head = head_of(app.recorder)  # before reading: the export holds no later event
        entries = app.client_history(summary.firm_id, summary.client_id, as_of=end,
                                     since=start)
        if fmt is not None:
            top = heading(summary.client_id, summary.name, start, end, head)
            click.echo(export(fmt, top, entries), nl=False)
            return
        state = (app.client_as_of(summary.firm_id, summary.client_id, cutoff)
                 if cutoff is not None else None)
        if as_json:
            for entry in entries:
                click.echo(json.dumps(entry_record(entry)))
            if state is not None:
                click.echo(json.dumps({"as_of": as_of_record(state)}))
        else:
            if state is not None:
                click.echo(format_as_of(state))
            click.echo(format_history(summary, entries))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


def _moment(value: str | None, option: str, *, end_of_day: bool) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date or date-time", param_hint=option
        ) from None
    if len(value) == 10 and end_of_day:  # a bare date means "up to the end of that day"
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


COMMANDS = [history]
