"""``lucy-events recognise``: with FILE arguments, read those files' type and fields
without a store; without, run the recognition worker over every new document."""

from __future__ import annotations

import json
from pathlib import Path

import click

from lucy_events.recognition.fields import JSON_KEYS, Recognition
from lucy_events.recognition.pipeline import recognise as recognise_document


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="JSON: one object for one file, a list for several.")
@click.option("--own-number", "own_numbers", multiple=True, metavar="NUMBER",
              help="The client's enterprise or VAT number (repeatable): tells a purchase "
                   "from a sale.")
@click.option("--time-limit", default=60.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds allowed per document.")
def recognise(
    files: tuple[Path, ...], as_json: bool, own_numbers: tuple[str, ...], time_limit: float,
) -> None:
    """Print the type and fields of each PDF, image (PNG, JPEG, TIFF) or UBL FILE; with
    no FILE, run the worker that reads every new document of the store (consumer group
    ``recognition`` on Kafka, or in-process from the event store's log)."""
    if not files:
        from lucy_events.cli.consumers import run_recognition_worker

        run_recognition_worker()
        return
    readings = [
        (path, recognise_document(path.read_bytes(), own_numbers=frozenset(own_numbers),
                                  time_limit=time_limit))
        for path in files
    ]
    if as_json:
        objects = [reading.as_json() for _, reading in readings]
        click.echo(json.dumps(objects[0] if len(objects) == 1 else objects, ensure_ascii=False,
                              indent=2))
        return
    for index, (path, reading) in enumerate(readings):
        if index:
            click.echo()
        click.echo(_human(path, reading))


def _human(path: Path, reading: Recognition) -> str:
    values = reading.as_json()
    lines = [f"{path}: {values['document_type'] or 'not recognised'} "
             f"(method {reading.method}, confidence {reading.confidence:.2f})"]
    width = max(len(key) for key in JSON_KEYS)
    for key in JSON_KEYS:
        if key in ("document_type", "method", "confidence") or values[key] is None:
            continue
        lines.append(f"  {key.ljust(width)}  {values[key]}")
    for line in reading.vat_breakdown:
        lines.append(f"  {'vat ' + format(line.rate, 'f') + '%':<{width}}  "
                     f"on {line.taxable if line.taxable is not None else '?'}: {line.vat}")
    if reading.reason:
        lines.append(f"  {'reason'.ljust(width)}  {reading.reason}")
    return "\n".join(lines)


COMMANDS = [recognise]
