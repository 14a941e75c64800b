"""``lucy-events peppol``: receive a document as the firm's access point would, manage
access points and their tokens, list and replay parked documents."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import click

from lucy_events.aggregates.errors import DomainError
from lucy_events.application import LucyApplication
from lucy_events.bootstrap import Services
from lucy_events.cli.common import services as cli_services
from lucy_events.cli.staff import find_firm
from lucy_events.intake.access_points import AccessPoints
from lucy_events.intake.peppol_inbound import Inbound, PeppolInbound, clients_in_store
from lucy_events.intake.peppol_parking import ParkedDocuments

FIRM_HELP = "The firm's id or a unique part of its name (optional with one firm)."


@click.group()
def peppol() -> None:
    """Peppol: receive documents, access points, parked documents."""


def _firm(app: LucyApplication, text: str | None) -> UUID:
    if text:
        return find_firm(app, text)
    firms = app.find_firms()
    if len(firms) != 1:
        raise click.ClickException(f"{len(firms)} firms: name one with --firm")
    return firms[0][0]


def _say(outcome: Inbound, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(outcome.as_dict(), indent=2))
        return
    result = outcome.validation
    verdict = "valid" if result.valid else "INVALID: " + ", ".join(result.rule_ids)
    if outcome.document_id:
        click.echo(f"received {outcome.document_type} {outcome.document_id} for client "
                   f"{outcome.client_id}; {verdict}")
    else:
        click.echo(f"parked {outcome.parked_id}: {outcome.reason}; {verdict}")
    for finding in result.errors + result.warnings:
        click.echo(f"  {finding.flag:7} {finding.rule}: {finding.message}")


def _run(action: Callable[[Services], None]) -> None:
    services: Services = cli_services()
    try:
        action(services)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()


@peppol.command("receive")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--firm", "firm_name", help=FIRM_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def receive(file: Path, firm_name: str | None, as_json: bool) -> None:
    """Receive FILE (UBL Invoice or CreditNote, bare or in an SBD) as the firm's access
    point would post it: validated, matched to its client, or parked."""
    def action(services: Services) -> None:
        firm_id = _firm(services.app, firm_name)
        inbound = PeppolInbound(services.app, services.read_db, clients_in_store(services.app))
        _say(inbound.receive(firm_id, file.read_bytes(), file.name), as_json)

    _run(action)


@peppol.group("access-point")
def access_point() -> None:
    """The firm's Peppol access points and their tokens."""


@access_point.command("add")
@click.option("--firm", "firm_name", help=FIRM_HELP)
@click.option("--name", required=True, help="Which access point (the provider's name).")
def add_access_point(firm_name: str | None, name: str) -> None:
    """Register an access point; prints its token for POST /api/v1/peppol/inbound
    (shown once, kept only as its hash)."""
    def action(services: Services) -> None:
        point, token = AccessPoints(services.read_db).add(_firm(services.app, firm_name), name)
        click.echo(f"access point {point.name} ({point.access_point_id})")
        click.echo(f"token (shown once): {token}")

    _run(action)


@access_point.command("list")
@click.option("--firm", "firm_name", help=FIRM_HELP)
def list_access_points(firm_name: str | None) -> None:
    """The firm's access points (revoked ones marked)."""
    def action(services: Services) -> None:
        for point in AccessPoints(services.read_db).of_firm(_firm(services.app, firm_name)):
            state = f"revoked {point.revoked_at}" if point.revoked_at else "active"
            click.echo(f"{point.access_point_id}  {point.name}  added {point.created_at}  "
                       f"{state}")

    _run(action)


@access_point.command("revoke")
@click.argument("access_point_id", type=click.UUID)
@click.option("--firm", "firm_name", help=FIRM_HELP)
def revoke_access_point(access_point_id: UUID, firm_name: str | None) -> None:
    """Revoke an access point's token at once."""
    def action(services: Services) -> None:
        if not AccessPoints(services.read_db).revoke(_firm(services.app, firm_name),
                                                      access_point_id):
            raise click.ClickException(f"no active access point {access_point_id}")
        click.echo(f"revoked {access_point_id}")

    _run(action)


