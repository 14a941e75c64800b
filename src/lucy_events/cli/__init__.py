"""The ``lucy-events`` command: thin entry points over bootstrap and the application.

Each command group lives in its own module and is registered here.
"""

from __future__ import annotations

import click

from lucy_events.cli import bus, consumers, deliveries, history, schemas, serve, staff
from lucy_events.cli import smtp as smtp_cli


@click.group()
@click.version_option(package_name="lucy-events")
def main() -> None:
    """lucy-events: event-sourced document routing for accounting firms."""


for module in (serve, history, bus, schemas, consumers, staff, deliveries):
    for command in module.COMMANDS:
        main.add_command(command)

for command in smtp_cli.COMMANDS:
    main.add_command(command)
