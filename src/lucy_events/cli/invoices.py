"""``lucy-events invoices export DIR [--client C]``: issued invoices' UBL and PDF."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import click

from lucy_events.cli.common import services as cli_services
from lucy_events.invoicing.export import export_invoices


@click.group()
def invoices() -> None:
    """Sales invoices the clients issued."""


@invoices.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", "client_id", type=click.UUID, default=None,
              help="Only this client's invoices (its id).")
def export_command(directory: Path, client_id: UUID | None) -> None:
    """Write each issued invoice's UBL and PDF under DIRECTORY/<client id>/, named by
    number, for auditors."""
    services = cli_services()
    try:
        exported = export_invoices(services.app, directory, client_id)
    finally:
        services.close()
    for item in exported:
        click.echo(f"{item.client_id} {item.number}: {item.files[0].name}, {item.files[1].name}")
    click.echo(f"{len(exported)} invoices and credit notes written under {directory}", err=True)


COMMANDS = (invoices,)
