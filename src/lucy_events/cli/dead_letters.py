"""``lucy-events dead-letters``: parked messages, their reasons, and a way back."""

from __future__ import annotations

import json

import click

from lucy_events.bus.dead_letter_replay import NoSuchConsumer
from lucy_events.bus.dead_letters import DeadLetter, DeadLetterNotFound
from lucy_events.cli.common import services as cli_services


def letter_fields(letter: DeadLetter) -> dict[str, object]:
    return {"id": letter.id, "consumer": letter.consumer, "topic": letter.topic,
            "partition": letter.partition, "position": letter.position,
            "event_id": letter.event_id, "firm_id": letter.firm_id,
            "undecodable": letter.undecodable, "error": letter.error,
            "parked_at": letter.parked_at, "size": len(letter.payload)}


@click.group("dead-letters")
def dead_letters() -> None:
    """Parked messages: list, show, replay through their consumer, or discard."""


@dead_letters.command("list")
@click.option("--consumer", default=None, help="Only this consumer's (e.g. router).")
@click.option("--firm", "firm_id", default=None, help="Only this firm's.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_letters(consumer: str | None, firm_id: str | None, as_json: bool) -> None:
    """Parked messages, oldest first, with the reason each was parked."""
    services = cli_services()
    try:
        letters = services.dead_letter_store().list(consumer=consumer, firm_id=firm_id)
        for letter in letters:
            if as_json:
                click.echo(json.dumps(letter_fields(letter)))
            else:
                click.echo(f"{letter.parked_at[:19]}  {letter.id}  "
                           f"{letter.event_id or '(undecodable)'}  {letter.error[:120]}")
        if not as_json:
            click.echo(f"{len(letters)} parked messages")
    finally:
        services.close()


@dead_letters.command("show")
@click.argument("letter_id")
def show(letter_id: str) -> None:
    """One parked message in full (its bytes' size, not its contents)."""
    services = cli_services()
    try:
        letter = services.dead_letter_store().get(letter_id)
        click.echo(json.dumps(letter_fields(letter), indent=2))
    except DeadLetterNotFound as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@dead_letters.command("replay")
@click.argument("letter_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every parked message.")
@click.option("--consumer", default=None, help="With --all: only this consumer's.")
def replay(letter_ids: tuple[str, ...], everything: bool, consumer: str | None) -> None:
    """Hand parked messages to their consumer again (a message replayed twice has one
    effect); one still refused stays parked with the newest reason."""
    services = cli_services()
    try:
        store = services.dead_letter_store()
        replaying = services.dead_letter_replay()
        ids = [letter.id for letter in store.list(consumer=consumer)] if everything \
            else list(letter_ids)
        if not ids:
            raise click.UsageError("name parked messages by id, or use --all")
        refused = 0
        for letter_id in ids:
            try:
                result = replaying.replay(store.get(letter_id))
            except (DeadLetterNotFound, NoSuchConsumer) as error:
                click.echo(f"skipped  {letter_id}: {error}")
                refused += 1
                continue
            refused += result.outcome == "refused again"
            click.echo(f"{result.outcome:<16} {letter_id}"
                       + (f": {result.reason}" if result.reason else ""))
        if refused:
            raise SystemExit(1)
    finally:
        services.close()


@dead_letters.command("discard")
@click.argument("letter_ids", nargs=-1, required=True)
def discard(letter_ids: tuple[str, ...]) -> None:
    """Drop parked messages for good (logged); nothing is replayed."""
    services = cli_services()
    try:
        store = services.dead_letter_store()
        for letter_id in letter_ids:
            try:
                letter = store.get(letter_id)
            except DeadLetterNotFound as error:
                raise click.ClickException(str(error)) from None
            store.discard(letter)
            click.echo(f"discarded {letter_id}")
    finally:
        services.close()


COMMANDS = [dead_letters]
