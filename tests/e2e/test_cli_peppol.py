"""An operator receives Peppol documents from the terminal, registers the firm's access
point, and looks at and replays what was parked."""

from __future__ import annotations

import json
import re

from tests.e2e.conftest import Cli
from tests.peppol_invoices import be_number, belgian, edited

SUPPLIER = be_number(4031707)


def _anker_number(cli: Cli) -> str:
    cli.run("demo")
    first = cli.run("history", "Brouwerij Het Anker").stdout.splitlines()[0]
    found = re.search(r"\(BE(\d{10})", first)
    assert found, first
    return found.group(1)


def test_peppol_receive_puts_an_invoice_in_the_clients_inbox_with_its_result(sqlite_cli, tmp_path):
    customer = _anker_number(sqlite_cli)
    valid = tmp_path / "valid.xml"
    valid.write_bytes(belgian(supplier=SUPPLIER, customer=customer))
    outcome = json.loads(sqlite_cli.run("peppol", "receive", str(valid), "--json").stdout)
    assert (outcome["status"], outcome["document_type"]) == ("received", "purchase-invoice")
    assert outcome["peppol_validation"]["valid"] is True

    broken = tmp_path / "broken.xml"
    broken.write_bytes(edited(valid.read_bytes(), "/*/cbc:ProfileID", None))
    said = sqlite_cli.run("peppol", "receive", str(broken), "--firm", "Dupont").stdout
    assert "INVALID: PEPPOL-EN16931-R001" in said.splitlines()[0]
    assert "fatal   PEPPOL-EN16931-R001" in said

    history = [json.loads(line) for line in sqlite_cli.run(
        "history", "Brouwerij Het Anker", "--json").stdout.splitlines()]
    assert [e["event"] for e in history].count("PeppolDocumentValidated") == 2


def test_an_unknown_receiver_is_parked_listed_and_replayed(sqlite_cli, tmp_path):
    _anker_number(sqlite_cli)
    stranger = tmp_path / "stranger.xml"
    stranger.write_bytes(belgian(supplier=SUPPLIER, customer=be_number(7654321)))
    said = sqlite_cli.run("peppol", "receive", str(stranger)).stdout
    assert said.startswith("parked ") and "no client of the firm matches" in said
    parked_id = said.split()[1].rstrip(":")
    listed = sqlite_cli.run("peppol", "parked").stdout
    assert parked_id in listed and "stranger.xml" in listed
    again = sqlite_cli.run("peppol", "replay", parked_id).stdout
    assert again.startswith(f"parked {parked_id}")


def test_an_access_point_is_registered_with_a_token_shown_once_and_revoked(sqlite_cli):
    sqlite_cli.run("firm", "create", "Dupont & Partners")
    added = sqlite_cli.run("peppol", "access-point", "add", "--name", "Storecove").stdout
    token = re.search(r"token \(shown once\): (lucy_ap_\S+)", added)
    assert token, added
    point_id = re.search(r"\(([0-9a-f-]{36})\)", added).group(1)
    listed = sqlite_cli.run("peppol", "access-point", "list").stdout
    assert point_id in listed and "active" in listed and token.group(1) not in listed
    sqlite_cli.run("peppol", "access-point", "revoke", point_id)
    assert "revoked" in sqlite_cli.run("peppol", "access-point", "list").stdout


def test_xml_with_a_dtd_is_refused_from_the_command_line_too(sqlite_cli, tmp_path):
    sqlite_cli.run("firm", "create", "Dupont & Partners")
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                     b"<x>&e;</x>")
    result = sqlite_cli.run("peppol", "receive", str(evil), check=False)
    assert result.returncode != 0 and "declares a DTD" in result.stderr


def test_an_operator_sets_the_firms_access_point_for_sending_with_the_token_on_stdin(
        sqlite_cli):
    sqlite_cli.run("demo")
    assert "endpoint: (none); token: (none)" in sqlite_cli.run(
        "peppol", "sending", "--firm", "Dupont").stdout
    said = sqlite_cli.run("peppol", "sending", "--firm", "Dupont", "--endpoint",
                          "https://ap.provider.example/api", input="secret-ap-token\n")
    assert "go through https://ap.provider.example/api" in said.stdout
    assert "secret-ap-token" not in said.stdout + said.stderr
    assert "token: stored" in sqlite_cli.run("peppol", "sending", "--firm", "Dupont").stdout
    wrong = sqlite_cli.run("peppol", "sending", "--firm", "Dupont", "--endpoint",
                           "ftp://ap.example", input="\n", check=False)
    assert wrong.returncode != 0 and "endpoint" in wrong.stderr
