"""Validation with the official artefacts: UBL 2.1 XSD, CEN EN16931, Peppol BIS 3.

The official examples pass; invoices of our own, each breaking one named rule, fail
with that rule's id; unsafe XML is refused before anything runs.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
import threading

import pytest

from lucy_events.peppol.svrl import findings, readable_location
from lucy_events.peppol.validation import XSD_RULE, validate
from lucy_events.peppol.xml import UnsafeOrMalformedXml
from tests.peppol_invoices import (
    EXAMPLE_FILES,
    be_number,
    belgian,
    edited,
    example,
    in_sbd,
    with_pdf,
)

SUPPLIER, CUSTOMER = be_number(4031707), be_number(1234567)


def belgian_invoice() -> bytes:
    return belgian(supplier=SUPPLIER, customer=CUSTOMER)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_official_example_is_valid(path):
    result = validate(path.read_bytes())
    assert result.valid, result.errors
    assert result.errors == ()
    assert "Peppol BIS Billing 3.0.19" in result.rules


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_an_official_example_inside_a_standard_business_document_header_is_valid(path):
    assert validate(in_sbd(path.read_bytes(), receiver="0208:0000000097")).valid


def test_a_belgian_variant_with_enterprise_numbers_as_participant_ids_is_valid():
    assert validate(belgian_invoice()).valid


@pytest.mark.parametrize(("xpath", "text", "rule"), [
    # Invoice total with VAT = total without VAT + VAT.
    ("//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "1600.00", "BR-CO-15"),
    # The Peppol business process (ProfileID) is mandatory.
    ("/*/cbc:ProfileID", None, "PEPPOL-EN16931-R001"),
    # A VAT category that is not in the UNCL5305 code list.
    ("//cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "Q", "BR-CL-18"),
    # The invoice currency code is mandatory.
    ("/*/cbc:DocumentCurrencyCode", None, "BR-05"),
    # A Belgian enterprise number (scheme 0208) with a wrong check number.
    ("//cac:AccountingCustomerParty//cbc:EndpointID", "0123456789", "PEPPOL-COMMON-R043"),
], ids=["BR-CO-15", "PEPPOL-EN16931-R001", "BR-CL-18", "BR-05", "PEPPOL-COMMON-R043"])
def test_an_invoice_that_breaks_a_rule_is_invalid_with_that_rules_id(xpath, text, rule):
    result = validate(edited(belgian_invoice(), xpath, text))
    assert not result.valid
    assert rule in result.rule_ids
    broken = next(f for f in result.errors if f.rule == rule)
    assert broken.flag == "fatal" and broken.message
    assert broken.location.startswith("/") and "urn:" not in broken.location


def test_an_invoice_without_lines_fails_the_ubl_schema_before_any_business_rule():
    # BR-16 (at least one line) is unreachable: the UBL 2.1 schema requires a line.
    result = validate(edited(belgian_invoice(), "//cac:InvoiceLine", None))
    assert result.rule_ids == [XSD_RULE]
    assert "InvoiceLine" in result.errors[0].message
    assert result.errors[0].location.startswith("line ")


def test_a_credit_note_breaking_a_rule_is_invalid_too():
    note = edited(example("base-creditnote-correction.xml"),
                  "//cac:LegalMonetaryTotal/cbc:PayableAmount", "999.99")
    assert "BR-CO-16" in validate(note).rule_ids


def test_a_warning_does_not_make_the_document_invalid():
    # PEPPOL-COMMON-R044 (an Italian IPA code in the wrong format) is only a warning.
    customer = "//cac:AccountingCustomerParty//cbc:EndpointID"
    content = edited(belgian_invoice(), customer, "not-an-ipa-code")
    content = content.replace(b'schemeID="0208">not-an-ipa-code',
                              b'schemeID="0201">not-an-ipa-code')
    result = validate(content)
    assert result.valid, result.errors
    assert [(f.rule, f.flag) for f in result.warnings] == [("PEPPOL-COMMON-R044", "warning")]
    assert result.warnings[0].location.endswith("cbc:EndpointID[1]")


def test_an_embedded_pdf_rendition_keeps_the_invoice_valid():
    assert validate(with_pdf(belgian_invoice(), b"%PDF-1.4 rendition")).valid


@pytest.mark.parametrize("content", [
    # XXE: an external entity reading a local file
    b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
    b'<ID>&xxe;</ID></Invoice>',
    # billion laughs
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol4;</Invoice>',
    # an external DTD fetched over the network
    b'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
], ids=["xxe", "billion-laughs", "external-dtd"])
def test_xml_with_a_dtd_is_refused_before_validation(content):
    with pytest.raises(UnsafeOrMalformedXml, match="DTD"):
        validate(content)


@pytest.mark.parametrize(("content", "reason"), [
    (b"not xml at all", "not well-formed"),
    (b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>",
     "not a UBL Invoice or CreditNote"),
])
def test_anything_but_a_ubl_invoice_or_credit_note_is_refused_with_the_reason(content, reason):
    with pytest.raises(UnsafeOrMalformedXml, match=reason):
        validate(content)


def test_a_50_mb_invoice_is_validated_within_bounds_of_time_and_memory():
    """A real invoice carrying a 50 MB embedded attachment, in a child process so its
    peak memory is its own."""
    script = textwrap.dedent("""
        import resource, sys, time
        from tests.peppol_invoices import belgian, be_number, with_pdf
        from lucy_events.peppol.validation import validate
        content = with_pdf(belgian(supplier=be_number(4031707), customer=be_number(1)),
                           b"%PDF-1.4" + b"\\0" * (37 * 1024 * 1024))
        assert len(content) > 50_000_000, len(content)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = validate(content)
        seconds = time.perf_counter() - started
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(result.valid, round(seconds, 1), grown // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    valid, seconds, grown_mb = done.stdout.split()
    assert valid == "True"
    assert float(seconds) < 30
    assert int(grown_mb) < 1024, f"validation grew the process by {grown_mb} MB"
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 2 * 1024 * 1024


def test_validations_from_several_threads_at_once_each_get_their_own_result():
    good, bad = belgian_invoice(), edited(belgian_invoice(), "/*/cbc:ProfileID", None)
    results: dict[int, bool] = {}

    def check(n: int) -> None:
        results[n] = validate(good if n % 2 else bad).valid

    threads = [threading.Thread(target=check, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {n: bool(n % 2) for n in range(8)}


def test_svrl_findings_keep_rule_flag_location_and_message():
    report = b"""<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
      <svrl:fired-rule context="/"/>
      <svrl:failed-assert id="BR-01" flag="fatal" location="/*:Invoice[namespace-uri()='urn:x'][1]">
        <svrl:text>[BR-01]-An Invoice shall
            have a Specification identifier.</svrl:text></svrl:failed-assert>
      <svrl:failed-assert id="PEPPOL-R1" flag="warning" location="/a"><svrl:text>w</svrl:text>
      </svrl:failed-assert>
      <svrl:failed-assert location="/b"><svrl:text>no flag</svrl:text></svrl:failed-assert>
    </svrl:schematron-output>"""
    first, second, third = findings(report)
    assert first.as_dict() == {"rule": "BR-01", "flag": "fatal", "location": "/*:Invoice[1]",
                               "message": "[BR-01]-An Invoice shall have a Specification "
                                          "identifier."}
    assert (second.fatal, third.fatal, third.rule) == (False, True, "(no id)")
    assert readable_location("/x[namespace-uri()='u'][2]/y") == "/x[2]/y"
    assert readable_location(
        "/Q{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice[1]"
        "/Q{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID[1]"
    ) == "/Invoice[1]/cbc:ID[1]"
