"""An operator erases people at the terminal (``lucy-events erase``), on SQLite and
PostgreSQL: a client's contact person, an e-mail sender, and a staff member (refused
while they are on the staff). The history (text, JSON, exports) shows "erased person"
where they were, the documents stay, and ``audit verify`` passes before and after."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Cli

CLIENT = "Brouwerij Het Anker"
SENDER = "facturen@supplier.example"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def cli(request: pytest.FixtureRequest) -> Cli:
    found: Cli = request.getfixturevalue(f"{request.param}_cli")
    found.run("demo")
    return found


def _history(cli: Cli) -> tuple[str, list[dict[str, object]]]:
    """The client's history as text, CSV export and JSON lines (parsed)."""
    text = cli.run("history", CLIENT).stdout + cli.run("history", CLIENT, "--format",
                                                       "csv").stdout
    entries = [json.loads(line) for line in
               cli.run("history", CLIENT, "--json").stdout.splitlines()]
    return text + json.dumps(entries), entries


def test_erasing_people_at_the_terminal_keeps_the_trail_and_the_chain(cli: Cli):
    before, entries = _history(cli)
    created = next(e for e in entries if e["event"] == "ClientCreated")
    contact = created["details"]["contact_person"]  # type: ignore[index]
    staff_id = str(created["actor"]).removeprefix("staff:")
    assert contact["email"] in before and SENDER in before
    documents = before.count("DocumentReceived")
    assert documents > 0

    refused = cli.run("erase", "--firm", "Dupont", "--staff", staff_id, "--reason", "r",
                      check=False)
    assert refused.returncode == 1 and "still on the firm's staff" in refused.stderr
    erased = cli.run("erase", "--client-contact", CLIENT, "--reason", "GDPR request 12")
    assert "key destroyed" in erased.stdout and "dashboard" in erased.stdout
    sender = cli.run("erase", "--firm", "Dupont", "--email", SENDER.upper(), "--reason",
                     "GDPR request 13")
    assert "key destroyed" in sender.stdout

    after, entries = _history(cli)
    assert contact["email"] not in after and contact["first_name"] not in after
    assert SENDER not in after and "erased person" in after
    senders = {str(e["details"]["sender"]) for e in entries  # type: ignore[index]
               if e["event"] == "DocumentReceived"}
    assert "erased person" in senders and not [s for s in senders if "@" in s]
    assert after.count("DocumentReceived") == documents  # the documents stay
    assert cli.run("audit", "verify").stdout.startswith("ok: ")
    again = cli.run("erase", "--client-contact", CLIENT, "--reason", "again", check=False)
    assert again.returncode == 1 and "no e-mail address left" in again.stderr
    unnamed = cli.run("erase", "--email", SENDER, "--reason", "r", check=False)
    assert unnamed.returncode == 2 and "--firm" in unnamed.stderr
