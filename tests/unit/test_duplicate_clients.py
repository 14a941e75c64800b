"""A firm has one client per company: a second client with the same enterprise number,
VAT number or KvK number is refused, naming the existing one."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest

from lucy_events.aggregates.client_rules import DuplicateClient, client_id_for
from lucy_events.aggregates.companies import company_numbers
from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from tests.support import Office, open_office

NL = {"name": "Bakkerij De Vries", "country": "NL"}


@pytest.fixture
def office() -> Office:
    return open_office(LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                                       blobs=InMemoryBlobStore()))


def test_a_second_client_with_the_same_enterprise_number_is_refused_naming_the_first(office):
    first = office.new_client(enterprise_number="0403.170.701")
    with pytest.raises(DuplicateClient) as refused:
        office.new_client(name="Bakkerij Claes bis", enterprise_number="BE 0403170701")
    assert refused.value.existing_client_id == first
    assert refused.value.field == "enterprise_number"


def test_a_belgian_vat_number_is_the_same_company_as_its_enterprise_number(office):
    first = office.new_client(enterprise_number="0403170701")
    with pytest.raises(DuplicateClient) as refused:
        office.new_client(enterprise_number=None, vat_number="BE0403170701")
    assert refused.value.existing_client_id == first


def test_a_dutch_company_is_one_client_by_its_kvk_number(office):
    first = office.new_client(**NL, enterprise_number="12345678", vat_number="NL123456782B01")
    with pytest.raises(DuplicateClient) as by_kvk:
        office.new_client(**NL, enterprise_number="1234 5678", vat_number=None)
    assert by_kvk.value.existing_client_id == first


def test_a_dutch_company_known_only_by_its_vat_number_is_one_client_by_it(office):
    first = office.new_client(**NL, enterprise_number=None, vat_number="NL123456782B01")
    with pytest.raises(DuplicateClient) as by_vat:
        office.new_client(**NL, enterprise_number=None, vat_number="nl 123456782 b01")
    assert by_vat.value.existing_client_id == first and by_vat.value.field == "vat_number"


def test_another_firm_may_have_the_same_company_as_client(office):
    office.new_client(enterprise_number="0403170701")
    other = open_office(office.app, "Other Firm")
    assert other.new_client(enterprise_number="0403170701") != office.new_client(
        enterprise_number="0417497106")


def test_a_clients_id_follows_from_its_firm_and_number() -> None:
    firm = UUID(int=1)
    numbers = company_numbers("BE", "0403.170.701", None)
    assert client_id_for(firm, numbers) == client_id_for(
        firm, company_numbers("BE", None, "BE0403170701"))
    assert client_id_for(firm, numbers) != client_id_for(UUID(int=2), numbers)


def test_two_creations_racing_leave_one_client_and_refuse_the_other(office):
    outcomes: list[object] = []
    start = threading.Barrier(2)

    def create(name: str) -> None:
        start.wait()
        try:
            outcomes.append(office.app.create_client(
                office.firm_id, office.admin, name=name, country="BE",
                enterprise_number="0403170701", address={
                    "street": "Veldstraat 1", "postal_code": "9000", "city": "Gent",
                    "country": "BE"},
                contact_person={"first_name": "A", "last_name": "B", "email": "a@b.example"}))
        except DuplicateClient as error:
            outcomes.append(error)

    threads = [threading.Thread(target=create, args=(n,)) for n in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [o for o in outcomes if isinstance(o, UUID)]
    refused = [o for o in outcomes if isinstance(o, DuplicateClient)]
    assert len(created) == 1 and len(refused) == 1
    assert refused[0].existing_client_id == created[0]
