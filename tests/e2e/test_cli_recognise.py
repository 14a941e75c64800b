"""A user reads documents from the terminal with ``lucy-events recognise``, no store."""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path

import pytest

from lucy_events.recognition.fields import JSON_KEYS
from lucy_events.recognition.ocr import ocr_unavailable_reason
from tests.conftest import service_missing
from tests.e2e.conftest import Cli
from tests.peppol_invoices import be_number, belgian
from tests.recognition_documents import belgian_ubl, dutch_invoice, french_invoice, text_pdf


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "nl": tmp_path / "factuur.pdf", "fr": tmp_path / "facture.pdf",
        "ubl": tmp_path / "peppol.xml", "locked": tmp_path / "locked.pdf",
    }
    paths["nl"].write_bytes(text_pdf(dutch_invoice()))
    paths["fr"].write_bytes(text_pdf(french_invoice()))
    paths["ubl"].write_bytes(belgian_ubl())
    paths["locked"].write_bytes(text_pdf(dutch_invoice(), encrypt="secret"))
    return paths


def test_one_file_as_json_is_exactly_the_published_object(sqlite_cli: Cli, files):
    out = sqlite_cli.run("recognise", "--json", "--own-number", "0417.497.106",
                         str(files["nl"])).stdout
    reading = json.loads(out)
    assert tuple(reading) == JSON_KEYS
    assert reading["document_type"] == "purchase-invoice"
    assert reading["supplier_vat"] == "BE0403170701"
    assert reading["invoice_number"] == "2026-0042"
    assert reading["issue_date"] == "2026-11-15"
    assert reading["total_incl_vat"] == 1748.45
    assert reading["method"] == "pdf-text"
    assert reading["iban"] == "BE71096123456769"


def test_several_files_as_json_are_a_list_in_order(sqlite_cli: Cli, files):
    out = sqlite_cli.run("recognise", "--json", str(files["fr"]), str(files["ubl"]),
                         str(files["locked"])).stdout
    readings = json.loads(out)
    assert [r["method"] for r in readings] == ["pdf-text", "ubl", "none"]
    assert readings[0]["total_incl_vat"] == 2438.0
    assert readings[1]["invoice_number"] == "Snippet1"
    assert readings[2]["document_type"] is None and readings[2]["confidence"] == 0.0


def test_the_human_print_out_names_type_fields_and_reasons(sqlite_cli: Cli, files):
    out = sqlite_cli.run("recognise", str(files["nl"]), str(files["locked"])).stdout
    assert f"{files['nl']}: purchase-invoice (method pdf-text" in out
    assert "invoice_number            2026-0042" in out
    assert "taken as a purchase" in out  # no --own-number: the side was assumed
    assert f"{files['locked']}: not recognised (method none" in out
    assert "encrypted" in out


def test_a_scanned_receipt_drawn_as_a_jpeg_is_read_by_ocr(sqlite_cli: Cli, tmp_path: Path):
    if ocr_unavailable_reason():
        service_missing(str(ocr_unavailable_reason()))
    from PIL import Image, ImageDraw, ImageFont

    lines = ["Bakkerij Het Gulden Brood", "BTW BE0403.170.701", "KASTICKET",
             "Datum: 28-11-2026", "2 x Croissant      3,00", "1 x Volkorenbrood  3,80",
             "TOTAAL             6,80", "Btw 6%             0,38"]
    image = Image.new("L", (900, 60 + 45 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for row, line in enumerate(lines):
        draw.text((60, 30 + 45 * row), line, fill=0, font=font)
    path = tmp_path / "ticket.jpg"
    image.save(path, quality=85)
    reading = json.loads(sqlite_cli.run("recognise", "--json", str(path)).stdout)
    assert (reading["method"], reading["document_type"]) == ("ocr", "receipt")
    assert (reading["issue_date"], reading["total_incl_vat"]) == ("2026-11-28", 6.8)


def test_without_files_the_command_runs_the_worker_that_reads_new_documents(
        sqlite_cli: Cli, tmp_path: Path):
    sqlite_cli.run("demo")
    first = sqlite_cli.run("history", "Brouwerij Het Anker").stdout.splitlines()[0]
    customer = re.search(r"\(BE(\d{10})", first)
    assert customer, first
    invoice = tmp_path / "in.xml"
    invoice.write_bytes(belgian(supplier=be_number(4031707), customer=customer.group(1)))
    sqlite_cli.run("peppol", "receive", str(invoice))

    worker = sqlite_cli.start("recognise")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            entries = [json.loads(line) for line in sqlite_cli.run(
                "history", "Brouwerij Het Anker", "--json").stdout.splitlines()]
            received = {e["subject_id"] for e in entries if e["event"] == "DocumentReceived"
                        and e["details"]["file_name"] == "in.xml"}
            read = [e for e in entries if e["event"] == "DocumentRecognised"
                    and e["subject_id"] in received]
            if read:
                assert (read[0]["details"]["method"], read[0]["details"]["document_type"]) \
                    == ("ubl", "purchase-invoice")
                break
            assert worker.poll() is None, worker.communicate()[1]
            time.sleep(0.5)
        else:
            raise AssertionError("the worker read nothing in 60 s")
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
        assert code == 0, (code, worker.communicate()[1])


def test_a_missing_file_is_named(sqlite_cli: Cli, tmp_path: Path):
    result = sqlite_cli.run("recognise", str(tmp_path / "nope.pdf"), check=False)
    assert result.returncode == 2 and "nope.pdf" in result.stderr
