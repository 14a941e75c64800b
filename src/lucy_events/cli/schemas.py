"""``lucy-events schemas``: the Avro schemas of ``schemas/`` and a Confluent Schema Registry."""

from __future__ import annotations

from pathlib import Path

import click

from lucy_events.bus.avro import SchemaRegistryFile
from lucy_events.bus.schema_registry import (
    SchemaConflict,
    SchemaRegistryClient,
    SchemaRegistryError,
    register_fixed,
    require_compatibility,
)

_SCHEMAS_DIR = click.option(
    "--schemas-dir", "directory", default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of registry.json and the .avsc files "
         "(default: $LUCY_SCHEMAS_DIR or the packaged schemas/).",
)


@click.group()
def schemas() -> None:
    """The Avro schemas of the Kafka topics, with their fixed ids."""


@schemas.command("list")
@_SCHEMAS_DIR
def list_schemas(directory: Path | None) -> None:
    """One line per schema of registry.json: id, subject, version, topic."""
    for entry in _load(directory).schemas:
        click.echo(f"{entry.id}  {entry.subject}  v{entry.version}  {entry.topic}")


@schemas.command()
@click.argument("url")
@_SCHEMAS_DIR
@click.option("--timeout", default=10.0, show_default=True, help="Seconds per HTTP request.")
def register(url: str, directory: Path | None, timeout: float) -> None:
    """Load the Schema Registry at URL with every schema, keeping the ids of registry.json.

    Safe to run again: a schema the registry already holds under its id is left alone; one
    it holds under another id stops the run with an error naming both ids. Every subject
    is then given compatibility level FULL, so the registry refuses a schema that old or
    new readers could not read.
    """
    registry = _load(directory)
    try:
        client = SchemaRegistryClient(url, timeout=timeout)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="URL") from None
    counts = {True: 0, False: 0}
    try:
        for entry, registered in register_fixed(client, registry.schemas):
            counts[registered] += 1
            outcome = "registered" if registered else "already present"
            click.echo(f"{outcome:<15}  {entry.subject} v{entry.version}  id {entry.id}")
        subjects = {entry.subject for entry in registry.schemas}
        changed = require_compatibility(client, subjects)
    except (SchemaConflict, SchemaRegistryError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{len(registry.schemas)} schemas at {client.url}: {counts[True]} registered, "
               f"{counts[False]} already present; compatibility FULL on {len(subjects)} "
               f"subjects ({len(changed)} set now)", err=True)


def _load(directory: Path | None) -> SchemaRegistryFile:
    try:
        return SchemaRegistryFile(directory)
    except (OSError, ValueError, KeyError) as error:
        raise click.ClickException(f"cannot read the schemas: {error!r}") from None


COMMANDS = [schemas]
