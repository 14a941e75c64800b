"""``lucy-events notify run``: the notifications' scheduled checks, once (for cron; ``serve``
runs them itself): the reminders of invitations about to expire, and the staff's digests."""

from __future__ import annotations

import click

from lucy_events.cli.common import services as cli_services


@click.group()
def notify() -> None:
    """E-mail notifications: reminders of invitations about to expire."""


@notify.command("run")
def run() -> None:
    """Run the scheduled checks once; each reminder goes out once, however often this runs."""
    services = cli_services()
    try:
        outcomes = services.invitation_reminders().run_once()
        outcomes += services.digests().run_once()
    finally:
        services.close()
    sent = [o for o in outcomes if o.sent]
    failed = [o for o in outcomes if o.error]
    for outcome in sent:
        click.echo(f"reminded {outcome.recipient}")
    for outcome in failed:
        click.echo(f"NOT sent to {outcome.recipient}: {outcome.error}", err=True)
    click.echo(f"{len(sent)} reminder(s) sent, {len(outcomes) - len(sent) - len(failed)} "
               f"sent before, {len(failed)} failed", err=True)
    if failed:
        raise SystemExit(1)


COMMANDS = [notify]
