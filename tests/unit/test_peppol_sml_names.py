"""The SML's DNS names of Peppol participants (Peppol SML specification, NAPTR)."""

from __future__ import annotations

from lucy_events.aggregates.companies import CompanyNumbers
from lucy_events.peppol.lookup import (
    Registration,
    participant_hash,
    registration_warning,
    sml_name,
)


def test_the_worked_example_of_the_specification_holds():
    assert participant_hash("9915:test") == "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a"


def test_the_id_is_lower_cased_before_hashing_and_the_name_ends_in_the_zone():
    assert participant_hash("9925:BE0403170701") == participant_hash("9925:be0403170701")
    assert sml_name("9915:test", "participant.sml.prod.tech.peppol.org.") == (
        "eh5boavaktmbgzyh2a63dz4qov33fvp5nsdvqklucfraayoodw6a.iso6523-actorid-upis."
        "participant.sml.prod.tech.peppol.org")


def test_a_belgian_company_is_looked_up_by_enterprise_and_vat_number():
    numbers = CompanyNumbers("BE", "0403170701", "BE0403170701")
    assert numbers.peppol_participant_ids == ("0208:0403170701", "9925:be0403170701")
    dutch = CompanyNumbers("NL", "12345678", "NL000099998B57")
    assert dutch.peppol_participant_ids == ("0106:12345678", "9944:nl000099998b57")


def test_a_registration_with_another_smp_warns_naming_its_host():
    other = Registration("0208:0403170701", True, "https://smp.other.example/")
    assert "smp.other.example" in registration_warning([other], "smp.ours.example")
    ours = Registration("0208:0403170701", True, "https://smp.ours.example/")
    assert registration_warning([ours], "smp.ours.example") == ""
    assert registration_warning([Registration("0208:1", False)], None) == ""
    away = Registration("0208:1", False, unreachable="the Peppol SML did not answer")
    assert "could not be checked" in registration_warning([away], None)
