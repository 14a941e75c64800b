"""``lucy-events kbo import|search``: the Belgian company register in the read database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lucy_events.cli.common import services as cli_services
from lucy_events.register import (
    LANGUAGES,
    MAX_LIMIT,
    Extract,
    RegisterFileError,
    RegisterSearch,
    import_extract,
    total_bytes,
)


@click.group()
def kbo() -> None:
    """The Belgian company register (KBO/BCE Open Data)."""


@kbo.command("import")
@click.argument("extract", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(extract: Path) -> None:
    """Load a full extract (replaces the register) or apply an update extract (once)."""
    services = cli_services()
    try:
        with Extract(extract) as opened:
            meta = opened.meta
            click.echo(f"{meta.extract_type} extract {meta.extract_number} "
                       f"of {meta.snapshot_date}", err=True)
            with click.progressbar(length=total_bytes(opened), label="importing",
                                   file=sys.stderr) as bar:
                report = import_extract(services.read_db, opened, bar.update)
    except RegisterFileError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()
    if not report.applied:
        click.echo(f"nothing to do: {report.reason}")
        return
    counts = ", ".join(f"{table} {count}" for table, count in report.rows.items())
    click.echo(f"imported {meta.extract_type} extract {meta.extract_number}: {counts}")


@kbo.command("search")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", default=10, show_default=True,
              type=click.IntRange(1, MAX_LIMIT), help="At most this many companies.")
@click.option("--language", default="NL", show_default=True,
              type=click.Choice(LANGUAGES, case_sensitive=False),
              help="Language of the legal form, status and address.")
def search(text: str, as_json: bool, limit: int, language: str) -> None:
    """Find companies by name (accents and a typo are fine), enterprise or VAT number."""
    services = cli_services()
    try:
        found = RegisterSearch(services.read_db).search(text, language=language, limit=limit)
    finally:
        services.close()
    for entry in found:
        if as_json:
            click.echo(json.dumps(entry.as_dict(), ensure_ascii=False))
            continue
        address = entry.address
        where = f"{address.get('street', '')}, {address.get('postal_code', '')} " \
                f"{address.get('city', '')}".strip(", ") if address else "-"
        click.echo(f"{entry.dotted_number}  {entry.name}  ({entry.legal_form or '-'}; "
                   f"{entry.status}; since {entry.start_date or '-'})  {where}")
    if not found and not as_json:
        click.echo("no company found", err=True)


COMMANDS = [kbo]
