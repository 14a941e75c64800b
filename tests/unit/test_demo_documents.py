"""The demo firm's documents are real: PDFs with pages, images, Peppol UBL, one
Factur-X, with the demo client on them as customer or (for its sales) as supplier."""

from __future__ import annotations

import io
import re
from collections import Counter

import pypdfium2 as pdfium
import pytest
from facturx import get_xml_from_pdf
from PIL import Image
from stdnum import iban

from lucy_events.application import LucyApplication
from lucy_events.blobs import InMemoryBlobStore
from lucy_events.demo import seed_demo
from lucy_events.intake.media_types import sniff
from lucy_events.peppol.xml import parse_untrusted, ubl_document

CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"


@pytest.fixture(scope="module")
def seeded():
    app = LucyApplication({"PERSISTENCE_MODULE": "eventsourcing.popo"},
                          blobs=InMemoryBlobStore())
    demo = seed_demo(app)
    documents = [app.document_for_system(d) for d in demo.document_ids]
    return app, demo, documents


def _party_vats(root, role: str) -> set[str]:
    return {e.text for e in root.iter(f"{CBC}CompanyID")
            if e.getparent().tag == f"{CAC}PartyTaxScheme"
            and any(a.tag == f"{CAC}{role}" for a in e.iterancestors())}


def test_every_demo_document_is_a_real_pdf_image_or_ubl(seeded):
    app, demo, documents = seeded
    kinds: Counter[str] = Counter()
    for document in documents:
        content = app.blobs.get(document.blob_ref)
        assert sniff(content) == document.media_type, document.file_name
        kinds[document.media_type] += 1
        if document.media_type == "application/pdf":
            pdf = pdfium.PdfDocument(content)
            assert len(pdf) >= 1 and pdf[0].get_width() > 200
            pdf.close()
        elif document.media_type.startswith("image/"):
            assert max(Image.open(io.BytesIO(content)).size) > 700  # receipts are narrow
        else:
            assert ubl_document(parse_untrusted(content)) is not None
            assert document.channel == "peppol"
    assert kinds["application/pdf"] > 30 and kinds["application/xml"] > 5
    assert {"image/png", "image/jpeg", "image/tiff"} & set(kinds)
    assert len(documents) == demo.documents


def test_the_demo_has_one_factur_x_and_a_few_scans(seeded):
    app, _demo, documents = seeded
    facturx = [d for d in documents if d.file_name.endswith("-factur-x.pdf")]
    assert len(facturx) == 1
    name, xml = get_xml_from_pdf(app.blobs.get(facturx[0].blob_ref), check_xsd=True)
    assert name == "factur-x.xml" and b"CrossIndustryInvoice" in xml
    assert 1 <= sum(d.file_name.startswith("scan-") for d in documents) <= 4


def test_a_demo_ubl_names_its_client_as_customer_or_as_supplier_of_its_sales(seeded):
    app, _demo, documents = seeded
    checked = 0
    for document in documents:
        if document.media_type != "application/xml":
            continue
        client = app.client_for_operator(document.client_id)
        client_vat = re.sub(r"[^0-9A-Z]", "", (
            client.vat_number or f"BE{client.enterprise_number}").upper())
        root = ubl_document(parse_untrusted(app.blobs.get(document.blob_ref)))
        role = ("AccountingSupplierParty" if (document.document_type or "").startswith("sales")
                else "AccountingCustomerParty")
        if document.document_type is None:
            assert client_vat in _party_vats(root, "AccountingSupplierParty") | _party_vats(
                root, "AccountingCustomerParty")
        else:
            assert _party_vats(root, role) == {client_vat}, document.document_type
        account = root.findtext(f"{CAC}PaymentMeans/{CAC}PayeeFinancialAccount/{CBC}ID")
        assert account and iban.is_valid(account)  # the supplier's, the client's on a sale
        checked += 1
    assert checked > 5
