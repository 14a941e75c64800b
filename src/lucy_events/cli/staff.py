"""``lucy-events firm`` and ``staff``: set up a firm and its people from the host."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import click

from lucy_events.access_tokens import AccessTokens
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.cli.common import services as cli_services
from lucy_events.staff_sessions import StaffSessions

HOST = Actor.system("cli")


@click.group()
def firm() -> None:
    """Accounting firms."""


@firm.command("create")
@click.argument("name")
def create_firm(name: str) -> None:
    """Register a firm; prints its id."""
    services = cli_services()
    try:
        click.echo(services.app.register_firm(name, HOST))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


def find_firm(app: LucyApplication, text: str) -> UUID:
    try:
        return app.firm(UUID(text)).id
    except ValueError:
        pass
    matches = [f for f in app.find_firms() if text.casefold() in f[1].casefold()]
    if len(matches) != 1:
        raise click.ClickException(
            f"{len(matches)} firms match {text!r}" + (
                ": " + ", ".join(f"{n} ({i})" for i, n in matches) if matches else ""))
    return matches[0][0]


@click.group()
def staff() -> None:
    """Staff members and their access tokens."""


@staff.command("add")
@click.option("--firm", "firm_name", required=True,
              help="The firm's id or a unique part of its name.")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "accountant"]), required=True)
@click.option("--expires-in-days", type=click.IntRange(min=1), default=None,
              help="The token stops working after this many days (default: never).")
def add(firm_name: str, name: str, email: str, role: str, expires_in_days: int | None
        ) -> None:
    """Add a staff member and print their personal access token (shown once)."""
    services = cli_services()
    try:
        firm_id = find_firm(services.app, firm_name)
        staff_id = services.app.add_staff_member(firm_id, name, email, role, HOST)
        token = AccessTokens(services.read_db).issue(firm_id, staff_id, "cli",
                                                     _days(expires_in_days))
        click.echo(f"added {name} <{email}> as {role} ({staff_id})")
        click.echo(f"access token (shown once): {token}")
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@staff.command("token")
@click.option("--firm", "firm_name", required=True)
@click.option("--email", required=True)
@click.option("--expires-in-days", type=click.IntRange(min=1), default=None,
              help="The token stops working after this many days (default: never).")
def token(firm_name: str, email: str, expires_in_days: int | None) -> None:
    """Issue a new access token for a staff member (the old ones keep working)."""
    services = cli_services()
    try:
        firm_id, staff_id = _member(services.app, firm_name, email)
        click.echo(AccessTokens(services.read_db).issue(firm_id, staff_id, "cli",
                                                        _days(expires_in_days)))
    finally:
        services.close()


@staff.command("role")
@click.option("--firm", "firm_name", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["admin", "accountant"]), required=True)
def change_role(firm_name: str, email: str, role: str) -> None:
    """Change a staff member's role; their dashboard sessions end (they sign in again)."""
    services = cli_services()
    try:
        firm_id, staff_id = _member(services.app, firm_name, email)
        services.app.change_staff_role(firm_id, staff_id, role, HOST)
        ended = StaffSessions(services.read_db).end_all(staff_id, "role changed")
        click.echo(f"{email} is now {role}; ended {ended} session(s)")
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@staff.group("tokens")
def tokens() -> None:
    """A staff member's access tokens."""


@tokens.command("revoke")
@click.option("--firm", "firm_name", required=True)
@click.option("--email", required=True)
@click.option("--label", default=None,
              help="Only the tokens of this label (e.g. 'demo sign-in'); default: all.")
def revoke(firm_name: str, email: str, label: str | None) -> None:
    """Revoke a staff member's access tokens and end their dashboard sessions."""
    services = cli_services()
    try:
        _, staff_id = _member(services.app, firm_name, email)
        revoked = AccessTokens(services.read_db).revoke_all(staff_id, label)
        ended = StaffSessions(services.read_db).end_all(staff_id, "tokens revoked")
        click.echo(f"revoked {revoked} token(s) of {email}; ended {ended} session(s)")
    finally:
        services.close()


def _member(app: LucyApplication, firm_name: str, email: str) -> tuple[UUID, UUID]:
    firm_id = find_firm(app, firm_name)
    members = [m for m in app.firm(firm_id).staff.values()
               if m.email == email.strip().lower()]
    if not members:
        raise click.ClickException(f"no staff member {email} in that firm")
    return firm_id, members[0].id


def _days(days: int | None) -> timedelta | None:
    return None if days is None else timedelta(days=days)


COMMANDS = [firm, staff]
