"""The ``lucy-events`` command: thin entry points over bootstrap and the application.

Each command group lives in its own module (listed in its ``COMMANDS``). Only the module
of the command being run is imported: most of a command's start is imports, and the
others' (the register's loader, recognition, invoicing, the web app) are not needed.
"""

from __future__ import annotations

import importlib

import click

#: The module of each command (under ``lucy_events.cli``). A test checks this against
#: every module's ``COMMANDS``, so a command added there and not here fails the suite.
COMMAND_MODULES = {
    "serve": "serve", "api": "serve", "demo": "serve",
    "history": "history",
    "relay": "bus", "lag": "bus", "topics": "bus", "republish": "bus",
    "schemas": "schemas",
    "project": "consumers", "route": "consumers", "replay": "consumers",
    "firm": "staff", "staff": "staff",
    "deliveries": "deliveries",
    "dead-letters": "dead_letters",
    "peppol": "peppol",
    "recognise": "recognition",
    "smtp": "smtp",
    "kbo": "kbo",
    "audit": "audit",
    "retention": "retention",
    "erase": "erase",
    "notify": "notify",
    "invoices": "invoices",
}


class _LazyGroup(click.Group):
    """Imports a command's module when the command is looked up (run, or its help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        module = importlib.import_module(f"{__name__}.{module_name}")
        return next((command for command in module.COMMANDS if command.name == cmd_name),
                    None)


@click.group(cls=_LazyGroup)
@click.version_option(package_name="lucy-events")
def main() -> None:
    """lucy-events: event-sourced document routing for accounting firms."""
