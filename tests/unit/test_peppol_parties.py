"""Which client a Peppol document is for, and on which side (pure)."""

from __future__ import annotations

import pytest

from lucy_events.peppol.parties import ClientKeys, document_type, id_keys, match_client, parties
from lucy_events.peppol.rendition import embedded_pdf
from lucy_events.peppol.xml import parse_untrusted, ubl_document
from tests.peppol_invoices import be_number, belgian, example, in_sbd, with_pdf

SUPPLIER, CUSTOMER = be_number(4031707), be_number(1234567)


def found(content: bytes):
    root = parse_untrusted(content)
    return parties(root, ubl_document(root))


def client(number: str, name: str = "c") -> ClientKeys:
    return ClientKeys(name, number, f"BE{number}")


@pytest.mark.parametrize(("value", "scheme", "keys"), [
    ("0403.170.701", "0208", {"0403170701", "BE0403170701"}),
    ("BE 0403 170 701", None, {"0403170701", "BE0403170701"}),
    ("9925:be0403170701", None, {"0403170701", "BE0403170701"}),
    ("NL123456789B01", None, {"NL123456789B01"}),
    ("12345678", "0106", {"12345678"}),
    ("12345678", "0088", set()),
    ("99887766", None, set()),
    ("GB1232434", None, set()),
])
def test_an_identifier_is_reduced_to_the_keys_a_client_is_stored_under(value, scheme, keys):
    assert id_keys(value, scheme) == keys


def test_a_client_that_is_the_customer_receives_a_purchase_invoice():
    parts = found(belgian(supplier=SUPPLIER, customer=CUSTOMER))
    match = match_client(parts, [client(CUSTOMER, "buyer"), client(be_number(1), "other")])
    assert (match.client_id, match.side) == ("buyer", "customer")
    assert document_type(parts, match) == "purchase-invoice"


def test_a_client_that_is_the_supplier_receives_a_sales_credit_note():
    note = belgian(example("base-creditnote-correction.xml"), supplier=SUPPLIER,
                   customer=CUSTOMER)
    parts = found(note)
    match = match_client(parts, [client(SUPPLIER, "seller")])
    assert document_type(parts, match) == "sales-credit-note"


def test_the_vat_number_endpoint_9925_matches_as_well_as_the_enterprise_number():
    parts = found(belgian(supplier=SUPPLIER, customer=CUSTOMER, customer_scheme="9925"))
    assert f"9925:BE{CUSTOMER}" in parts.customer_ids
    assert match_client(parts, [ClientKeys("vat-only", None, f"BE{CUSTOMER}")]).client_id == \
        "vat-only"


def test_when_both_parties_are_clients_the_sbd_receiver_decides():
    content = belgian(supplier=SUPPLIER, customer=CUSTOMER)
    both = [client(SUPPLIER, "seller"), client(CUSTOMER, "buyer")]
    assert match_client(found(content), both).side == "customer"
    to_seller = match_client(found(in_sbd(content, receiver=f"0208:{SUPPLIER}")), both)
    assert (to_seller.client_id, to_seller.side) == ("seller", "supplier")


def test_no_matching_client_gives_the_reason_with_the_parties_identifiers():
    match = match_client(found(example()), [client(CUSTOMER)])
    assert match.client_id is None
    assert "no client of the firm matches" in (match.reason or "")
    assert "0002:FR23342" in (match.reason or "")


def test_two_clients_under_the_same_number_are_not_guessed_between():
    parts = found(belgian(supplier=SUPPLIER, customer=CUSTOMER))
    match = match_client(parts, [client(CUSTOMER, "a"), client(CUSTOMER, "b")])
    assert match.client_id is None and "several clients match the customer" in match.reason


def test_the_embedded_pdf_is_the_rendition_and_an_invoice_without_one_has_none():
    content = with_pdf(example(), b"%PDF-1.4 the human-readable invoice", "INV-1.pdf")
    rendition = embedded_pdf(ubl_document(parse_untrusted(content)))
    assert rendition is not None
    assert (rendition.file_name, rendition.media_type, rendition.content) == (
        "INV-1.pdf", "application/pdf", b"%PDF-1.4 the human-readable invoice")
    assert embedded_pdf(ubl_document(parse_untrusted(example()))) is None


def test_an_attachment_that_only_claims_to_be_a_pdf_is_not_a_rendition():
    content = with_pdf(example(), b"MZ not a pdf at all")
    assert embedded_pdf(ubl_document(parse_untrusted(content))) is None
