"""The ``lucy-events`` command: thin entry points over bootstrap and the application.

Each command group lives in its own module and is registered here.
"""

from __future__ import annotations

import click

from lucy_events.cli import (
    audit,
    bus,
    consumers,
    dead_letters,
    deliveries,
    erase,
    history,
    invoices,
    kbo,
    notify,
    peppol,
    recognition,
    retention,
    schemas,
    serve,
    smtp,
    staff,
)


@click.group()
@click.version_option(package_name="lucy-events")
def main() -> None:
    """lucy-events: event-sourced document routing for accounting firms."""


COMMAND_MODULES = (
    serve,
    history,
    bus,
    schemas,
    consumers,
    staff,
    deliveries,
    dead_letters,
    peppol,
    recognition,
    smtp,
    kbo,
    audit,
    retention,
    erase,
    notify,
    invoices,
)

for module in COMMAND_MODULES:
    for command in module.COMMANDS:
        main.add_command(command)
