"""The Peppol registration check against a local SML (DNS, NAPTR) and a local SMP
(HTTP): registered elsewhere warns naming the provider, enabling receive then needs a
confirmation kept in the event; an SML or SMP that does not answer is said, in time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from lucy_events.access_tokens import AccessTokens
from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.staff_sessions import StaffSessions
from lucy_events.web import create_app
from tests.conftest import FakeClock
from tests.e2e.conftest import Cli, cli_env
from tests.peppol_support import INVOICE, ZONE, LocalSml, Smp, peppol_directory
from tests.support import open_office

ANKER = "0403170701"


@pytest.fixture
def directory() -> Iterator[tuple[LocalSml, Smp]]:
    with peppol_directory() as found:
        yield found


def _settings(tmp_path: Path, sml: LocalSml, timeout: float = 1.0) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'e.sqlite'}",
                    blob_dir=tmp_path / "blobs",
                    read_database_url=f"sqlite:///{tmp_path / 'r.sqlite'}",
                    dns_resolver=sml.address, peppol_sml_zone=ZONE,
                    peppol_lookup_timeout=timeout)


def test_a_participant_registered_with_an_smp_is_found_with_its_document_types(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, smp = directory
    sml.register(f"0208:{ANKER}", smp.url + "/")
    smp.groups[f"0208:{ANKER}"] = [INVOICE]
    services = bootstrap(_settings(tmp_path, sml))
    found = services.peppol_lookup().company("BE", ANKER, f"BE{ANKER}")
    assert [(r.participant, r.registered) for r in found] == [
        (f"0208:{ANKER}", True), (f"9925:be{ANKER}", False)]
    assert found[0].smp_host == "127.0.0.1" and found[0].document_types == [INVOICE]
    services.close()


def test_an_sml_that_does_not_answer_is_said_within_the_timeout(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, _ = directory
    sml.naptr.silent = True
    services = bootstrap(_settings(tmp_path, sml, timeout=1.0))
    started = time.monotonic()
    found = services.peppol_lookup().company("BE", ANKER, f"BE{ANKER}")
    assert time.monotonic() - started < 3  # both ids at once, each bounded by 1 s
    assert all(not r.registered and "did not answer" in (r.unreachable or "") for r in found)
    services.close()


def test_an_smp_that_is_away_is_said_with_the_registration(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, _ = directory
    sml.register(f"9925:be{ANKER}", "http://127.0.0.1:9/")  # nothing listens on port 9
    services = bootstrap(_settings(tmp_path, sml))
    found = services.peppol_lookup().lookup(f"9925:BE{ANKER}")
    assert found.registered and found.smp_host == "127.0.0.1"
    assert "did not answer" in (found.unreachable or "")
    services.close()


def test_enabling_receive_for_a_company_of_another_provider_needs_a_confirmation(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, _ = directory
    sml.register(f"0208:{ANKER}", "http://smp.other-provider.test/")
    services = bootstrap(_settings(tmp_path, sml), clock=FakeClock())
    consumers = services.consumer_runner(services.projection_handlers())
    consumers.start()
    office = open_office(services.app)
    services.peppol_provider().set_smp_host(office.firm_id, "smp.our-provider.test")
    client_id = office.new_client(enterprise_number=ANKER)
    flask = create_app(services)
    http = flask.test_client()
    bearer = {"Authorization": "Bearer " + AccessTokens(services.read_db).issue(
        office.firm_id, UUID(office.admin.id))}

    looked_up = http.get(f"/api/v1/clients/{client_id}/peppol/registration",
                         headers=bearer).get_json()
    assert "smp.other-provider.test" in looked_up["warning"]
    assert looked_up["own_smp_host"] == "smp.our-provider.test"

    refused = http.put(f"/api/v1/clients/{client_id}/peppol", headers=bearer,
                       json={"send": False, "receive": True})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "peppol_registration_to_confirm"
    assert "smp.other-provider.test" in refused.get_json()["error"]["message"]
    assert not services.app.client_for_operator(client_id).peppol_receive

    sending_only = http.put(f"/api/v1/clients/{client_id}/peppol", headers=bearer,
                            json={"send": True, "receive": False})
    assert sending_only.status_code in (200, 202)  # sending needs no confirmation

    confirmed = http.put(f"/api/v1/clients/{client_id}/peppol", headers=bearer,
                         json={"send": True, "receive": True, "confirm_registration": True})
    assert confirmed.status_code in (200, 202), confirmed.get_json()
    client = services.app.client_for_operator(client_id)
    assert client.peppol_receive
    [enabled_receive] = [e for e in services.app.events.get(client_id)  # type: ignore[attr-defined]
                         if type(e).__name__ == "PeppolEnabled" and e.receive]
    assert "smp.other-provider.test" in enabled_receive.confirmation
    consumers.stop()
    services.close()


def test_the_overview_shows_the_orange_warning_naming_the_provider(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, _ = directory
    sml.register(f"9925:be{ANKER}", "http://smp.other-provider.test/")
    services = bootstrap(_settings(tmp_path, sml), clock=FakeClock())
    consumers = services.consumer_runner(services.projection_handlers())
    consumers.start()
    office = open_office(services.app)
    client_id = office.new_client(enterprise_number=ANKER)
    flask = create_app(services)
    browser = flask.test_client()
    with browser.session_transaction() as session:
        session.update(sid=StaffSessions(services.read_db).start(
            office.firm_id, UUID(office.admin.id), "admin"),
            firm_id=str(office.firm_id), staff_id=office.admin.id, csrf_token="t")
    page = browser.get(f"/clients/{client_id}?peppol_check=1").get_data(as_text=True)
    assert "peppol-warning" in page and "smp.other-provider.test" in page
    assert "I confirm: enable receiving anyway" in page
    refused = browser.post(f"/clients/{client_id}/peppol",
                           data={"csrf_token": "t", "receive": "on"})
    assert refused.status_code == 409 and "smp.other-provider.test" in refused.get_data(
        as_text=True)
    enabled = browser.post(f"/clients/{client_id}/peppol", data={
        "csrf_token": "t", "receive": "on", "confirm_registration": "on"})
    assert enabled.status_code == 303
    assert services.app.client_for_operator(client_id).peppol_receive
    consumers.stop()
    services.close()


def test_lucy_events_peppol_lookup_prints_the_provider(
        tmp_path: Path, directory: tuple[LocalSml, Smp]):
    sml, smp = directory
    sml.register(f"0208:{ANKER}", smp.url + "/")
    smp.groups[f"0208:{ANKER}"] = [INVOICE]
    cli = Cli(cli_env(tmp_path, LUCY_DNS_RESOLVER=sml.address, LUCY_PEPPOL_SML_ZONE=ZONE,
                      LUCY_PEPPOL_LOOKUP_TIMEOUT="1"), tmp_path)
    said = cli.run("peppol", "lookup", f"0208:{ANKER}").stdout
    assert said.splitlines() == [f"0208:{ANKER} is registered with 127.0.0.1 ({smp.url}/)",
                                 f"  {INVOICE}"]
    nobody = cli.run("peppol", "lookup", "9925:be0000000097").stdout
    assert "is not registered on Peppol" in nobody
    sml.naptr.silent = True
    away = cli.run("peppol", "lookup", f"0208:{ANKER}", check=False)
    assert away.returncode == 2 and "could not be checked" in away.stderr
