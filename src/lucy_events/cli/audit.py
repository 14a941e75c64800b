"""``lucy-events audit verify|checkpoint``: the hash chain over the stored events."""

from __future__ import annotations

import click

from lucy_events.audit.links import Checkpoint
from lucy_events.audit.verify import NoChain, chained, checkpoint, verify
from lucy_events.cli.common import services as cli_services


@click.group()
def audit() -> None:
    """Tamper evidence: the hash chain over every stored event."""


@audit.command("checkpoint")
def take_checkpoint() -> None:
    """Record the chain's head (position and hash) and print it, to keep elsewhere."""
    services = cli_services()
    try:
        kept = checkpoint(chained(services.app.recorder))
    except NoChain as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()
    if kept is None:
        raise click.ClickException("the store holds no events yet")
    click.echo(str(kept))


@audit.command("verify")
@click.option("--from-checkpoint", "from_checkpoint", is_flag=True,
              help="Start at the latest recorded checkpoint instead of the first event.")
@click.option("--checkpoint", "kept", multiple=True, metavar="POSITION:HASH",
              help="A checkpoint kept outside the store; the chain must pass through it.")
def verify_chain(from_checkpoint: bool, kept: tuple[str, ...]) -> None:
    """Recompute the chain; report the first broken link and exit 1 if there is one."""
    try:
        outside = [Checkpoint.parse(k) for k in kept]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--checkpoint") from None
    services = cli_services()
    try:
        recorder = chained(services.app.recorder)
        recorded = recorder.checkpoints()
        start = recorded[-1] if from_checkpoint and recorded else None
        verdict = verify(recorder, start=start, kept=outside)
    except NoChain as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()
    if verdict.broken is not None:
        click.echo(f"BROKEN at {verdict.broken} (after {verdict.checked} good links)",
                   err=True)
        raise SystemExit(1)
    since = f" from checkpoint {start.position}" if start else ""
    older = (f"; {verdict.unchained_before} older events predate the chain"
             if verdict.unchained_before else "")
    click.echo(f"ok: {verdict.checked} events chained{since}{older}; head {verdict.head}")


COMMANDS = [audit]
