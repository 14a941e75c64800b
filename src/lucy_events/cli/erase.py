"""``lucy-events erase``: erase a person's personal data at their request (GDPR art. 17),
keeping the trail and the hash chain."""

from __future__ import annotations

from uuid import UUID

import click

from lucy_events.aggregates.errors import DomainError
from lucy_events.audit.erasure import person_to_erase
from lucy_events.cli.common import services as cli_services
from lucy_events.cli.staff import HOST, find_firm
from lucy_events.history_text import resolve_client


@click.command()
@click.option("--firm", "firm_name", default=None,
              help="The firm's id or a unique part of its name (not needed with --client-"
                   "contact).")
@click.option("--email", default=None,
              help="A person known by this address: a client's contact person, an invitee, "
                   "a mail sender.")
@click.option("--staff", "staff_id", type=click.UUID, default=None,
              help="A former staff member, by staff id (remove them from the staff first).")
@click.option("--client-contact", "client", default=None,
              help="The current contact person of this client (id, name, enterprise or VAT "
                   "number).")
@click.option("--reason", required=True,
              help="Why: the request's reference (kept in the trail; no personal data).")
def erase(firm_name: str | None, email: str | None, staff_id: UUID | None,
          client: str | None, reason: str) -> None:
    """Erase one person's personal data: record PersonErased on the firm, destroy the key
    their fields were sealed with (they read "erased person" from then on) and rebuild the
    read models. Stored events are not changed: `audit verify` still passes."""
    services = cli_services()
    try:
        app = services.app
        client_id = None
        if client is not None:
            summary = resolve_client(app, client)
            firm_id, client_id = summary.firm_id, summary.client_id
        elif firm_name is not None:
            firm_id = find_firm(app, firm_name)
        else:
            raise click.UsageError("name the firm (--firm) of the person to erase")
        identified_by, identity = person_to_erase(
            app, firm_id, email=email, staff_id=staff_id, client_id=client_id)
        done = services.erase_person(firm_id, identified_by, identity, reason, HOST)
        click.echo(f"erased person {done.person_id} ({done.identified_by}): "
                   + ("key destroyed" if done.key_destroyed else
                      "no key was left (erased before, or stored before sealing)")
                   + f"; read models rebuilt: {', '.join(done.rebuilt)}")
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


COMMANDS = [erase]