@peppol.command("parked")
@click.option("--firm", "firm_name", help="Only this firm's (default: every firm's).")
def parked(firm_name: str | None) -> None:
    """Documents parked because no client matched, with the reason."""
    def action(services: Services) -> None:
        firm_id = find_firm(services.app, firm_name) if firm_name else None
        for item in ParkedDocuments(services.read_db).waiting(firm_id):
            click.echo(f"{item.parked_id}  {item.parked_at}  {item.file_name}  {item.reason}")

    _run(action)


@peppol.command("replay")
@click.argument("parked_ids", nargs=-1, type=click.UUID)
@click.option("--all", "everything", is_flag=True, help="Every parked document.")
def replay(parked_ids: tuple[UUID, ...], everything: bool) -> None:
    """Try parked documents again, once their client exists."""
    def action(services: Services) -> None:
        store = ParkedDocuments(services.read_db)
        items = store.waiting() if everything else [
            p for p in (store.get(i) for i in parked_ids) if p is not None]
        if not items:
            raise click.ClickException("nothing to replay: name parked ids, or --all")
        inbound = PeppolInbound(services.app, services.read_db, clients_in_store(services.app))
        for item in items:
            _say(inbound.replay(item.firm_id, item.parked_id), as_json=False)

    _run(action)


@peppol.command("lookup")
@click.argument("participant")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def lookup(participant: str, as_json: bool) -> None:
    """Look a participant up in the Peppol SML and its SMP, e.g. 0208:0403170701 or
    9925:be0403170701 (zone LUCY_PEPPOL_SML_ZONE, DNS server LUCY_DNS_RESOLVER)."""
    if ":" not in participant:
        raise click.BadParameter("give scheme:id, e.g. 0208:0403170701", param_hint="ID")

    def action(services: Services) -> None:
        found = services.peppol_lookup().lookup(participant)
        if as_json:
            click.echo(json.dumps(found.as_dict(), indent=2))
        elif found.registered:
            click.echo(f"{found.participant} is registered with {found.smp_host} "
                       f"({found.smp_url})")
            for document_type in found.document_types:
                click.echo(f"  {document_type}")
        else:
            click.echo(f"{found.participant} is not registered on Peppol")
        if found.unreachable:
            click.echo(f"could not be checked: {found.unreachable}", err=True)
            raise SystemExit(2)

    _run(action)


@peppol.command("smp-host")
@click.argument("host")
@click.option("--firm", "firm_name", help=FIRM_HELP)
def smp_host(host: str, firm_name: str | None) -> None:
    """Set the firm's own SMP host (its Peppol provider): a company registered with any
    other SMP gets the warning before Peppol receiving is enabled."""

    def action(services: Services) -> None:
        firm_id = _firm(services.app, firm_name)
        click.echo(f"The firm's SMP is {services.peppol_provider().set_smp_host(firm_id, host)}")

    _run(action)


@peppol.command("sending")
@click.option("--endpoint", help="The access point provider's API URL (https://...); "
              "without it, show the current set-up.")
@click.option("--firm", "firm_name", help=FIRM_HELP)
def sending(endpoint: str | None, firm_name: str | None) -> None:
    """Set the firm's Peppol access point for sending invoices: its API endpoint, and its
    bearer token, asked for (or read from standard input) and kept encrypted; an empty
    token keeps the stored one."""

    def action(services: Services) -> None:
        firm_id = _firm(services.app, firm_name)
        setup = services.peppol_sending()
        if endpoint is None:
            found = setup.setup(firm_id)
            click.echo(f"endpoint: {found.endpoint or '(none)'}; token: "
                       f"{'stored' if found.has_token else '(none)'}")
            return
        token = click.prompt("Access point token (empty: keep the stored one)",
                             default="", show_default=False, hide_input=True, err=True)
        saved = setup.configure(firm_id, endpoint, token)
        click.echo(f"Invoices to Peppol participants go through {saved.endpoint}")

    _run(action)


COMMANDS = [peppol]
