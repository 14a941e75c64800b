"""``lucy-events retention run``: remove the files of documents past their 10 years."""

from __future__ import annotations

import click

from lucy_events.audit.retention import run_retention
from lucy_events.cli.common import services as cli_services


@click.group()
def retention() -> None:
    """Documents are kept 10 years from their receipt; their events for good."""


@retention.command("run")
def run() -> None:
    """Record on each document past its retention that its files go, then remove the
    files no kept document or vault file still refers to."""
    services = cli_services()
    try:
        outcome = run_retention(services.app, services.app.clock())
    finally:
        services.close()
    click.echo(f"{outcome.documents} documents past their retention; "
               f"{outcome.blobs_removed} files removed, {outcome.blobs_kept} kept "
               "(still referred to by a kept document or vault file)")


COMMANDS = [retention]
