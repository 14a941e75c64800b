"""An operator seeds the demo firm and reads a client's history from the terminal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.e2e.conftest import Cli


def _demo_then_history(cli: Cli) -> None:
    seeded = cli.run("demo")
    assert "30 clients" in seeded.stderr
    history = cli.run("history", "Brouwerij Het Anker").stdout
    lines = history.splitlines()
    assert lines[0].startswith("Brouwerij Het Anker (BE")
    assert "ClientCreated" in lines[2] and "Sofie Janssens" in lines[2]
    assert "Activated" in history and "the client" in history
    assert "DocumentReceived" in history and "system (intake)" in history
    assert "token_hash" not in history  # secrets stay out of the audit print-out
    assert lines[-1].endswith("events")


def test_demo_then_history_shows_who_did_what_on_sqlite(sqlite_cli: Cli):
    _demo_then_history(sqlite_cli)


@pytest.mark.postgres
def test_demo_then_history_shows_who_did_what_on_postgresql(postgres_cli: Cli):
    _demo_then_history(postgres_cli)


def test_history_as_json_lines_honours_as_of(demo_cli: Cli):
    full = [json.loads(line) for line in
            demo_cli.run("history", "Garage De Smet", "--json").stdout.splitlines()]
    assert full[0]["event"] == "ClientCreated"
    assert {e["subject"] for e in full} <= {"client", "document", "invoice-settings",
                                            "invoice"}
    cut = demo_cli.run("history", "Garage De Smet", "--json", "--as-of", full[0]["at"]).stdout
    *events, last = [json.loads(line) for line in cut.splitlines()]
    assert [e["event"] for e in events] == ["ClientCreated"]
    assert last["as_of"]["client"]["status"] == "Created"  # the state it stood in then
    assert last["as_of"]["documents"] == []


def test_the_demo_covers_every_client_and_document_status(demo_cli: Cli):
    events = set()
    for name in ("Bakkerij Vermeulen", "Garage De Smet", "Brouwerij", "Dakwerken", "Apotheek",
                 "Fietsen", "Studio Lumen", "Transport", "Tandarts", "Bloemen", "Café",
                 "Elektro", "Architecten", "Schrijnwerkerij", "Kapsalon", "IT Solutions"):
        out = demo_cli.run("history", name, "--json").stdout
        events |= {json.loads(line)["event"] for line in out.splitlines()}
    assert {"Invited", "InvitationResent", "Activated", "PeppolEnabled", "IntegrationLinked",
            "DocumentReceived", "DocumentSent", "SendFailed", "DocumentRejected",
            "DocumentArchived", "VisibilityChanged"} <= events


def test_an_unknown_client_gets_a_clear_error(demo_cli: Cli):
    result = demo_cli.run("history", "Nobody At All", check=False)
    assert result.returncode != 0
    assert "no client matches 'Nobody At All'" in result.stderr


def test_an_ambiguous_client_name_lists_the_candidates(demo_cli: Cli):
    result = demo_cli.run("history", "BV", check=False)
    assert result.returncode != 0
    assert "clients match 'BV'" in result.stderr


def test_a_bad_as_of_names_the_option(demo_cli: Cli):
    result = demo_cli.run("history", "Garage", "--as-of", "yesterday", check=False)
    assert result.returncode == 2
    assert "--as-of" in result.stderr


def test_the_demo_history_spans_weeks_in_order_with_valid_invitations(demo_cli: Cli):
    now = datetime.now(UTC)
    every: list[dict] = []
    for name in ("Bakkerij Vermeulen", "Garage De Smet", "Brouwerij", "Apotheek", "Studio Lumen",
                 "Transport", "Kapsalon", "Zonnepanelen Noord", "Kaashandel"):
        out = demo_cli.run("history", name, "--json").stdout
        events = [json.loads(line) for line in out.splitlines()]
        every += events
        for subject in {e["subject_id"] for e in events}:  # each aggregate's own order
            times = [e["at"] for e in events if e["subject_id"] == subject]
            assert times == sorted(times)
    moments = [datetime.fromisoformat(e["at"]) for e in every]
    assert max(moments) < now and min(moments) < now - timedelta(days=60)
    assert len({m.date() for m in moments}) > 20  # days apart, not one burst
    invitations = [datetime.fromisoformat(e["details"]["expires_at"]) for e in every
                   if e["event"] in ("Invited", "InvitationResent")
                   and e["subject"] == "client"]
    trials = [date.fromisoformat(e["details"]["trial_ends_on"]) for e in every
              if e["event"] == "Activated"]
    assert invitations and trials
    assert any(t < now.date() for t in trials) and any(t > now.date() for t in trials)
    pending = [e for e in every if e["event"] in ("Invited", "InvitationResent")
               and not any(a["event"] == "Activated" and a["subject_id"] == e["subject_id"]
                           for a in every)]
    assert pending and all(
        datetime.fromisoformat(e["details"]["expires_at"]) > now for e in pending)
