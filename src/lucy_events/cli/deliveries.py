"""``lucy-events deliveries``: failed deliveries, their reasons, and replaying them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import click

from lucy_events.cli.common import services as cli_services
from lucy_events.routers.failed import list_failed, retry_failed
from lucy_events.routers.stuck import resend_stuck, stuck_deliveries

FILTERS = [
    click.option("--firm", "firm_id", type=click.UUID, default=None, help="Only this firm."),
    click.option("--client", "client_id", type=click.UUID, default=None, help="Only this client."),
    click.option("--integration", "package", default=None,
                 help="Only clients linked to this package (e.g. exact-online-api)."),
    click.option("--since", default=None, help="Only failures since this ISO date/time (UTC)."),
]


def _filters(function):  # type: ignore[no-untyped-def]
    for option in reversed(FILTERS):
        function = option(function)
    return function


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date", param_hint="--since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.group()
def deliveries() -> None:
    """Failed and stuck deliveries: list them, send them again."""


@deliveries.command("failed")
@_filters
def failed(firm_id: UUID | None, client_id: UUID | None, package: str | None,
           since: str | None) -> None:
    """A table of failed deliveries with their reasons, by client and integration."""
    services = cli_services()
    try:
        rows = list_failed(services.read_db, firm_id=firm_id, client_id=client_id,
                           package=package, since=_since(since))
        click.echo(f"{'failed at':<17} {'client':<24} {'integration':<18} {'try':>3} "
                   f"{'retry':<5} {'document':<24} reason")
        for row in rows:
            document = row.document
            click.echo(
                f"{document.status_at:%Y-%m-%d %H:%M} {(row.client_name or '?')[:24]:<24} "
                f"{(row.integration_package or '-')[:18]:<18} {document.attempts:>3} "
                f"{'yes' if document.retryable else 'no':<5} {document.file_name[:24]:<24} "
                f"{document.failure_reason}")
        click.echo(f"{len(rows)} failed deliveries")
    finally:
        services.close()


@deliveries.command("retry")
@_filters
def retry(firm_id: UUID | None, client_id: UUID | None, package: str | None,
          since: str | None) -> None:
    """Send the matching Failed documents again (never a Sent one)."""
    services = cli_services()
    try:
        report = retry_failed(services.app, services.read_db, firm_id=firm_id,
                              client_id=client_id, package=package, since=_since(since))
        for document_id, reason in report.skipped.items():
            click.echo(f"skipped {document_id}: {reason}")
        click.echo(f"{len(report.requested)} documents asked to be sent again, "
                   f"{len(report.skipped)} skipped")
    finally:
        services.close()


@deliveries.command("stuck")
@click.option("--older-than", "minutes", type=click.IntRange(min=1), default=30,
              show_default=True, help="Minutes in Sending before a document counts as stuck.")
@click.option("--firm", "firm_id", type=click.UUID, default=None, help="Only this firm.")
@click.option("--resend", is_flag=True,
              help="Send them again (the package's delivery key prevents a second copy).")
def stuck(minutes: int, firm_id: UUID | None, resend: bool) -> None:
    """Documents stuck in Sending longer than the threshold; --resend sends them again."""
    requested_before = datetime.now(UTC) - timedelta(minutes=minutes)
    services = cli_services()
    try:
        rows = stuck_deliveries(services.read_db, requested_before=requested_before,
                                firm_id=firm_id)
        click.echo(f"{'sending since':<17} {'client':<24} {'integration':<18} {'try':>3} "
                   f"{'document id':<36} file")
        for row in rows:
            document = row.document
            click.echo(f"{document.status_at:%Y-%m-%d %H:%M} {(row.client_name or '?')[:24]:<24} "
                       f"{(row.integration_package or '-')[:18]:<18} {document.attempts:>3} "
                       f"{document.document_id!s:<36} {document.file_name[:40]}")
        click.echo(f"{len(rows)} documents in Sending for more than {minutes} minutes")
        if resend:
            report = resend_stuck(services.app, services.read_db,
                                  requested_before=requested_before, firm_id=firm_id)
            for document_id, reason in report.skipped.items():
                click.echo(f"skipped {document_id}: {reason}")
            click.echo(f"{len(report.requested)} documents asked to be sent again, "
                       f"{len(report.skipped)} skipped")
    finally:
        services.close()


@deliveries.command("multisend-failed")
@click.option("--client", "client_id", type=click.UUID, default=None, help="Only this client.")
def multisend_failed(client_id: UUID | None) -> None:
    """The clients' multisender sendings that failed, with the relay's reasons."""
    from lucy_events.multisender.failed import failed_sendings

    services = cli_services()
    try:
        rows = failed_sendings(services.app, client_id=client_id)
        click.echo(f"{'failed at':<17} {'client id':<36} {'to':<28} {'try':>3} {'retry':<5} "
                   f"{'sending id':<36} reason")
        for row in rows:
            sending = row.sending
            click.echo(f"{sending.at:%Y-%m-%d %H:%M} {row.client_id!s:<36} "
                       f"{sending.address[:28]:<28} {sending.attempt:>3} "
                       f"{'yes' if sending.retryable else 'no':<5} {sending.sending_id!s:<36} "
                       f"{sending.reason}")
        click.echo(f"{len(rows)} failed multisender sendings")
    finally:
        services.close()


@deliveries.command("multisend-retry")
@click.option("--client", "client_id", type=click.UUID, default=None, help="Only this client.")
@click.option("--sending", "sending_id", type=click.UUID, default=None,
              help="Only this sending.")
def multisend_retry(client_id: UUID | None, sending_id: UUID | None) -> None:
    """Send the matching failed multisender sendings again (never a sent one)."""
    from lucy_events.multisender.failed import retry_failed

    services = cli_services()
    try:
        report = retry_failed(services.multisender(), client_id=client_id,
                              sending_id=sending_id)
        for skipped, reason in report.skipped.items():
            click.echo(f"skipped {skipped}: {reason}")
        click.echo(f"{len(report.requested)} sendings asked to go again, "
                   f"{len(report.skipped)} skipped")
    finally:
        services.close()


COMMANDS = [deliveries]
